/** How units read on screen. */
import type { FULL_CHARGE_METHODS, UNIT_CATEGORIES } from "../../../db/schema";

export type UnitCategory = (typeof UNIT_CATEGORIES)[number];
export type FullChargeMethod = (typeof FULL_CHARGE_METHODS)[number];

export const CATEGORY_LABELS: Record<UnitCategory, string> = {
  COMFORT_COOLING: "Comfort cooling",
  COMMERCIAL_REFRIGERATION: "Commercial refrigeration",
  INDUSTRIAL_PROCESS: "Industrial process refrigeration",
  REFRIGERATED_TRANSPORT: "Refrigerated transport",
  OTHER: "Other appliance",
};

export const FULL_CHARGE_METHOD_LABELS: Record<FullChargeMethod, string> = {
  MANUFACTURER: "Manufacturer's nameplate",
  CALCULATION: "Calculation",
  MEASUREMENT: "Measurement",
  RANGE_MIDPOINT: "Midpoint of a range",
};

export const COVERAGE_RULE_LABELS: Record<string, string> = {
  PART_82_SUBPART_F: "Part 82 Subpart F",
  PART_84_SUBPART_C: "Part 84 Subpart C",
};

export const METHOD_LABELS: Record<string, string> = {
  ANNUALIZING: "Annualizing",
  ROLLING_AVERAGE: "Rolling average",
};

export const TRANSFER_KIND_LABELS: Record<string, string> = {
  CHARGE: "Charge (added)",
  RECOVER: "Recovery",
  CYLINDER_TO_CYLINDER: "Cylinder to cylinder",
};

export const TRANSFER_STATUS_LABELS: Record<string, string> = {
  PENDING: "Pending approval",
  APPROVED: "Approved",
  REJECTED: "Rejected",
};

export const CERTIFICATION_LABELS: Record<string, string> = {
  I: "Type I",
  II: "Type II",
  III: "Type III",
  UNIVERSAL: "Universal",
};

export const categoryOptions = (Object.keys(CATEGORY_LABELS) as UnitCategory[]).map((value) => ({
  value,
  label: CATEGORY_LABELS[value],
}));

export const fullChargeMethodOptions = (Object.keys(FULL_CHARGE_METHOD_LABELS) as FullChargeMethod[]).map((value) => ({
  value,
  label: FULL_CHARGE_METHOD_LABELS[value],
}));

const lbFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });
const pctFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholePct = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** "24 lb", "3.25 lb". */
export const formatLb = (lb: number) => `${lbFormat.format(lb)} lb`;
/** A computed leak rate, always with 2 decimals as the engine rounds it: "15.94%". */
export const formatRate = (percent: number) => `${pctFormat.format(percent)}%`;
/** A threshold or alert level: "10%", "8%". */
export const formatPercent = (percent: number) => `${wholePct.format(percent)}%`;

const dayFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** EPA deadlines are UTC calendar days: "Jan 5, 2027". */
export function formatUtcDay(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : dayFormat.format(date);
}

/** A calendar date stored as YYYY-MM-DD: "May 1, 2020". */
export function formatDay(day: string | null | undefined): string {
  if (!day) return "";
  return formatUtcDay(`${day}T00:00:00Z`);
}
