/** Pieces the transfers and leaks modules share. */
import type { leakRates } from "../../db/schema";
import type { Audience } from "../../party/protocol";

type LeakRateRow = typeof leakRates.$inferSelect;

/** Transfers, cylinders and leaks are for the field roles and up (SALES sees FOR_SALE cylinders only). */
export const FIELD_AUDIENCE: Audience = { roles: ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN"] };

export type LeakRateView = {
  id: string;
  method: LeakRateRow["method"];
  percent: number;
  threshold: number;
  alertLevel: number;
  exceeded: boolean;
  alert: boolean;
  explanation: string;
  inputs: unknown;
  ruleVersion: string;
  computedAt: string;
};

export const leakRateView = (row: LeakRateRow): LeakRateView => ({
  id: row.id,
  method: row.method,
  percent: row.percent,
  threshold: row.threshold,
  alertLevel: row.alertLevel,
  exceeded: row.exceeded,
  alert: row.alert,
  explanation: row.explanation,
  inputs: row.inputs,
  ruleVersion: row.ruleVersion,
  computedAt: row.computedAt.toISOString(),
});
