import { create } from "qrcode/lib/core/qrcode.js";

/** The quiet zone the QR standard asks for around the symbol, in modules. */
const QUIET_ZONE = 4;

/**
 * A QR code as one SVG path (dark modules, one rectangle per run of a row) and the size of its
 * square viewBox, quiet zone included, for a page to draw as an inline <svg>. Error correction Q
 * (25%) so a scuffed or frosted label on a cylinder in a truck still scans.
 */
export function qrCode(text: string): { size: number; path: string } {
  const { modules } = create(text, { errorCorrectionLevel: "Q" });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h-${col - start}z`);
    }
  }
  return { size: modules.size + QUIET_ZONE * 2, path: parts.join("") };
}
