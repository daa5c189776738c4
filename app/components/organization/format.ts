import { dateTimeFormat } from "../../../worker/intl";

/**
 * Dates formatted on the server, in the org's time zone, so the server-rendered text and the
 * hydrated text are the same string.
 */
export function formatDateTime(
  iso: string | null | undefined,
  timeZone: string,
  { seconds = false } = {},
): string | null {
  if (!iso) return null;
  return dateTimeFormat("en-US", {
    timeZone,
    dateStyle: "medium",
    timeStyle: seconds ? "medium" : "short",
  }).format(new Date(iso));
}

/** "EST", "PDT"…: the zone's short name at that instant, shown once beside a column of times. */
export function timeZoneAbbreviation(timeZone: string, at = new Date()): string {
  const part = dateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}
