/** Text forms of report values, shared by the CSV and the PDF (the screen formats its own). */
import { instantToZonedLocal } from "../transfers/dates";

/** "2026-03-04 14:30" in `timeZone`. */
export const localDateTime = (iso: string, timeZone: string) =>
  instantToZonedLocal(new Date(iso), timeZone).replace("T", " ");

/** "2026-03-04" in `timeZone`. */
export const localDay = (iso: string, timeZone: string) => instantToZonedLocal(new Date(iso), timeZone).slice(0, 10);

/**
 * A deadline: the engine's deadlines are UTC calendar days (00:00 UTC), so they are shown as that
 * day, whatever the org's time zone.
 */
export const dueDay = (iso: string | null) => (iso ? iso.slice(0, 10) : "");

const lbFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3, useGrouping: false });
const pctFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const lb = (value: number | null | undefined) => (value == null ? "" : lbFormat.format(value));
export const pct = (value: number | null | undefined) => (value == null ? "" : pctFormat.format(value));
