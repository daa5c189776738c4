/**
 * Text for the compliance screens, produced by the loaders on the server so the server-rendered
 * and hydrated strings are identical (no ICU differences between workerd and the browser).
 */
import { dateTimeFormat } from "../../../worker/intl";

const DAY_MS = 24 * 60 * 60 * 1000;

/** "Jan 5, 2026" of an instant, in `timeZone`. */
export function formatDay(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  return dateTimeFormat("en-US", { dateStyle: "medium", timeZone }).format(new Date(iso));
}

/** "Jan 5, 2026, 2:30 PM" of an instant, in `timeZone`. */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  return dateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}

/** "2:30 PM" of an instant, in `timeZone`. */
export function formatTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  return dateTimeFormat("en-US", { timeStyle: "short", timeZone }).format(new Date(iso));
}

/** An EPA deadline (a UTC calendar day, 00:00 UTC) as that day, whatever the org's time zone. */
export const formatDueDay = (iso: string | null | undefined) => formatDay(iso, "UTC");

/**
 * "Due today", "Due in 3 days", "Overdue by 12 days": how far a deadline day is from today (UTC
 * days, as the engine counts them). Whether it is overdue comes from the service.
 */
export function dueIn(dueIso: string, overdue: boolean, now: Date): string {
  const today = Math.floor(now.getTime() / DAY_MS);
  const due = Math.floor(new Date(dueIso).getTime() / DAY_MS);
  const days = due - today;
  if (overdue) {
    const late = Math.max(1, -days);
    return `Overdue by ${late} ${late === 1 ? "day" : "days"}`;
  }
  if (days === 0) return "Due today";
  if (days < 0) return `Was due ${formatDueDay(dueIso)}`;
  return `Due in ${days} ${days === 1 ? "day" : "days"}`;
}

const lbFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });
const pctFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 2 });

export const formatLb = (value: number | null | undefined) => (value == null ? "" : `${lbFormat.format(value)} lb`);
export const formatPct = (value: number | null | undefined) => (value == null ? "" : `${pctFormat.format(value)}%`);

export const CERTIFICATION_LABELS: Record<string, string> = {
  I: "Type I",
  II: "Type II",
  III: "Type III",
  UNIVERSAL: "Universal",
};
