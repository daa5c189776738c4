/** Money and stage labels for the sales pages. The API speaks whole cents; people type dollars. */
import type { LeadStage } from "../../../db/schema";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export const formatCents = (cents: number | null | undefined) => (cents == null ? "—" : usd.format(cents / 100));

/**
 * A typed dollar amount ("1,250" or "$1,250.50") as whole cents; anything else is passed through
 * unchanged so the API's schema rejects it with a field error.
 */
export function dollarsToCents(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const cleaned = value.replace(/[$,\s]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return value;
  return Math.round(Number(cleaned) * 100);
}

export const centsToDollars = (cents: number | null | undefined) => (cents == null ? "" : (cents / 100).toFixed(2));

export const STAGE_LABELS: Record<LeadStage, string> = {
  NEW: "New",
  CONTACTED: "Contacted",
  QUOTED: "Quoted",
  WON: "Won",
  LOST: "Lost",
};
export const STAGE_ORDER: readonly LeadStage[] = ["NEW", "CONTACTED", "QUOTED", "WON", "LOST"];

export function StageBadge({ stage }: { stage: LeadStage }) {
  return <span className={`badge sales-stage sales-stage-${stage.toLowerCase()}`}>{STAGE_LABELS[stage]}</span>;
}
