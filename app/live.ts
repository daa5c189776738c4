/**
 * The browser side of the org room (party/org-room.ts): one reconnecting WebSocket per open org,
 * messages parsed with the shared zod protocol. Events re-run the page's loaders so lists update
 * live; after a drop the client resumes from the last sequence number it saw, and reloads when
 * the room says too much was missed.
 */
import { PartySocket } from "partysocket";
import { useEffect, useRef, useState } from "react";
import { useFetchers, useLocation, useNavigation, useRevalidator } from "react-router";
import { type LiveEvent, ServerMessage } from "../party/protocol";

export type LiveStatus = "connecting" | "live" | "reconnecting";

/** Close codes the room uses when the user's access changed (4003) or the session is gone (4001). */
const ACCESS_CHANGED = new Set([4001, 4003]);
/** Bursts of events (a batch write) cause one revalidation, not one per event. */
const REVALIDATE_DEBOUNCE_MS = 120;
/** A reload the room asks for is honoured at most this often, so a confused room cannot loop us. */
const RELOAD_GUARD_MS = 15_000;
const RELOAD_KEY = "refritrak:live-reload-at";

type Options = {
  /** Called for every event this connection may see, after the revalidation is scheduled. */
  onEvent?: (event: LiveEvent) => void;
};

function reloadPage(fallback: () => void) {
  try {
    const last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
    if (Date.now() - last < RELOAD_GUARD_MS) return fallback();
    sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
  } catch {
    // Storage blocked: reload anyway.
  }
  window.location.reload();
}

/** Connects to `/parties/org-room/<orgId>` while mounted; answers the connection status. */
export function useLiveRoom(orgId: string, { onEvent }: Options = {}): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const revalidator = useRevalidator();
  // The latest callbacks, read from inside the socket handlers without reconnecting on each render.
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  // A revalidation clears the action data a page shows (React Router keeps it only across the
  // submission's own reload): the "Invitation created" link, the recorded transfer's leak rate…
  // So events wait while a submission is under way, and while its answer is on screen (same URL
  // as submitted, no redirect); the next navigation loads fresh data and lifts the hold.
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const location = useLocation();
  const here = location.pathname + location.search;
  const submittedTo = useRef<string | null>(null);
  const [answerShownAt, setAnswerShownAt] = useState<string | null>(null);
  if (navigation.state !== "idle" && navigation.formMethod && navigation.formMethod.toUpperCase() !== "GET") {
    submittedTo.current = navigation.location.pathname + navigation.location.search;
  }
  const busy = navigation.state !== "idle" || fetchers.some((fetcher) => fetcher.state !== "idle");
  useEffect(() => {
    if (busy || submittedTo.current === null) return;
    setAnswerShownAt(submittedTo.current === here ? location.key : null);
    submittedTo.current = null;
  }, [busy, here, location.key]);
  const held = busy || answerShownAt === location.key;
  const heldRef = useRef(held);
  heldRef.current = held;
  const [deferred, setDeferred] = useState(false);
  useEffect(() => {
    if (!held && deferred) {
      setDeferred(false);
      void revalidateRef.current();
    }
  }, [held, deferred]);

  useEffect(() => {
    let lastSeq: number | null = null;
    let everOpened = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const revalidateSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (heldRef.current) setDeferred(true);
        else void revalidateRef.current();
      }, REVALIDATE_DEBOUNCE_MS);
    };

    setStatus("connecting");
    const socket = new PartySocket({
      host: window.location.host,
      protocol: window.location.protocol === "https:" ? "wss" : "ws",
      party: "org-room",
      room: orgId,
      minReconnectionDelay: 500,
      maxReconnectionDelay: 10_000,
    });

    const onOpen = () => {
      setStatus("live");
      // A reconnect asks for what was missed; the first connection learns the seq from "hello".
      if (everOpened && lastSeq !== null) socket.send(JSON.stringify({ type: "resume", since: lastSeq }));
      everOpened = true;
    };
    const onClose = (event: CloseEvent) => {
      setStatus("reconnecting");
      // Role or access changed: re-run the loaders, which re-check the session and permissions.
      if (ACCESS_CHANGED.has(event.code)) revalidateSoon();
    };
    const onMessage = (event: MessageEvent) => {
      let message: ServerMessage;
      try {
        const parsed = ServerMessage.safeParse(JSON.parse(String(event.data)));
        if (!parsed.success) return;
        message = parsed.data;
      } catch {
        return;
      }
      switch (message.type) {
        case "hello":
          if (lastSeq === null) lastSeq = message.seq;
          break;
        case "event":
          if (lastSeq !== null && message.seq <= lastSeq) return;
          lastSeq = message.seq;
          revalidateSoon();
          onEventRef.current?.(message.event);
          break;
        case "reload":
          reloadPage(() => {
            lastSeq = null;
            revalidateSoon();
          });
          break;
        case "error":
          break;
      }
    };

    socket.addEventListener("open", onOpen);
    socket.addEventListener("close", onClose);
    socket.addEventListener("message", onMessage);
    return () => {
      clearTimeout(timer);
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("close", onClose);
      socket.removeEventListener("message", onMessage);
      socket.close();
    };
  }, [orgId]);

  return status;
}
