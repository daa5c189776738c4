/**
 * Calendar arithmetic for the schedule board and My day, in the org's time zone (the server's
 * render and the browser's agree). Days are YYYY-MM-DD strings; instants are ISO strings.
 */

import { formatInZone } from "../../../worker/intl";
import { instantToZonedLocal, nextDay, zonedLocalToInstant } from "../../../worker/transfers/dates";

export { instantToZonedLocal, zonedLocalToInstant };

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real YYYY-MM-DD day, or null. */
export function parseDay(value: string | null | undefined): string | null {
  if (!value || !DAY_RE.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

/** Today in `timeZone`. */
export const todayIn = (timeZone: string, now = new Date()) => instantToZonedLocal(now, timeZone).slice(0, 10);

export function addDays(day: string, days: number): string {
  if (days === 1) return nextDay(day);
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The Monday of the week holding `day`. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The day (YYYY-MM-DD) and minutes after local midnight of an instant, in `timeZone`. */
export function localParts(iso: string, timeZone: string): { day: string; minutes: number } {
  const local = instantToZonedLocal(new Date(iso), timeZone);
  const hours = Number(local.slice(11, 13));
  const minutes = Number(local.slice(14, 16));
  return { day: local.slice(0, 10), minutes: hours * 60 + minutes };
}

/** Minutes of the instant after the start of `day` (negative before, over 1440 after), in `timeZone`. */
export function minutesFromDayStart(iso: string, day: string, timeZone: string): number {
  const start = zonedLocalToInstant(day, timeZone);
  if (!start) return 0;
  // Wall-clock minutes, so a DST change day still lines up with the hour labels.
  const { day: localDay, minutes } = localParts(iso, timeZone);
  const dayDiff = Math.round((Date.parse(`${localDay}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
  return dayDiff * 1440 + minutes;
}

/** "HH:MM" of minutes after midnight. */
export const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** `day` at `time` ("HH:MM") in `timeZone`, as an ISO instant; null when either is not valid. */
export function localToIso(day: string, time: string, timeZone: string): string | null {
  if (!parseDay(day) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const instant = zonedLocalToInstant(`${day}T${time}`, timeZone);
  return instant ? instant.toISOString() : null;
}

/** "9:30 AM". */
export const formatTime = (iso: string, timeZone: string) =>
  formatInZone({ hour: "numeric", minute: "2-digit" }, timeZone, new Date(iso));

/** "9:30 AM – 11:30 AM". */
export const formatTimeRange = (startsAt: string, endsAt: string, timeZone: string) =>
  `${formatTime(startsAt, timeZone)} – ${formatTime(endsAt, timeZone)}`;

/** A calendar day, read in UTC so it never shifts: "Tuesday, December 2, 2026" or shorter forms. */
export function formatDay(day: string, style: "long" | "medium" | "short" | "weekday" = "long"): string {
  const date = new Date(`${day}T12:00:00Z`);
  const options: Intl.DateTimeFormatOptions =
    style === "long"
      ? { weekday: "long", month: "long", day: "numeric", year: "numeric" }
      : style === "medium"
        ? { weekday: "short", month: "short", day: "numeric" }
        : style === "weekday"
          ? { weekday: "short" }
          : { month: "short", day: "numeric" };
  return formatInZone(options, "UTC", date);
}

/** "6 AM", "12 PM" for an hour of the day. */
export const formatHour = (hour: number) =>
  `${hour % 12 === 0 ? 12 : hour % 12} ${hour < 12 || hour === 24 ? "AM" : "PM"}`;

/** "Dec 1 – 7, 2026" for a week starting `day`. */
export function formatWeek(day: string): string {
  const end = addDays(day, 6);
  const sameMonth = day.slice(0, 7) === end.slice(0, 7);
  const first = formatDay(day, "short");
  const last = sameMonth ? String(Number(end.slice(8, 10))) : formatDay(end, "short");
  return `${first} – ${last}, ${end.slice(0, 4)}`;
}
