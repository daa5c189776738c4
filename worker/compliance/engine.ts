/**
 * The compliance engine (SPEC §6): coverage, leak rates, deadlines, chronic leakers, leak badges.
 *
 * Pure: no I/O, no clock. Every "now" is a parameter, every rule comes from `rules.ts` (versioned)
 * or the org's `EpaConfig`, and every result is a plain object carrying the rule version. Calendar
 * days and years are UTC calendar days and years, whatever the host's time zone. Formulas, edge
 * cases and worked examples: docs/compliance.md.
 */
import { utc } from "@date-fns/utc";
import { addDays, addYears, differenceInCalendarDays, startOfDay } from "date-fns";
import type { EpaConfig, UnitCategory } from "../../db/schema";
import { CATEGORY_LABELS, type CoverageRule, EPA_RULES, type EpaRules } from "./rules";

export type CalculationMethod = EpaConfig["calculationMethod"];

/** Bad input (a full charge of 0, a negative amount, an invalid date…): thrown instead of answering NaN or Infinity. */
export class ComplianceInputError extends Error {
  readonly code = "INVALID_COMPLIANCE_INPUT";
  constructor(
    /** The offending input, e.g. `fullChargeLb` or `previousAdditions[2].lb`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ComplianceInputError";
  }
}

export type Addition = { performedAt: Date; lb: number };

// ---------------------------------------------------------------------------------------------
// Coverage

export type CoverageInput = {
  refrigerant: { designation: string; ods: boolean; gwp: number };
  fullChargeLb: number;
  /** When coverage is asked for; before Part 84's effective date only Part 82 applies. Omit for "now, under these rules". */
  asOf?: Date;
};

export type CoverageResult = {
  covered: boolean;
  rule: CoverageRule | null;
  /** The full charge (lb) from which the applicable rule covers this refrigerant; null when none can. */
  thresholdLb: number | null;
  reason: string;
  ruleVersion: string;
};

/**
 * Part 82 Subpart F: ODS refrigerant and full charge ≥ 50 lb. Part 84 Subpart C: non-ODS with GWP
 * strictly above 53 and full charge ≥ the org's coverage threshold (15 lb by default).
 */
export function coverage(input: CoverageInput, config: EpaConfig, rules: EpaRules = EPA_RULES): CoverageResult {
  const { refrigerant } = input;
  positive("fullChargeLb", input.fullChargeLb);
  nonNegative("refrigerant.gwp", refrigerant.gwp);
  positive("config.coverageThresholdLb", config.coverageThresholdLb);
  if (input.asOf !== undefined) validDate("asOf", input.asOf);
  const name = refrigerant.designation;
  const charge = `${lb(input.fullChargeLb)} lb`;
  const result = (covered: boolean, rule: CoverageRule | null, thresholdLb: number | null, reason: string) => ({
    covered,
    rule,
    thresholdLb,
    reason,
    ruleVersion: rules.version,
  });

  if (refrigerant.ods) {
    const min = rules.part82.minFullChargeLb;
    return atLeast(input.fullChargeLb, min)
      ? result(
          true,
          "PART_82_SUBPART_F",
          min,
          `${name} is an ozone-depleting substance and the full charge of ${charge} is at least ${lb(min)} lb: covered by Part 82 Subpart F.`,
        )
      : result(
          false,
          null,
          min,
          `${name} is an ozone-depleting substance; Part 82 Subpart F covers it from ${lb(min)} lb and the full charge is ${charge}: not covered.`,
        );
  }
  const { gwpAbove, effectiveFrom } = rules.part84;
  if (!(refrigerant.gwp > gwpAbove)) {
    return result(
      false,
      null,
      null,
      `${name} is not an ozone-depleting substance and its GWP of ${lb(refrigerant.gwp)} is not above ${gwpAbove}: neither Part 82 Subpart F nor Part 84 Subpart C applies.`,
    );
  }
  const min = config.coverageThresholdLb;
  if (input.asOf && input.asOf.getTime() < Date.parse(`${effectiveFrom}T00:00:00Z`)) {
    return result(
      false,
      null,
      min,
      `Part 84 Subpart C applies from ${effectiveFrom}; on ${isoDay(input.asOf)} ${name} (GWP ${lb(refrigerant.gwp)}) was not covered.`,
    );
  }
  return atLeast(input.fullChargeLb, min)
    ? result(
        true,
        "PART_84_SUBPART_C",
        min,
        `${name} has a GWP of ${lb(refrigerant.gwp)} (above ${gwpAbove}) and the full charge of ${charge} is at least ${lb(min)} lb: covered by Part 84 Subpart C.`,
      )
    : result(
        false,
        null,
        min,
        `${name} has a GWP of ${lb(refrigerant.gwp)} (above ${gwpAbove}); Part 84 Subpart C covers it from ${lb(min)} lb and the full charge is ${charge}: not covered.`,
      );
}

// ---------------------------------------------------------------------------------------------
// Leak rate

export type LeakRateInput = {
  /** Defaults to the org's `config.calculationMethod`. */
  method?: CalculationMethod;
  fullChargeLb: number;
  /** This addition (a CHARGE), in lb. */
  addedLb: number;
  performedAt: Date;
  /**
   * The unit's other additions, NOT including this one. Any order; additions after `performedAt`
   * (entries backdated before them) are ignored. Annualizing uses the latest one strictly before
   * `performedAt`; the rolling average also counts those at exactly `performedAt`.
   */
  previousAdditions: readonly Addition[];
  /** The last successful follow-up verification test; restarts the rolling-average window. */
  lastSuccessfulFollowUpAt?: Date | null;
  category: UnitCategory;
  config: EpaConfig;
};

/** Everything an annualizing rate was computed from; JSON (dates as ISO strings), ready to store. */
export type AnnualizingInputs = {
  method: "ANNUALIZING";
  category: UnitCategory;
  addedLb: number;
  fullChargeLb: number;
  performedAt: string;
  /** null for the first recorded addition. */
  previousAdditionAt: string | null;
  /** Calendar days between the two additions, before the 1-day floor and the 365-day cap; null for the first. */
  daysSincePrevious: number | null;
  /** The days the formula used: min(max(daysSincePrevious, 1), 365), or 365 for the first addition. */
  daysUsed: number;
  firstAddition: boolean;
  capped: boolean;
  laterAdditionsIgnored: number;
  alertAtPercentOfThreshold: number;
};

/** Everything a rolling-average rate was computed from; JSON (dates as ISO strings), ready to store. */
export type RollingAverageInputs = {
  method: "ROLLING_AVERAGE";
  category: UnitCategory;
  addedLb: number;
  fullChargeLb: number;
  performedAt: string;
  /** The 365-day window's first day (00:00 UTC, inclusive), or the follow-up test (exclusive). */
  windowStart: string;
  windowStartExclusive: boolean;
  windowEnd: string;
  /** Calendar days from the window's first day to the addition's day, both included. */
  windowDays: number;
  windowStartReason: "365_DAYS" | "FOLLOW_UP_TEST";
  lastSuccessfulFollowUpAt: string | null;
  /** Every addition counted, this one included, oldest first. */
  additionsCounted: { performedAt: string; lb: number }[];
  lbInWindow: number;
  laterAdditionsIgnored: number;
  alertAtPercentOfThreshold: number;
};

export type LeakRateResult = {
  method: CalculationMethod;
  /** Rounded to 2 decimals, for display. */
  percent: number;
  /** Unrounded; `exceeded` and `alert` are decided on it (to 9 decimals, so float noise never flips a tie). */
  percentExact: number;
  /** The category's threshold, percent. */
  threshold: number;
  /** threshold × alertAtPercentOfThreshold / 100. */
  alertLevel: number;
  /** Strictly over the threshold: exactly at it is not exceeded. */
  exceeded: boolean;
  /** At or over the alert level (so every exceeded rate is also an alert). */
  alert: boolean;
  inputs: AnnualizingInputs | RollingAverageInputs;
  ruleVersion: string;
  /** The computation in words, e.g. "(2 lb / 20 lb) × (365 / 30 days) × 100 = 121.67% (…). Over the 10% threshold…". */
  explanation: string;
};

export function leakRate(input: LeakRateInput, rules: EpaRules = EPA_RULES): LeakRateResult {
  const { config, category } = input;
  const method = input.method ?? config.calculationMethod;
  if (method !== "ANNUALIZING" && method !== "ROLLING_AVERAGE")
    throw new ComplianceInputError("method", `Unknown leak-rate method ${String(method)}.`);
  positive("fullChargeLb", input.fullChargeLb);
  nonNegative("addedLb", input.addedLb);
  validDate("performedAt", input.performedAt);
  if (!Array.isArray(input.previousAdditions))
    throw new ComplianceInputError("previousAdditions", "previousAdditions must be a list.");
  input.previousAdditions.forEach((a, i) => {
    validDate(`previousAdditions[${i}].performedAt`, a?.performedAt);
    nonNegative(`previousAdditions[${i}].lb`, a.lb);
  });
  if (input.lastSuccessfulFollowUpAt != null) validDate("lastSuccessfulFollowUpAt", input.lastSuccessfulFollowUpAt);
  if (!config?.leakRateThresholds || !Object.hasOwn(config.leakRateThresholds, category))
    throw new ComplianceInputError("category", `Unknown appliance category ${String(category)}.`);
  const threshold = config.leakRateThresholds[category];
  positive(`config.leakRateThresholds.${category}`, threshold);
  const alertAt = config.alertAtPercentOfThreshold;
  positive("config.alertAtPercentOfThreshold", alertAt);
  if (alertAt > 100)
    throw new ComplianceInputError(
      "config.alertAtPercentOfThreshold",
      "The alert level cannot be above 100% of the threshold.",
    );

  const at = input.performedAt.getTime();
  const laterAdditionsIgnored = input.previousAdditions.filter((a) => a.performedAt.getTime() > at).length;
  const computed =
    method === "ANNUALIZING"
      ? annualizing(input, rules, laterAdditionsIgnored, alertAt)
      : rollingAverage(input, rules, laterAdditionsIgnored, alertAt);

  const percentExact = computed.percentExact;
  const percent = roundTo(percentExact, 2);
  const alertLevel = settle((threshold * alertAt) / 100);
  const exceeded = settle(percentExact) > threshold;
  const alert = settle(percentExact) >= alertLevel;
  const where = `the ${lb(threshold)}% threshold for ${CATEGORY_LABELS[category]}`;
  const verdict = exceeded
    ? `Over ${where}.`
    : alert
      ? `Not over ${where}, but at or above the ${lb(alertLevel)}% alert level (${lb(alertAt)}% of it).`
      : `Below the ${lb(alertLevel)}% alert level (${lb(alertAt)}% of ${where}).`;
  return {
    method,
    percent,
    percentExact,
    threshold,
    alertLevel,
    exceeded,
    alert,
    inputs: computed.inputs,
    ruleVersion: rules.version,
    explanation: `${computed.formula} = ${pct(percent)}% (${computed.note}). ${verdict}`,
  };
}

type Computed<I> = { percentExact: number; inputs: I; formula: string; note: string };

function annualizing(
  input: LeakRateInput,
  rules: EpaRules,
  laterAdditionsIgnored: number,
  alertAt: number,
): Computed<AnnualizingInputs> {
  const { daysPerYear, annualizingMaxDays } = rules.leakRate;
  const at = input.performedAt.getTime();
  let previous: Date | null = null;
  for (const a of input.previousAdditions) {
    const t = a.performedAt.getTime();
    if (t < at && (previous === null || t > previous.getTime())) previous = a.performedAt;
  }
  const daysSincePrevious = previous ? calendarDaysBetween(input.performedAt, previous) : null;
  const daysUsed = daysSincePrevious === null ? annualizingMaxDays : clamp(daysSincePrevious, 1, annualizingMaxDays);
  const capped = daysSincePrevious !== null && daysSincePrevious > annualizingMaxDays;
  // One division at the end keeps float error to a minimum.
  const percentExact = (input.addedLb * daysPerYear * 100) / (input.fullChargeLb * daysUsed);
  const note =
    previous === null
      ? `first recorded addition, so ${annualizingMaxDays} days are used`
      : daysSincePrevious === 0
        ? `same day as the previous addition, counted as 1 day`
        : capped
          ? `${daysSincePrevious} days since the previous addition on ${isoDay(previous)}, capped at ${annualizingMaxDays}`
          : `${plural(daysUsed, "day")} since the previous addition on ${isoDay(previous)}`;
  return {
    percentExact,
    formula: `(${lb(input.addedLb)} lb / ${lb(input.fullChargeLb)} lb) × (${daysPerYear} / ${plural(daysUsed, "day")}) × 100`,
    note,
    inputs: {
      method: "ANNUALIZING",
      category: input.category,
      addedLb: input.addedLb,
      fullChargeLb: input.fullChargeLb,
      performedAt: input.performedAt.toISOString(),
      previousAdditionAt: previous ? previous.toISOString() : null,
      daysSincePrevious,
      daysUsed,
      firstAddition: previous === null,
      capped,
      laterAdditionsIgnored,
      alertAtPercentOfThreshold: alertAt,
    },
  };
}

function rollingAverage(
  input: LeakRateInput,
  rules: EpaRules,
  laterAdditionsIgnored: number,
  alertAt: number,
): Computed<RollingAverageInputs> {
  const { rollingWindowDays } = rules.leakRate;
  const at = input.performedAt.getTime();
  // The window is the `rollingWindowDays` calendar days ending on (and including) this addition's
  // day, so an addition exactly 365 days earlier falls outside it.
  const firstDay = utcDay(plusDays(input.performedAt, -(rollingWindowDays - 1)));
  const followUp = input.lastSuccessfulFollowUpAt ?? null;
  const restarts = followUp !== null && followUp.getTime() <= at && followUp.getTime() >= firstDay.getTime();
  const counts = (a: Addition) => {
    const t = a.performedAt.getTime();
    if (t > at) return false;
    return restarts && followUp ? t > followUp.getTime() : t >= firstDay.getTime();
  };
  const counted = input.previousAdditions
    .filter(counts)
    .concat([{ performedAt: input.performedAt, lb: input.addedLb }])
    .sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime());
  const lbInWindow = settle(counted.reduce((sum, a) => sum + a.lb, 0));
  const percentExact = (lbInWindow * 100) / input.fullChargeLb;
  const windowStart = restarts && followUp ? followUp : firstDay;
  const windowDays = calendarDaysBetween(input.performedAt, windowStart) + 1;
  const sum =
    counted.length === 1
      ? "this addition only"
      : counted.length <= 6
        ? `${counted.map((a) => `${lb(a.lb)} lb`).join(" + ")} = ${lb(lbInWindow)} lb over ${plural(counted.length, "addition")}`
        : `${lb(lbInWindow)} lb over ${plural(counted.length, "addition")}`;
  const span =
    restarts && followUp
      ? `after the successful follow-up verification test on ${isoDay(followUp)} (shorter than ${rollingWindowDays} days)`
      : `in the ${rollingWindowDays} days ${isoDay(firstDay)} to ${isoDay(input.performedAt)}, this addition's day included`;
  return {
    percentExact,
    formula: `(${lb(lbInWindow)} lb / ${lb(input.fullChargeLb)} lb) × 100`,
    note: `${sum}, ${span}`,
    inputs: {
      method: "ROLLING_AVERAGE",
      category: input.category,
      addedLb: input.addedLb,
      fullChargeLb: input.fullChargeLb,
      performedAt: input.performedAt.toISOString(),
      windowStart: windowStart.toISOString(),
      windowStartExclusive: restarts,
      windowEnd: input.performedAt.toISOString(),
      windowDays,
      windowStartReason: restarts ? "FOLLOW_UP_TEST" : "365_DAYS",
      lastSuccessfulFollowUpAt: followUp ? followUp.toISOString() : null,
      additionsCounted: counted.map((a) => ({ performedAt: a.performedAt.toISOString(), lb: a.lb })),
      lbInWindow,
      laterAdditionsIgnored,
      alertAtPercentOfThreshold: alertAt,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Deadlines (each a UTC calendar day, as 00:00 UTC of that day; "overdue" starts the day after)

export type RepairDeadlineInput = {
  /** The day the leak rate exceeded the threshold (the addition that showed it). */
  detectedAt: Date;
  category: UnitCategory;
  /** Only industrial process refrigeration gets the longer period when its repair needs a shutdown. */
  needsShutdown?: boolean;
};
export type RepairDeadlines = { repairDueAt: Date; days: number; ruleVersion: string };

export function repairDeadlines(input: RepairDeadlineInput, rules: EpaRules = EPA_RULES): RepairDeadlines {
  validDate("detectedAt", input.detectedAt);
  if (!Object.hasOwn(CATEGORY_LABELS, input.category))
    throw new ComplianceInputError("category", `Unknown appliance category ${String(input.category)}.`);
  const { repairDays, repairDaysIndustrialShutdown } = rules.deadlines;
  const days =
    input.category === "INDUSTRIAL_PROCESS" && input.needsShutdown ? repairDaysIndustrialShutdown : repairDays;
  return { repairDueAt: plusDays(utcDay(input.detectedAt), days), days, ruleVersion: rules.version };
}

export type VerificationDeadlines = { followUpDueAt: Date; ruleVersion: string };

export function verificationDeadlines(
  input: { initialTestAt: Date },
  rules: EpaRules = EPA_RULES,
): VerificationDeadlines {
  validDate("initialTestAt", input.initialTestAt);
  return {
    followUpDueAt: plusDays(utcDay(input.initialTestAt), rules.deadlines.followUpVerificationDays),
    ruleVersion: rules.version,
  };
}

export type RetrofitDeadlineInput = {
  /** The day the repair (or its verification) failed. */
  failedAt: Date;
  /** The plan's date once it exists; completion is due one year after it. */
  planDatedAt?: Date | null;
};
export type RetrofitDeadlines = {
  planDueAt: Date;
  /** One year after the plan's date, or, until there is a plan, one year after its due date (the latest it can be). */
  completeBy: Date;
  completeByBasis: "PLAN_DATE" | "PLAN_DUE_DATE";
  ruleVersion: string;
};

export function retrofitDeadlines(input: RetrofitDeadlineInput, rules: EpaRules = EPA_RULES): RetrofitDeadlines {
  validDate("failedAt", input.failedAt);
  if (input.planDatedAt != null) validDate("planDatedAt", input.planDatedAt);
  const planDueAt = plusDays(utcDay(input.failedAt), rules.deadlines.retrofitPlanDays);
  const basis = input.planDatedAt ? utcDay(input.planDatedAt) : planDueAt;
  return {
    planDueAt,
    completeBy: new Date(addYears(basis, rules.deadlines.retrofitCompleteYears, { in: utc }).getTime()),
    completeByBasis: input.planDatedAt ? "PLAN_DATE" : "PLAN_DUE_DATE",
    ruleVersion: rules.version,
  };
}

// ---------------------------------------------------------------------------------------------
// Chronic leaker

export type ChronicLeakerInput = { year: number; fullChargeLb: number; additions: readonly Addition[] };
export type ChronicLeakerResult = {
  year: number;
  lbAdded: number;
  /** Rounded to 2 decimals, for display. */
  percentOfFullCharge: number;
  percentOfFullChargeExact: number;
  /** At or above 125% of the full charge. */
  chronic: boolean;
  threshold: number;
  additionsCounted: number;
  /** March 1 of the next year (00:00 UTC); a report is owed only when `chronic`. */
  reportDueAt: Date;
  ruleVersion: string;
  explanation: string;
};

/** Sums the additions in UTC calendar year `year` (Jan 1 00:00 UTC inclusive to Jan 1 of the next year exclusive). */
export function chronicLeaker(input: ChronicLeakerInput, rules: EpaRules = EPA_RULES): ChronicLeakerResult {
  const { year } = input;
  if (!Number.isInteger(year) || year < 1970 || year > 9998)
    throw new ComplianceInputError("year", "year must be a whole number between 1970 and 9998.");
  positive("fullChargeLb", input.fullChargeLb);
  if (!Array.isArray(input.additions)) throw new ComplianceInputError("additions", "additions must be a list.");
  input.additions.forEach((a, i) => {
    validDate(`additions[${i}].performedAt`, a?.performedAt);
    nonNegative(`additions[${i}].lb`, a.lb);
  });
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  const inYear = input.additions.filter((a) => a.performedAt.getTime() >= from && a.performedAt.getTime() < to);
  const lbAdded = settle(inYear.reduce((sum, a) => sum + a.lb, 0));
  const percentExact = (lbAdded * 100) / input.fullChargeLb;
  const percent = roundTo(percentExact, 2);
  const threshold = rules.chronicLeaker.percentOfFullCharge;
  const chronic = settle(percentExact) >= threshold;
  const { reportDueMonth, reportDueDay } = rules.chronicLeaker;
  const reportDueAt = new Date(Date.UTC(year + 1, reportDueMonth - 1, reportDueDay));
  return {
    year,
    lbAdded,
    percentOfFullCharge: percent,
    percentOfFullChargeExact: percentExact,
    chronic,
    threshold,
    additionsCounted: inYear.length,
    reportDueAt,
    ruleVersion: rules.version,
    explanation:
      `(${lb(lbAdded)} lb added in ${year} / ${lb(input.fullChargeLb)} lb) × 100 = ${pct(percent)}%: ` +
      (chronic
        ? `at or above ${threshold}%, a chronic leaker; report due to EPA by ${isoDay(reportDueAt)}.`
        : `below ${threshold}%, not a chronic leaker.`),
  };
}

// ---------------------------------------------------------------------------------------------
// Leak-status badge

export type LeakStatusLevel = "OK" | "ALERT" | "OVER_THRESHOLD" | "REPAIR_OVERDUE";
export type LeakStatusInput = {
  /** The unit's latest leak rate, if any. */
  latest?: { exceeded: boolean; alert: boolean; performedAt: Date } | null;
  /** The unit's leak repairs (open and done); `repairedAt` null while open. */
  repairs?: readonly { repairDueAt: Date | null; repairedAt: Date | null }[];
  now: Date;
};
export type LeakStatus = { level: LeakStatusLevel; reason: string };

/**
 * REPAIR_OVERDUE (an open repair past its due day) > OVER_THRESHOLD (an open repair, or a latest
 * rate over threshold not followed by a repair) > ALERT (latest rate at the alert level, not
 * followed by a repair) > OK.
 */
export function leakStatus(input: LeakStatusInput): LeakStatus {
  validDate("now", input.now);
  const repairs = input.repairs ?? [];
  repairs.forEach((r, i) => {
    if (r.repairDueAt != null) validDate(`repairs[${i}].repairDueAt`, r.repairDueAt);
    if (r.repairedAt != null) validDate(`repairs[${i}].repairedAt`, r.repairedAt);
  });
  const today = utcDay(input.now).getTime();
  const open = repairs.filter((r) => r.repairedAt == null);
  const overdue = open
    .filter((r): r is { repairDueAt: Date; repairedAt: null } => r.repairDueAt != null)
    .filter((r) => utcDay(r.repairDueAt).getTime() < today)
    .sort((a, b) => a.repairDueAt.getTime() - b.repairDueAt.getTime());
  const [firstOverdue] = overdue;
  if (firstOverdue) return { level: "REPAIR_OVERDUE", reason: `Repair was due ${isoDay(firstOverdue.repairDueAt)}.` };
  if (open.length > 0) {
    const due = open.find((r) => r.repairDueAt)?.repairDueAt;
    return { level: "OVER_THRESHOLD", reason: due ? `Repair open, due ${isoDay(due)}.` : "Repair open." };
  }
  const latest = input.latest;
  if (!latest) return { level: "OK", reason: "No leak rate recorded." };
  validDate("latest.performedAt", latest.performedAt);
  const repairedSince = repairs.some((r) => r.repairedAt && r.repairedAt.getTime() >= latest.performedAt.getTime());
  if (repairedSince) return { level: "OK", reason: "Repaired since the latest leak rate." };
  if (latest.exceeded) return { level: "OVER_THRESHOLD", reason: "The latest leak rate is over the threshold." };
  if (latest.alert) return { level: "ALERT", reason: "The latest leak rate is at or above the alert level." };
  return { level: "OK", reason: "The latest leak rate is below the alert level." };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function positive(field: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new ComplianceInputError(field, `${field} must be a number greater than 0.`);
}

function nonNegative(field: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new ComplianceInputError(field, `${field} must be a number, 0 or more.`);
}

function validDate(field: string, value: unknown): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new ComplianceInputError(field, `${field} must be a valid date.`);
}

/** Strips float noise (0.1 + 0.2 → 0.3) so comparisons with thresholds are exact at 9 decimals. */
function settle(x: number): number {
  return Number(x.toFixed(9));
}

const atLeast = (value: number, min: number) => settle(value) >= min;

/** Decimal half-up rounding: 1.005 → 1.01 (Math.round(1.005 * 100) / 100 gives 1). */
function roundTo(x: number, digits: number): number {
  const [mantissa, exponent] = settle(x).toExponential().split("e");
  const shifted = Math.round(Number(`${mantissa}e${Number(exponent) + digits}`));
  return Number(`${shifted}e-${digits}`);
}

const clamp = (x: number, min: number, max: number) => Math.min(Math.max(x, min), max);

const utcDay = (d: Date) => new Date(startOfDay(d, { in: utc }).getTime());
const plusDays = (d: Date, n: number) => new Date(addDays(d, n, { in: utc }).getTime());
/** Calendar days from `earlier`'s UTC day to `later`'s UTC day (times of day do not matter). */
const calendarDaysBetween = (later: Date, earlier: Date) => differenceInCalendarDays(later, earlier, { in: utc });
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const lbFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
const pctFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const lb = (x: number) => lbFormat.format(x);
const pct = (x: number) => pctFormat.format(x);
const plural = (n: number, word: string) => `${lbFormat.format(n)} ${word}${n === 1 ? "" : "s"}`;
