/**
 * The browser side of the org room (party/org-room.ts): one reconnecting WebSocket per open org,
 * messages parsed with the shared zod protocol. Pages that show live things (the schedule board,
 * My day) apply each event to what they show at once (`useLiveEvents`); every event also re-runs
 * the page's loaders in the background so everything else catches up. A reconnect asks for what
 * it missed with `?since=SEQ`; when the room answers `resync`, the loaders run again.
 */
import { PartySocket } from "partysocket";
import { createContext, useContext, useEffect, useRef, useState } from "react";
import { useFetchers, useLocation, useNavigation, useRevalidator } from "react-router";
import { type EventMessage, ServerMessage, SINCE_PARAM } from "../party/protocol";

type Listener = (event: EventMessage) => void;
type Subscribe = (listener: Listener) => () => void;

/** Provided by the org layout: pages subscribe to the room's events through it. */
export const LiveEventsContext = createContext<Subscribe | null>(null);

/** Calls `onEvent` for every event this connection may see, while the component is mounted. */
export function useLiveEvents(onEvent: Listener) {
  const subscribe = useContext(LiveEventsContext);
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => subscribe?.((event) => ref.current(event)), [subscribe]);
}

export type LiveStatus = "connecting" | "live" | "reconnecting";

/** Close codes the room uses when the user's access changed (4003) or the session is gone (4001). */
const ACCESS_CHANGED = new Set([4001, 4003]);
/** Bursts of events (a batch write) cause one revalidation, not one per event. */
const REVALIDATE_DEBOUNCE_MS = 120;

/**
 * Connects to `/parties/org-room/<orgId>` while mounted; answers the connection status and the
 * `subscribe` function to provide through `LiveEventsContext`.
 */
export function useLiveRoom(orgId: string): { status: LiveStatus; subscribe: Subscribe } {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const revalidator = useRevalidator();
  // The latest callbacks, read from inside the socket handlers without reconnecting on each render.
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  const listeners = useRef(new Set<Listener>()).current;
  const [subscribe] = useState<Subscribe>(() => (listener: Listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  // A revalidation clears the action data a page shows (React Router keeps it only across the
  // submission's own reload): the "Invitation created" link, the recorded transfer's leak rate…
  // So events wait while a submission is under way, and while its answer is on screen (same URL
  // as submitted, no redirect); the next navigation loads fresh data and lifts the hold.
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const location = useLocation();
  const here = location.pathname + location.search;
  const submittedTo = useRef<string | null>(null);
  if (navigation.state !== "idle" && navigation.formMethod && navigation.formMethod.toUpperCase() !== "GET") {
    submittedTo.current = navigation.location.pathname + navigation.location.search;
  }
  const busy = navigation.state !== "idle" || fetchers.some((fetcher) => fetcher.state !== "idle");
  const [answerShownAt, setAnswerShownAt] = useState<string | null>(null);
  const [deferred, setDeferred] = useState(false);
  // Held also in the render where a submission has just ended and its answer is not yet recorded:
  // the event a write publishes often arrives while its own submission is under way, and its
  // deferred revalidation must not run in between (it would clear the answer just shown).
  const held = busy || submittedTo.current !== null || answerShownAt === location.key;
  const heldRef = useRef(held);
  heldRef.current = held;
  // One effect, in this order: record where an ended submission's answer is shown, then run a
  // deferred revalidation only if no answer is on screen.
  useEffect(() => {
    if (busy) return;
    if (submittedTo.current !== null) {
      const shownAt = submittedTo.current === here ? location.key : null;
      submittedTo.current = null;
      setAnswerShownAt(shownAt);
      if (shownAt !== null) return;
    }
    if (deferred && answerShownAt !== location.key) {
      setDeferred(false);
      void revalidateRef.current();
    }
  }, [busy, here, location.key, deferred, answerShownAt]);

  useEffect(() => {
    let lastSeq: number | null = null;
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
      // Evaluated on every (re)connect: ask for what was missed since the last event seen.
      query: () => (lastSeq === null ? {} : { [SINCE_PARAM]: String(lastSeq) }),
      minReconnectionDelay: 500,
      maxReconnectionDelay: 10_000,
    });

    const onOpen = () => setStatus("live");
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
          // First connection: start from the room's present. A reconnect keeps its own lastSeq:
          // the missed events follow this hello.
          if (lastSeq === null || message.seq < lastSeq) lastSeq = message.seq;
          break;
        case "event":
          if (lastSeq !== null && message.seq <= lastSeq) return;
          lastSeq = message.seq;
          revalidateSoon();
          for (const listener of listeners) listener(message);
          break;
        case "resync":
          // Too much was missed: load everything again and continue from the room's present.
          lastSeq = null;
          revalidateSoon();
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
  }, [orgId, listeners]);

  return { status, subscribe };
}
