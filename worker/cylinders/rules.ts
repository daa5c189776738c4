/**
 * Cylinder rules as pure functions: the fill limit (a recovery cylinder is never filled beyond 80%
 * of its water capacity), the hydrostatic retest (every 5 years for refillable DOT 4BA/4BW
 * cylinders) and how a move changes a cylinder's status. The database enforces the fill limits
 * too (CHECK constraints on `cylinders`); these give the user a clear message first.
 */
import type { CYLINDER_KINDS, CYLINDER_STATUSES, HOLDER_TYPES } from "../../db/schema";
import { dateTimeFormat } from "../intl";

type Kind = (typeof CYLINDER_KINDS)[number];
type Status = (typeof CYLINDER_STATUSES)[number];
type HolderType = (typeof HOLDER_TYPES)[number];

export const RECOVERY_FILL_LIMIT = 0.8;
export const HYDRO_RETEST_YEARS = 5;
/** How early the hydro retest shows as due soon. */
export const HYDRO_DUE_SOON_DAYS = 90;
/** The same tolerance as the CHECK constraints (floating-point sums of transfers). */
const EPSILON = 0.0001;

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** The most a cylinder may hold: 80% of water capacity for recovery, the capacity otherwise. */
export const fillLimitLb = (kind: Kind, waterCapacityLb: number) =>
  kind === "RECOVERY" ? round(waterCapacityLb * RECOVERY_FILL_LIMIT, 4) : waterCapacityLb;

/** Why these contents do not fit this cylinder, or null when they do. */
export function contentsProblem(kind: Kind, waterCapacityLb: number, netContentsLb: number): string | null {
  if (netContentsLb < 0) return "Contents cannot be negative.";
  if (kind === "RECOVERY" && netContentsLb > waterCapacityLb * RECOVERY_FILL_LIMIT + EPSILON) {
    return `A recovery cylinder may hold at most 80% of its water capacity: ${fillLimitLb(kind, waterCapacityLb)} lb for ${waterCapacityLb} lb.`;
  }
  if (netContentsLb > waterCapacityLb + EPSILON) {
    return `Contents cannot exceed the water capacity (${waterCapacityLb} lb).`;
  }
  return null;
}

export function fillFacts(kind: Kind, waterCapacityLb: number, netContentsLb: number) {
  const limitLb = fillLimitLb(kind, waterCapacityLb);
  return {
    limitLb,
    /** For recovery cylinders, the share of the 80% limit; otherwise the share of capacity. */
    percentOfLimit: limitLb > 0 ? round((netContentsLb / limitLb) * 100, 1) : 0,
    percentOfCapacity: waterCapacityLb > 0 ? round((netContentsLb / waterCapacityLb) * 100, 1) : 0,
    roomLb: round(Math.max(0, limitLb - netContentsLb), 2),
  };
}

/** Today's calendar date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** A YYYY-MM-DD date plus whole years; 29 February falls back to the 28th in a common year. */
export function addYears(date: string, years: number): string {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  const targetYear = year + years;
  const lastDay = new Date(Date.UTC(targetYear, month, 0)).getUTCDate();
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(targetYear, 4)}-${pad(month)}-${pad(Math.min(day, lastDay))}`;
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The hydrostatic retest: due 5 years after the last test; overdue once that date has passed. */
export function hydroFacts(hydroTestDate: string | null, today: string) {
  if (!hydroTestDate) return { dueDate: null, overdue: false, dueSoon: false, daysLeft: null };
  const dueDate = addYears(hydroTestDate, HYDRO_RETEST_YEARS);
  const daysLeft = daysBetween(today, dueDate);
  return { dueDate, overdue: daysLeft < 0, dueSoon: daysLeft >= 0 && daysLeft <= HYDRO_DUE_SOON_DAYS, daysLeft };
}

/**
 * A move's effect on status: to a technician's truck it is ASSIGNED; back at the warehouse it is
 * IN_STOCK unless it was marked FOR_SALE or EMPTY (those stay); at a site it keeps its status.
 */
export function statusAfterMove(current: Status, to: HolderType): Status {
  if (to === "TECHNICIAN") return "ASSIGNED";
  if (to === "WAREHOUSE") return current === "FOR_SALE" || current === "EMPTY" ? current : "IN_STOCK";
  return current;
}

/** Sold and retired cylinders have left service: a manager changes the status before they move again. */
export const isOutOfService = (status: Status) => status === "SOLD" || status === "RETIRED";
