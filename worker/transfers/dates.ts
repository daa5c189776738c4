/**
 * Wall-clock times in a time zone, to instants and back. Forms send `datetime-local` values
 * ("2026-11-28T14:30", no offset) typed in the user's zone; records store instants.
 */
import { dateTimeFormat } from "../intl";

/** A phone's clock may run a little ahead of the server's: "now" typed on it is still accepted. */
export const CLOCK_SKEW_MS = 2 * 60 * 1000;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The offset (ms, local − UTC) of `timeZone` at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = dateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * "2026-11-28T14:30" (or "2026-11-28", midnight) in `timeZone` → the instant, or null when the
 * text is not such a value. In a DST gap the time is read with the offset before the change.
 */
export function zonedLocalToInstant(local: string, timeZone: string): Date | null {
  const match = LOCAL.exec(local.trim());
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  let guess = wall - offsetAt(wall, timeZone);
  // A second pass settles times near a DST change.
  guess = wall - offsetAt(guess, timeZone);
  return new Date(guess);
}

/** The instant as a `datetime-local` value ("2026-11-28T14:30") in `timeZone`. */
export function instantToZonedLocal(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
  return shifted.toISOString().slice(0, 16);
}

/** The day after a YYYY-MM-DD day, as YYYY-MM-DD. */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** A filter bound: a day (YYYY-MM-DD, read in `timeZone`; `end` means the end of that day) or an ISO instant. */
export function boundOf(value: string, timeZone: string, end: boolean): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return zonedLocalToInstant(end ? nextDay(value) : value, timeZone);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
