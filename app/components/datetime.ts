import { dateTimeFormat, formatInZone } from "../../worker/intl";

/**
 * Dates shown in the signed-in user's time zone (not the server's or the browser's), so the
 * server render and the browser agree and people see their own local time.
 */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return formatInZone({ dateStyle: "medium", timeStyle: "short" }, timeZone, date);
}

/** "America/Chicago" → "America/Chicago (CST)": the zone people recognise, with its short name. */
export function describeTimeZone(timeZone: string, at = new Date()): string {
  try {
    const part = dateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName");
    return part ? `${timeZone.replaceAll("_", " ")} (${part.value})` : timeZone;
  } catch {
    return timeZone;
  }
}
