/**
 * "Scan QR": reads a cylinder label with the camera through the browser's BarcodeDetector. Shown
 * only where both exist (Chrome on Android, for one); elsewhere the searchable picker is the way.
 */
import { useEffect, useRef, useState } from "react";

type DetectedBarcode = { rawValue: string };
type BarcodeDetectorLike = { detect(source: HTMLVideoElement): Promise<DetectedBarcode[]> };
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorConstructor | null {
  if (typeof window === "undefined") return null;
  const ctor = (window as unknown as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  return ctor && typeof navigator.mediaDevices?.getUserMedia === "function" ? ctor : null;
}

/** The cylinder id in a scanned label (`…/o/<orgId>/cylinders/<id>`), or the text itself (a typed tag). */
export function cylinderFromScan(raw: string, orgId: string): { id: string } | { tag: string } | { otherOrg: true } {
  try {
    const url = new URL(raw, "https://refritrak.invalid");
    const match = /\/o\/([^/]+)\/cylinders\/([^/?#]+)/.exec(url.pathname);
    if (match?.[1] && match[2]) {
      return decodeURIComponent(match[1]) === orgId ? { id: decodeURIComponent(match[2]) } : { otherOrg: true };
    }
  } catch {
    // not a URL: a bare tag
  }
  return { tag: raw.trim() };
}

export function ScanQrButton({ onScan, label = "Scan QR" }: { onScan: (raw: string) => void; label?: string }) {
  const [supported, setSupported] = useState(false);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;

  useEffect(() => setSupported(detectorClass() !== null), []);

  useEffect(() => {
    if (!open) return;
    const Detector = detectorClass();
    const dialog = dialogRef.current;
    if (!Detector || !dialog) return;
    if (!dialog.open) dialog.showModal();
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        if (stopped) return stop();
        const video = videoRef.current;
        if (!video) return stop();
        video.srcObject = stream;
        await video.play();
        const detector = new Detector({ formats: ["qr_code"] });
        const tick = async () => {
          if (stopped) return;
          try {
            const [code] = await detector.detect(video);
            if (code?.rawValue) {
              stop();
              setOpen(false);
              onScanRef.current(code.rawValue);
              return;
            }
          } catch {
            // a frame the detector could not read: try the next one
          }
          frame = requestAnimationFrame(() => void tick());
        };
        void tick();
      } catch {
        setProblem("The camera is not available. Allow camera access, or pick the cylinder from the list.");
      }
    })();
    return () => {
      stop();
      if (dialog.open) dialog.close();
    };
  }, [open]);

  if (!supported) return null;
  return (
    <>
      <button
        type="button"
        className="button button-secondary scan-button"
        onClick={() => {
          setProblem(null);
          setOpen(true);
        }}
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          width="20"
          height="20"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3M7 12h10" />
        </svg>
        {label}
      </button>
      <dialog
        ref={dialogRef}
        className="scan-dialog"
        aria-labelledby="scan-heading"
        onClose={() => setOpen(false)}
        onCancel={() => setOpen(false)}
      >
        <h2 id="scan-heading" className="card-title">
          Scan the cylinder's QR label
        </h2>
        {problem ? (
          <p className="alert alert-warning" role="alert">
            {problem}
          </p>
        ) : (
          <p className="muted small">Point the camera at the label; it is read as soon as it is in view.</p>
        )}
        <video ref={videoRef} className="scan-video" playsInline muted />
        <button type="button" className="button button-secondary button-block" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </dialog>
    </>
  );
}
