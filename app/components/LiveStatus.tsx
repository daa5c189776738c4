import type { LiveStatus as Status } from "../live";

const TEXT: Record<Status, string> = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };
const TITLE: Record<Status, string> = {
  connecting: "Connecting to live updates",
  live: "Live updates are on: changes by your team appear without reloading",
  reconnecting: "Live updates paused: reconnecting",
};

/** The small indicator in the top bar saying whether live updates are flowing. */
export function LiveStatus({ status }: { status: Status }) {
  return (
    <span className="live-status" data-testid="live-status" data-state={status} title={TITLE[status]}>
      <span className="live-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
