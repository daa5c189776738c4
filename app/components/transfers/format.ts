/**
 * How transfers read on screen, and the lb + oz amount the quick form takes (1 lb = 16 oz).
 */
import type { TRANSFER_KINDS, TRANSFER_STATUSES } from "../../../db/schema";
import { dateTimeFormat } from "../../../worker/intl";

export type TransferKind = (typeof TRANSFER_KINDS)[number];
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const KIND_LABELS: Record<TransferKind, string> = {
  CHARGE: "Charge",
  RECOVER: "Recovery",
  CYLINDER_TO_CYLINDER: "Cylinder to cylinder",
};

export const KIND_ACTIONS: Record<TransferKind, { title: string; hint: string }> = {
  CHARGE: { title: "Charge a unit", hint: "Cylinder → unit" },
  RECOVER: { title: "Recover from a unit", hint: "Unit → recovery cylinder" },
  CYLINDER_TO_CYLINDER: { title: "Cylinder to cylinder", hint: "Cylinder → cylinder" },
};

export const STATUS_LABELS: Record<TransferStatus, string> = {
  PENDING: "Pending approval",
  APPROVED: "Approved",
  REJECTED: "Rejected",
};

export const STATUS_TONES: Record<TransferStatus, string> = {
  PENDING: "badge-amber",
  APPROVED: "badge-green",
  REJECTED: "badge-red",
};

export const CERTIFICATION_LABELS: Record<string, string> = {
  I: "Type I",
  II: "Type II",
  III: "Type III",
  UNIVERSAL: "Universal",
};

const lbFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });
const ozFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** "2.5 lb (2 lb 8 oz)"; whole pounds read "3 lb". */
export function formatAmount(lb: number): string {
  const whole = Math.floor(lb + 1e-9);
  const oz = Math.round((lb - whole) * 16 * 10) / 10;
  if (oz === 0) return `${lbFormat.format(lb)} lb`;
  if (oz >= 16) return `${lbFormat.format(lb)} lb`;
  return `${lbFormat.format(lb)} lb (${whole} lb ${ozFormat.format(oz)} oz)`;
}

export const formatLb = (lb: number) => `${lbFormat.format(lb)} lb`;

/** Pounds and ounces as typed → pounds to the thousandth, or the field that is wrong and why. */
export function amountFromLbOz(
  poundsText: string,
  ouncesText: string,
): { amountLb: number } | { field: "pounds" | "ounces"; message: string } {
  const read = (text: string) => (text.trim() === "" ? 0 : Number(text.trim().replace(",", ".")));
  const pounds = read(poundsText);
  const ounces = read(ouncesText);
  if (!Number.isFinite(pounds) || pounds < 0)
    return { field: "pounds", message: "Enter pounds as a number, 0 or more." };
  if (!Number.isFinite(ounces) || ounces < 0 || ounces >= 16)
    return { field: "ounces", message: "Enter ounces from 0 to 15.9 (16 oz make a pound)." };
  const amountLb = Math.round((pounds + ounces / 16) * 1000) / 1000;
  if (amountLb <= 0) return { field: "pounds", message: "Enter the amount: pounds, ounces or both." };
  return { amountLb };
}

/** The leak rate's verdict in words. */
export function leakRateVerdict(rate: { exceeded: boolean; alert: boolean; threshold: number; alertLevel?: number }) {
  if (rate.exceeded)
    return {
      tone: "danger" as const,
      title: `Over the ${rate.threshold}% threshold`,
      detail: "Approving this charge opens a leak repair for the unit.",
    };
  if (rate.alert)
    return {
      tone: "warning" as const,
      title: `At or above the alert level${rate.alertLevel !== undefined ? ` (${rate.alertLevel}%)` : ""}`,
      detail: `Not over the ${rate.threshold}% threshold yet: check the unit for leaks.`,
    };
  return {
    tone: "ok" as const,
    title: `Below the alert level${rate.alertLevel !== undefined ? ` (${rate.alertLevel}%)` : ""}`,
    detail: `The threshold for this unit is ${rate.threshold}%.`,
  };
}

export const METHOD_LABELS = { ANNUALIZING: "Annualizing method", ROLLING_AVERAGE: "Rolling-average method" } as const;

/** "Charge of 2.5 lb R-410A into RTU-3" — the short summary a row's buttons are named after. */
export function transferSummary(transfer: {
  kind: TransferKind;
  amountLb: number;
  refrigerant: string;
  unit: { name: string } | null;
  fromCylinder: { tag: string } | null;
  toCylinder: { tag: string } | null;
  technician: { name: string };
}) {
  const amount = `${formatLb(transfer.amountLb)} ${transfer.refrigerant}`;
  const unit = transfer.unit?.name ?? "a unit";
  const where =
    transfer.kind === "CHARGE"
      ? `Charge of ${amount} into ${unit} from ${transfer.fromCylinder?.tag ?? "a cylinder"}`
      : transfer.kind === "RECOVER"
        ? `Recovery of ${amount} from ${unit} into ${transfer.toCylinder?.tag ?? "a cylinder"}`
        : `${amount} from ${transfer.fromCylinder?.tag ?? "a cylinder"} to ${transfer.toCylinder?.tag ?? "a cylinder"}`;
  return `${where} by ${transfer.technician.name}`;
}

/** "Nov 28, 2026" for a UTC day (deadlines are UTC calendar days). */
export function formatUtcDay(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return dateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(date);
}
