/**
 * How cylinder values read on screen. Dates of the hydrostatic test are calendar dates
 * (YYYY-MM-DD), formatted in UTC so the server render and the browser agree.
 */
import type { CYLINDER_KINDS, CYLINDER_STATUSES } from "../../../db/schema";
import { dateTimeFormat } from "../../../worker/intl";

export type CylinderStatus = (typeof CYLINDER_STATUSES)[number];
export type CylinderKind = (typeof CYLINDER_KINDS)[number];

export const STATUS_LABELS: Record<CylinderStatus, string> = {
  IN_STOCK: "In stock",
  ASSIGNED: "Assigned",
  EMPTY: "Empty",
  FOR_SALE: "For sale",
  SOLD: "Sold",
  RETIRED: "Retired",
};

export const STATUS_TONES: Record<CylinderStatus, string> = {
  IN_STOCK: "badge-teal",
  ASSIGNED: "badge-amber",
  EMPTY: "",
  FOR_SALE: "badge-green",
  SOLD: "badge-violet",
  RETIRED: "badge-red",
};

export const KIND_LABELS: Record<CylinderKind, string> = {
  VIRGIN: "Virgin",
  RECOVERY: "Recovery",
  RECLAIMED: "Reclaimed",
};

export const KIND_HINTS: Record<CylinderKind, string> = {
  VIRGIN: "New refrigerant from the supplier.",
  RECOVERY: "Holds refrigerant recovered from units; never filled past 80% of its water capacity.",
  RECLAIMED: "Refrigerant reprocessed to AHRI 700 purity.",
};

export const statusOptions = (statuses: readonly CylinderStatus[]) =>
  statuses.map((status) => ({ value: status, label: STATUS_LABELS[status] }));

export const kindOptions = (Object.keys(KIND_LABELS) as CylinderKind[]).map((kind) => ({
  value: kind,
  label: KIND_LABELS[kind],
}));

/** "25 lb", "25.5 lb", "0.25 lb": at most two decimals, no trailing zeros. */
export function formatLb(value: number): string {
  return `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value)} lb`;
}

/** "Mar 15, 2029" for "2029-03-15". */
export function formatDay(date: string | null | undefined): string {
  if (!date) return "";
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return dateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(parsed);
}
