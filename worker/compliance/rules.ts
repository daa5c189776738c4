/**
 * The EPA refrigerant-management rules the compliance engine applies (SPEC §6), as data.
 *
 * Federal constants live here, under a version string that is stored with every computed result,
 * so a stored leak rate always says which rules produced it. When EPA changes a number, add a new
 * `EpaRules` object with a new version rather than editing this one; the engine takes the rules as
 * a parameter (defaulting to `EPA_RULES`). What each organization may adjust (coverage threshold,
 * category thresholds, alert level, calculation method) is its `EpaConfig` (db/schema.ts), whose
 * defaults `defaultEpaConfig()` derives from these rules.
 */
import type { EpaConfig, UnitCategory } from "../../db/schema";

export const RULE_VERSION = "epa-2026.1";

export type CoverageRule = "PART_82_SUBPART_F" | "PART_84_SUBPART_C";

export type EpaRules = {
  /** Stored with every result, e.g. "epa-2026.1". */
  version: string;
  /** 40 CFR Part 82 Subpart F: appliances with an ozone-depleting refrigerant. */
  part82: { rule: "PART_82_SUBPART_F"; minFullChargeLb: number };
  /**
   * 40 CFR Part 84 Subpart C: HFCs and substitutes with a GWP strictly above `gwpAbove`, from
   * `effectiveFrom` (UTC date), with a full charge at or above the org's `coverageThresholdLb`.
   */
  part84: { rule: "PART_84_SUBPART_C"; gwpAbove: number; effectiveFrom: string; defaultMinFullChargeLb: number };
  leakRate: {
    /** Percent per appliance category; orgs may override them in their EPA config. */
    defaultThresholds: Record<UnitCategory, number>;
    /** An alert is raised at this share (percent) of the threshold. */
    defaultAlertAtPercentOfThreshold: number;
    defaultCalculationMethod: EpaConfig["calculationMethod"];
    /** Annualizing: (added / full charge) × (daysPerYear / min(days since previous, maxDays)) × 100. */
    daysPerYear: number;
    annualizingMaxDays: number;
    /** Rolling average: the window is this many calendar days, ending on (and including) the addition's day. */
    rollingWindowDays: number;
  };
  deadlines: {
    /** Calendar days from the day the threshold was exceeded. */
    repairDays: number;
    /** Industrial process refrigeration whose repair needs a shutdown. */
    repairDaysIndustrialShutdown: number;
    /** Calendar days from the initial verification test to the follow-up test. */
    followUpVerificationDays: number;
    /** Calendar days from the failed repair (or failed verification) to the retrofit/retirement plan. */
    retrofitPlanDays: number;
    /** Years from the plan's date to the completed retrofit or retirement. */
    retrofitCompleteYears: number;
  };
  chronicLeaker: {
    /** Percent of full charge added in one calendar year from which the appliance is a chronic leaker. */
    percentOfFullCharge: number;
    /** The report is due on this month (1-12) and day of the following year. */
    reportDueMonth: number;
    reportDueDay: number;
  };
};

/** The rules in force for RULE_VERSION. Frozen: derive a new object for a new version. */
export const EPA_RULES: EpaRules = deepFreeze({
  version: RULE_VERSION,
  part82: { rule: "PART_82_SUBPART_F", minFullChargeLb: 50 },
  part84: { rule: "PART_84_SUBPART_C", gwpAbove: 53, effectiveFrom: "2026-01-01", defaultMinFullChargeLb: 15 },
  leakRate: {
    defaultThresholds: {
      COMFORT_COOLING: 10,
      COMMERCIAL_REFRIGERATION: 20,
      INDUSTRIAL_PROCESS: 30,
      REFRIGERATED_TRANSPORT: 10,
      OTHER: 10,
    },
    defaultAlertAtPercentOfThreshold: 80,
    defaultCalculationMethod: "ANNUALIZING",
    daysPerYear: 365,
    annualizingMaxDays: 365,
    rollingWindowDays: 365,
  },
  deadlines: {
    repairDays: 30,
    repairDaysIndustrialShutdown: 120,
    followUpVerificationDays: 10,
    retrofitPlanDays: 30,
    retrofitCompleteYears: 1,
  },
  chronicLeaker: { percentOfFullCharge: 125, reportDueMonth: 3, reportDueDay: 1 },
});

/** The EPA config a new organization starts with, derived from the rules. */
export function defaultEpaConfig(rules: EpaRules = EPA_RULES): EpaConfig {
  return {
    coverageThresholdLb: rules.part84.defaultMinFullChargeLb,
    leakRateThresholds: { ...rules.leakRate.defaultThresholds },
    alertAtPercentOfThreshold: rules.leakRate.defaultAlertAtPercentOfThreshold,
    calculationMethod: rules.leakRate.defaultCalculationMethod,
  };
}

export const CATEGORY_LABELS: Record<UnitCategory, string> = {
  COMFORT_COOLING: "comfort cooling",
  COMMERCIAL_REFRIGERATION: "commercial refrigeration",
  INDUSTRIAL_PROCESS: "industrial process refrigeration",
  REFRIGERATED_TRANSPORT: "refrigerated transport",
  OTHER: "other appliances",
};

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child && typeof child === "object") deepFreeze(child);
  return Object.freeze(value);
}
