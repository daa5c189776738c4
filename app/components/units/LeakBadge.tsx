/**
 * The unit's current leak status (from the compliance engine) as a badge whose words carry the
 * meaning, colour only reinforcing it: "OK", "Alert 85% of threshold", "Over threshold",
 * "Repair overdue".
 */
export type LeakStatusLevel = "OK" | "ALERT" | "OVER_THRESHOLD" | "REPAIR_OVERDUE";

/** Tone and a shape (drawn by units.css, silent for screen readers) so colour is never the only cue. */
const TONES: Record<LeakStatusLevel, string> = {
  OK: "badge-green unit-leak-ok",
  ALERT: "badge-amber unit-leak-alert",
  OVER_THRESHOLD: "badge-red unit-leak-over",
  REPAIR_OVERDUE: "badge-red unit-leak-overdue",
};

export function leakBadgeLabel(status: { level: LeakStatusLevel; percentOfThreshold: number | null }): string {
  switch (status.level) {
    case "OK":
      return "OK";
    case "ALERT":
      return status.percentOfThreshold === null ? "Alert" : `Alert ${status.percentOfThreshold}% of threshold`;
    case "OVER_THRESHOLD":
      return "Over threshold";
    case "REPAIR_OVERDUE":
      return "Repair overdue";
  }
}

export function LeakBadge({
  status,
}: {
  status: { level: LeakStatusLevel; percentOfThreshold: number | null; reason: string };
}) {
  return (
    <span className={`badge unit-leak-badge ${TONES[status.level]}`} title={status.reason} data-testid="leak-badge">
      {leakBadgeLabel(status)}
    </span>
  );
}
