/**
 * The compliance engine against hand-worked examples (SPEC §6). The arithmetic of each case is in
 * its comments; dates are UTC ("2026-01-31" parses as 2026-01-31T00:00:00Z).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EpaConfig } from "../../db/schema";
import {
  type Addition,
  ComplianceInputError,
  chronicLeaker,
  coverage,
  type LeakRateInput,
  leakRate,
  leakStatus,
  repairDeadlines,
  retrofitDeadlines,
  verificationDeadlines,
} from "../../worker/compliance/engine";
import { defaultEpaConfig, EPA_RULES, RULE_VERSION } from "../../worker/compliance/rules";
import { DEFAULT_EPA_CONFIG } from "../../worker/orgs/epa";

const day = (iso: string) => new Date(iso);
const config: EpaConfig = DEFAULT_EPA_CONFIG;
const annual = (over: Partial<LeakRateInput>): LeakRateInput => ({
  method: "ANNUALIZING",
  fullChargeLb: 20,
  addedLb: 2,
  performedAt: day("2026-01-31"),
  previousAdditions: [],
  category: "COMFORT_COOLING",
  config,
  ...over,
});
const rolling = (over: Partial<LeakRateInput>): LeakRateInput => annual({ method: "ROLLING_AVERAGE", ...over });

/** Asserts `fn` throws a ComplianceInputError naming `field`. */
function expectInputError(fn: () => unknown, field: string) {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ComplianceInputError);
  expect(thrown).toMatchObject({ code: "INVALID_COMPLIANCE_INPUT", field });
}

describe("rules", () => {
  it("are versioned and frozen, and the org default config derives from them", () => {
    expect(RULE_VERSION).toBe("epa-2026.1");
    expect(EPA_RULES.version).toBe(RULE_VERSION);
    expect(Object.isFrozen(EPA_RULES.leakRate.defaultThresholds)).toBe(true);
    // worker/orgs/epa.ts must not drift from the rules.
    expect(defaultEpaConfig()).toEqual(DEFAULT_EPA_CONFIG);
  });
});

describe("coverage", () => {
  const r22 = { designation: "R-22", ods: true, gwp: 1810 };
  const r410a = { designation: "R-410A", ods: false, gwp: 2088 };

  it("Part 82: R-22 is covered from 50 lb", () => {
    expect(coverage({ refrigerant: r22, fullChargeLb: 49 }, config)).toMatchObject({ covered: false, rule: null });
    expect(coverage({ refrigerant: r22, fullChargeLb: 50 }, config)).toEqual({
      covered: true,
      rule: "PART_82_SUBPART_F",
      thresholdLb: 50,
      reason:
        "R-22 is an ozone-depleting substance and the full charge of 50 lb is at least 50 lb: covered by Part 82 Subpart F.",
      ruleVersion: "epa-2026.1",
    });
  });

  it("an ODS below 50 lb is not picked up by Part 84 even though its GWP is over 53", () => {
    // R-22 at 20 lb: over 15 lb and GWP 1810 > 53, but Part 84 is for HFCs and substitutes.
    expect(coverage({ refrigerant: r22, fullChargeLb: 20 }, config)).toMatchObject({ covered: false, thresholdLb: 50 });
  });

  it("Part 84: R-410A (GWP 2088) is covered from 15 lb", () => {
    expect(coverage({ refrigerant: r410a, fullChargeLb: 14.9 }, config)).toMatchObject({ covered: false, rule: null });
    expect(coverage({ refrigerant: r410a, fullChargeLb: 15 }, config)).toMatchObject({
      covered: true,
      rule: "PART_84_SUBPART_C",
      thresholdLb: 15,
    });
  });

  it("low-GWP refrigerants are never covered: R-744 (GWP 1), R-290 (GWP 3), GWP exactly 53", () => {
    const r744 = coverage({ refrigerant: { designation: "R-744", ods: false, gwp: 1 }, fullChargeLb: 5000 }, config);
    expect(r744).toMatchObject({ covered: false, rule: null, thresholdLb: null });
    expect(r744.reason).toContain("GWP of 1 is not above 53");
    expect(
      coverage({ refrigerant: { designation: "R-290", ods: false, gwp: 3 }, fullChargeLb: 100 }, config),
    ).toMatchObject({ covered: false });
    expect(
      coverage({ refrigerant: { designation: "X", ods: false, gwp: 53 }, fullChargeLb: 100 }, config).covered,
    ).toBe(false);
    expect(
      coverage({ refrigerant: { designation: "X", ods: false, gwp: 54 }, fullChargeLb: 100 }, config).covered,
    ).toBe(true);
  });

  it("uses the org's coverage threshold for Part 84, not for Part 82", () => {
    const custom = { ...config, coverageThresholdLb: 20 };
    expect(coverage({ refrigerant: r410a, fullChargeLb: 19.9 }, custom).covered).toBe(false);
    expect(coverage({ refrigerant: r410a, fullChargeLb: 20 }, custom)).toMatchObject({
      covered: true,
      thresholdLb: 20,
    });
    expect(coverage({ refrigerant: r22, fullChargeLb: 50 }, custom).covered).toBe(true);
  });

  it("Part 84 applies from 2026-01-01 when a date is given", () => {
    expect(coverage({ refrigerant: r410a, fullChargeLb: 100, asOf: day("2025-12-31T23:59:59Z") }, config).covered).toBe(
      false,
    );
    expect(coverage({ refrigerant: r410a, fullChargeLb: 100, asOf: day("2026-01-01") }, config).covered).toBe(true);
    expect(coverage({ refrigerant: r22, fullChargeLb: 60, asOf: day("2020-06-01") }, config).covered).toBe(true);
  });

  it("rejects a full charge of 0, a negative one, NaN and a negative GWP", () => {
    for (const fullChargeLb of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expectInputError(() => coverage({ refrigerant: r410a, fullChargeLb }, config), "fullChargeLb");
    expectInputError(
      () => coverage({ refrigerant: { ...r410a, gwp: -1 }, fullChargeLb: 20 }, config),
      "refrigerant.gwp",
    );
  });
});

describe("leak rate: annualizing", () => {
  it("the first addition uses 365 days; exactly at the threshold is not exceeded", () => {
    // (2 / 20) × (365 / 365) × 100 = 10% = the comfort-cooling threshold: not over it; alert (>= 8%).
    const result = leakRate(annual({}));
    expect(result).toMatchObject({
      method: "ANNUALIZING",
      percent: 10,
      threshold: 10,
      alertLevel: 8,
      exceeded: false,
      alert: true,
      ruleVersion: "epa-2026.1",
    });
    expect(result.inputs).toMatchObject({ firstAddition: true, daysSincePrevious: null, daysUsed: 365 });
    expect(result.explanation).toBe(
      "(2 lb / 20 lb) × (365 / 365 days) × 100 = 10.00% (first recorded addition, so 365 days are used). " +
        "Not over the 10% threshold for comfort cooling, but at or above the 8% alert level (80% of it).",
    );
  });

  it("30 days since the previous addition", () => {
    // (2 / 20) × (365 / 30) × 100 = 0.1 × 12.1666… × 100 = 121.666…% → 121.67%, over 10%.
    const result = leakRate(annual({ previousAdditions: [{ performedAt: day("2026-01-01"), lb: 3 }] }));
    expect(result.percent).toBe(121.67);
    expect(result.percentExact).toBeCloseTo(121.6666667, 6);
    expect(result).toMatchObject({ exceeded: true, alert: true });
    expect(result.inputs).toEqual({
      method: "ANNUALIZING",
      category: "COMFORT_COOLING",
      addedLb: 2,
      fullChargeLb: 20,
      performedAt: "2026-01-31T00:00:00.000Z",
      previousAdditionAt: "2026-01-01T00:00:00.000Z",
      daysSincePrevious: 30,
      daysUsed: 30,
      firstAddition: false,
      capped: false,
      laterAdditionsIgnored: 0,
      alertAtPercentOfThreshold: 80,
    });
    expect(result.explanation).toBe(
      "(2 lb / 20 lb) × (365 / 30 days) × 100 = 121.67% (30 days since the previous addition on 2026-01-01). " +
        "Over the 10% threshold for comfort cooling.",
    );
  });

  it("caps the days at 365: 500 days since the previous addition uses 365", () => {
    // 2024-09-01 → 2025-09-01 = 365 days; → 2026-01-14 = 29 + 31 + 30 + 31 + 14 = 135 more: 500.
    // (5 / 50) × (365 / 365) × 100 = 10%: commercial refrigeration threshold 20%, alert 16%: neither.
    const result = leakRate(
      annual({
        fullChargeLb: 50,
        addedLb: 5,
        performedAt: day("2026-01-14"),
        previousAdditions: [{ performedAt: day("2024-09-01"), lb: 1 }],
        category: "COMMERCIAL_REFRIGERATION",
      }),
    );
    expect(result).toMatchObject({ percent: 10, threshold: 20, alertLevel: 16, exceeded: false, alert: false });
    expect(result.inputs).toMatchObject({ daysSincePrevious: 500, daysUsed: 365, capped: true });
    expect(result.explanation).toContain("(5 lb / 50 lb) × (365 / 365 days) × 100 = 10.00%");
    expect(result.explanation).toContain("500 days since the previous addition on 2024-09-01, capped at 365");
    // Exactly 365 days is not "capped": 2025-01-14 → 2026-01-14.
    const exact = leakRate(
      annual({ performedAt: day("2026-01-14"), previousAdditions: [{ performedAt: day("2025-01-14"), lb: 1 }] }),
    );
    expect(exact.inputs).toMatchObject({ daysSincePrevious: 365, daysUsed: 365, capped: false });
  });

  it("a same-day addition counts as 1 day", () => {
    // (0.5 / 100) × (365 / 1) × 100 = 182.5%.
    const result = leakRate(
      annual({
        fullChargeLb: 100,
        addedLb: 0.5,
        performedAt: day("2026-03-10T15:00:00Z"),
        previousAdditions: [{ performedAt: day("2026-03-10T08:00:00Z"), lb: 1 }],
      }),
    );
    expect(result).toMatchObject({ percent: 182.5, exceeded: true });
    expect(result.inputs).toMatchObject({ daysSincePrevious: 0, daysUsed: 1 });
    expect(result.explanation).toContain("(0.5 lb / 100 lb) × (365 / 1 day) × 100 = 182.50%");
  });

  it("counts calendar days (UTC), not 24-hour periods", () => {
    // 23:00 → 01:00 next day is 2 hours but 1 calendar day; 01:00 → 23:00 next day is 46 hours, still 1.
    const short = leakRate(
      annual({
        performedAt: day("2026-03-10T01:00:00Z"),
        previousAdditions: [{ performedAt: day("2026-03-09T23:00:00Z"), lb: 1 }],
      }),
    );
    const long = leakRate(
      annual({
        performedAt: day("2026-03-10T23:00:00Z"),
        previousAdditions: [{ performedAt: day("2026-03-09T01:00:00Z"), lb: 1 }],
      }),
    );
    expect(short.inputs).toMatchObject({ daysSincePrevious: 1 });
    expect(long.inputs).toMatchObject({ daysSincePrevious: 1 });
  });

  it("uses the latest addition strictly before this one; later (backdated) and same-instant ones are ignored", () => {
    // Previous additions: 2026-01-01, 2026-02-15, one at the same instant, one on 2026-05-01 (after).
    // Latest strictly before 2026-03-17 is 2026-02-15: 13 + 17 = 30 days.
    // (1.5 / 30) × (365 / 30) × 100 = 0.05 × 12.1666… × 100 = 60.8333…% → 60.83%.
    const performedAt = day("2026-03-17T10:00:00Z");
    const result = leakRate(
      annual({
        fullChargeLb: 30,
        addedLb: 1.5,
        performedAt,
        previousAdditions: [
          { performedAt: day("2026-05-01"), lb: 9 },
          { performedAt: day("2026-01-01"), lb: 2 },
          { performedAt, lb: 4 },
          { performedAt: day("2026-02-15T16:00:00Z"), lb: 1 },
        ],
      }),
    );
    expect(result.percent).toBe(60.83);
    expect(result.inputs).toMatchObject({
      previousAdditionAt: "2026-02-15T16:00:00.000Z",
      daysSincePrevious: 30,
      laterAdditionsIgnored: 1,
    });
  });

  it("just over the threshold is exceeded", () => {
    // Commercial refrigeration, threshold 20%: (4 / 20) × 100 = 20% is not over; (4.01 / 20) × 100 = 20.05% is.
    const at = leakRate(annual({ category: "COMMERCIAL_REFRIGERATION", addedLb: 4 }));
    const over = leakRate(annual({ category: "COMMERCIAL_REFRIGERATION", addedLb: 4.01 }));
    expect(at).toMatchObject({ percent: 20, threshold: 20, exceeded: false, alert: true });
    expect(over).toMatchObject({ percent: 20.05, exceeded: true, alert: true });
    // Industrial process 30%: (6 / 20) × 100 = 30% not over; (6.002 / 20) × 100 = 30.01% over.
    expect(leakRate(annual({ category: "INDUSTRIAL_PROCESS", addedLb: 6 })).exceeded).toBe(false);
    expect(leakRate(annual({ category: "INDUSTRIAL_PROCESS", addedLb: 6.002 })).exceeded).toBe(true);
  });

  it("float noise never turns exactly-at-threshold into exceeded", () => {
    // (1.1 / 11) × (365 / 365) × 100 is exactly 10%, but floating point computes 10.000000000000002.
    const result = leakRate(annual({ fullChargeLb: 11, addedLb: 1.1 }));
    expect(result.percentExact).toBeGreaterThan(10);
    expect(result).toMatchObject({ percent: 10, threshold: 10, exceeded: false, alert: true });
  });

  it("alerts at 80% of the threshold by default, and at a custom 90%", () => {
    // Comfort cooling 10%: alert level 8%. (1.6 / 20) × 100 = 8% → alert; (1.59 / 20) × 100 = 7.95% → none.
    expect(leakRate(annual({ addedLb: 1.6 }))).toMatchObject({
      percent: 8,
      alertLevel: 8,
      alert: true,
      exceeded: false,
    });
    expect(leakRate(annual({ addedLb: 1.59 }))).toMatchObject({ percent: 7.95, alert: false });
    // At 90% the alert level is 9%: 8% is no alert any more; (1.8 / 20) × 100 = 9% is.
    const at90 = { ...config, alertAtPercentOfThreshold: 90 };
    expect(leakRate(annual({ addedLb: 1.6, config: at90 }))).toMatchObject({ alertLevel: 9, alert: false });
    expect(leakRate(annual({ addedLb: 1.8, config: at90 }))).toMatchObject({ alertLevel: 9, alert: true });
    const below = leakRate(annual({ addedLb: 1.6, config: at90 }));
    expect(below.explanation).toContain("Below the 9% alert level (90% of the 10% threshold for comfort cooling).");
    expect(below.inputs.alertAtPercentOfThreshold).toBe(90);
  });

  it("uses the org's category thresholds", () => {
    // A stricter org: comfort cooling at 5%. (2 / 20) × 100 = 10% > 5%.
    const strict = { ...config, leakRateThresholds: { ...config.leakRateThresholds, COMFORT_COOLING: 5 } };
    expect(leakRate(annual({ config: strict }))).toMatchObject({ threshold: 5, alertLevel: 4, exceeded: true });
  });

  it("takes the method from the org's config when none is given", () => {
    const rollingOrg = { ...config, calculationMethod: "ROLLING_AVERAGE" as const };
    expect(leakRate(annual({ method: undefined, config: rollingOrg })).method).toBe("ROLLING_AVERAGE");
    expect(leakRate(annual({ method: undefined })).method).toBe("ANNUALIZING");
  });
});

describe("leak rate: rolling average", () => {
  // Commercial refrigeration (20%, alert 16%), 40 lb full charge, 2 lb added on 2026-06-01.
  // The window is the 365 calendar days ending on 2026-06-01: 2025-06-02 … 2026-06-01.
  const base = {
    fullChargeLb: 40,
    addedLb: 2,
    performedAt: day("2026-06-01"),
    category: "COMMERCIAL_REFRIGERATION" as const,
  };

  it("counts additions inside the 365-day window; one exactly 365 days before is outside", () => {
    // 2025-06-01 is 365 days before 2026-06-01: outside. 2025-06-02 (364 days): inside.
    // (1 + 2.5 + 2) = 5.5 lb; 5.5 / 40 × 100 = 13.75%: below 16%.
    // (Counting the 3 lb of 2025-06-01 would give 8.5 / 40 × 100 = 21.25%, over 20%.)
    const previousAdditions: Addition[] = [
      { performedAt: day("2025-06-01"), lb: 3 },
      { performedAt: day("2025-06-02"), lb: 1 },
      { performedAt: day("2025-12-01"), lb: 2.5 },
      { performedAt: day("2026-07-01"), lb: 5 }, // after this addition (entered later, backdated): ignored
    ];
    const result = leakRate(rolling({ ...base, previousAdditions }));
    expect(result).toMatchObject({
      method: "ROLLING_AVERAGE",
      percent: 13.75,
      threshold: 20,
      alertLevel: 16,
      exceeded: false,
      alert: false,
    });
    expect(result.inputs).toEqual({
      method: "ROLLING_AVERAGE",
      category: "COMMERCIAL_REFRIGERATION",
      addedLb: 2,
      fullChargeLb: 40,
      performedAt: "2026-06-01T00:00:00.000Z",
      windowStart: "2025-06-02T00:00:00.000Z",
      windowStartExclusive: false,
      windowEnd: "2026-06-01T00:00:00.000Z",
      windowDays: 365,
      windowStartReason: "365_DAYS",
      lastSuccessfulFollowUpAt: null,
      additionsCounted: [
        { performedAt: "2025-06-02T00:00:00.000Z", lb: 1 },
        { performedAt: "2025-12-01T00:00:00.000Z", lb: 2.5 },
        { performedAt: "2026-06-01T00:00:00.000Z", lb: 2 },
      ],
      lbInWindow: 5.5,
      laterAdditionsIgnored: 1,
      alertAtPercentOfThreshold: 80,
    });
    expect(result.explanation).toBe(
      "(5.5 lb / 40 lb) × 100 = 13.75% (1 lb + 2.5 lb + 2 lb = 5.5 lb over 3 additions, in the 365 days " +
        "2025-06-02 to 2026-06-01, this addition's day included). " +
        "Below the 16% alert level (80% of the 20% threshold for commercial refrigeration).",
    );
  });

  it("counts another addition at the very same time, but not one later the same day", () => {
    // 2 + 1 (same instant) = 3 lb; 3 / 40 × 100 = 7.5%. The 4 lb at 18:00 is after 12:00: ignored.
    const performedAt = day("2026-06-01T12:00:00Z");
    const result = leakRate(
      rolling({
        ...base,
        performedAt,
        previousAdditions: [
          { performedAt, lb: 1 },
          { performedAt: day("2026-06-01T18:00:00Z"), lb: 4 },
        ],
      }),
    );
    expect(result.percent).toBe(7.5);
    expect(result.inputs).toMatchObject({ lbInWindow: 3, laterAdditionsIgnored: 1 });
  });

  it("with no other addition, it is this addition over the full charge", () => {
    // 2 / 40 × 100 = 5%.
    const result = leakRate(rolling({ ...base, previousAdditions: [] }));
    expect(result.percent).toBe(5);
    expect(result.explanation).toContain("(2 lb / 40 lb) × 100 = 5.00% (this addition only, in the 365 days");
  });

  describe("restarts the window after a successful follow-up verification test", () => {
    const previousAdditions: Addition[] = [
      { performedAt: day("2025-09-01"), lb: 4 },
      { performedAt: day("2026-01-10"), lb: 3 },
      { performedAt: day("2026-02-01"), lb: 1.5 },
    ];

    it("without a test: 4 + 3 + 1.5 + 2 = 10.5 lb; 10.5 / 40 × 100 = 26.25%, over 20%", () => {
      expect(leakRate(rolling({ ...base, previousAdditions }))).toMatchObject({ percent: 26.25, exceeded: true });
    });

    it("test on 2026-01-20: only 1.5 + 2 = 3.5 lb count; 3.5 / 40 × 100 = 8.75%", () => {
      const result = leakRate(rolling({ ...base, previousAdditions, lastSuccessfulFollowUpAt: day("2026-01-20") }));
      expect(result).toMatchObject({ percent: 8.75, exceeded: false, alert: false });
      expect(result.inputs).toMatchObject({
        windowStart: "2026-01-20T00:00:00.000Z",
        windowStartExclusive: true,
        windowStartReason: "FOLLOW_UP_TEST",
        lastSuccessfulFollowUpAt: "2026-01-20T00:00:00.000Z",
        lbInWindow: 3.5,
        windowDays: 133, // 2026-01-20 … 2026-06-01: 12 + 28 + 31 + 30 + 31 + 1
      });
      expect(result.explanation).toContain(
        "after the successful follow-up verification test on 2026-01-20 (shorter than 365 days)",
      );
    });

    it("an addition on the test's own date (date-only records) is before the restart", () => {
      // The 1.5 lb recharge recorded on 2026-02-01, test also recorded 2026-02-01: not counted → 2 / 40 = 5%.
      const result = leakRate(rolling({ ...base, previousAdditions, lastSuccessfulFollowUpAt: day("2026-02-01") }));
      expect(result.percent).toBe(5);
      // Timed: an addition after the test the same day counts. 1.5 + 2 = 3.5 lb → 8.75%.
      const timed = leakRate(
        rolling({ ...base, previousAdditions, lastSuccessfulFollowUpAt: day("2026-01-31T23:00:00Z") }),
      );
      expect(timed.percent).toBe(8.75);
    });

    it("a test older than the 365-day window, or after this addition, changes nothing", () => {
      const old = leakRate(rolling({ ...base, previousAdditions, lastSuccessfulFollowUpAt: day("2025-03-01") }));
      expect(old).toMatchObject({ percent: 26.25 });
      expect(old.inputs).toMatchObject({
        windowStartReason: "365_DAYS",
        lastSuccessfulFollowUpAt: "2025-03-01T00:00:00.000Z",
      });
      const later = leakRate(rolling({ ...base, previousAdditions, lastSuccessfulFollowUpAt: day("2026-06-10") }));
      expect(later).toMatchObject({ percent: 26.25 });
    });
  });

  it("float noise in the sum never turns exactly-at-threshold into exceeded", () => {
    // 0.1 + 0.2 = 0.30000000000000004 in floating point; 0.3 / 3 × 100 = 10% exactly: not over 10%.
    const result = leakRate(
      rolling({
        fullChargeLb: 3,
        addedLb: 0.2,
        performedAt: day("2026-06-01"),
        previousAdditions: [{ performedAt: day("2026-05-01"), lb: 0.1 }],
      }),
    );
    expect(result).toMatchObject({ percent: 10, exceeded: false, alert: true });
  });

  it("results are plain JSON: they survive a JSON round trip unchanged", () => {
    const result = leakRate(rolling({ ...base, previousAdditions: [{ performedAt: day("2026-01-01"), lb: 1 }] }));
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe("leak rate: invalid input throws a typed error", () => {
  it.each([
    ["fullChargeLb", { fullChargeLb: 0 }],
    ["fullChargeLb", { fullChargeLb: -20 }],
    ["fullChargeLb", { fullChargeLb: Number.NaN }],
    ["addedLb", { addedLb: -1 }],
    ["addedLb", { addedLb: Number.POSITIVE_INFINITY }],
    ["performedAt", { performedAt: new Date("not a date") }],
    [
      "previousAdditions[1].lb",
      {
        previousAdditions: [
          { performedAt: day("2026-01-01"), lb: 1 },
          { performedAt: day("2026-01-02"), lb: -2 },
        ],
      },
    ],
    ["previousAdditions[0].performedAt", { previousAdditions: [{ performedAt: new Date(Number.NaN), lb: 1 }] }],
    ["category", { category: "SPACESHIP" as never }],
    ["config.alertAtPercentOfThreshold", { config: { ...config, alertAtPercentOfThreshold: 0 } }],
    ["config.alertAtPercentOfThreshold", { config: { ...config, alertAtPercentOfThreshold: 120 } }],
    [
      "config.leakRateThresholds.COMFORT_COOLING",
      { config: { ...config, leakRateThresholds: { ...config.leakRateThresholds, COMFORT_COOLING: 0 } } },
    ],
    ["method", { method: "GUESS" as never }],
  ] as [string, Partial<LeakRateInput>][])("%s", (field, over) => {
    expectInputError(() => leakRate(annual(over)), field);
  });

  it("an addition of 0 lb is allowed and gives 0%", () => {
    expect(leakRate(annual({ addedLb: 0 }))).toMatchObject({ percent: 0, exceeded: false, alert: false });
  });
});

describe("deadlines", () => {
  it("repair is due 30 days after the threshold was exceeded, as a UTC calendar day", () => {
    // 2026-03-10 + 30 days: 21 days to 2026-03-31, 9 more: 2026-04-09.
    expect(repairDeadlines({ detectedAt: day("2026-03-10T14:30:00Z"), category: "COMFORT_COOLING" })).toEqual({
      repairDueAt: day("2026-04-09"),
      days: 30,
      ruleVersion: "epa-2026.1",
    });
  });

  it("120 days only for industrial process refrigeration needing a shutdown", () => {
    // 2026-03-10 + 120: 21 (→ 03-31) + 30 (→ 04-30) + 31 (→ 05-31) + 30 (→ 06-30) + 8 = 2026-07-08.
    const detectedAt = day("2026-03-10");
    expect(repairDeadlines({ detectedAt, category: "INDUSTRIAL_PROCESS", needsShutdown: true })).toMatchObject({
      repairDueAt: day("2026-07-08"),
      days: 120,
    });
    expect(repairDeadlines({ detectedAt, category: "INDUSTRIAL_PROCESS", needsShutdown: false }).days).toBe(30);
    expect(repairDeadlines({ detectedAt, category: "COMMERCIAL_REFRIGERATION", needsShutdown: true }).days).toBe(30);
  });

  it("follow-up verification within 10 days of the initial test", () => {
    expect(verificationDeadlines({ initialTestAt: day("2026-04-25T10:00:00Z") })).toEqual({
      followUpDueAt: day("2026-05-05"),
      ruleVersion: "epa-2026.1",
    });
  });

  it("retrofit plan 30 days after the failed repair, done within a year of the plan", () => {
    // 2026-04-20 + 30 = 2026-05-20; no plan yet: a year after the plan's due date, 2027-05-20.
    expect(retrofitDeadlines({ failedAt: day("2026-04-20") })).toEqual({
      planDueAt: day("2026-05-20"),
      completeBy: day("2027-05-20"),
      completeByBasis: "PLAN_DUE_DATE",
      ruleVersion: "epa-2026.1",
    });
    // Plan dated 2026-05-02: complete by 2027-05-02.
    expect(retrofitDeadlines({ failedAt: day("2026-04-20"), planDatedAt: day("2026-05-02") })).toMatchObject({
      completeBy: day("2027-05-02"),
      completeByBasis: "PLAN_DATE",
    });
    // A plan dated 2028-02-29: one year later is 2029-02-28 (no Feb 29 in 2029).
    expect(retrofitDeadlines({ failedAt: day("2028-02-01"), planDatedAt: day("2028-02-29") }).completeBy).toEqual(
      day("2029-02-28"),
    );
  });

  it("reject invalid dates", () => {
    expectInputError(() => repairDeadlines({ detectedAt: new Date(Number.NaN), category: "OTHER" }), "detectedAt");
    expectInputError(() => verificationDeadlines({ initialTestAt: new Date("x") }), "initialTestAt");
    expectInputError(() => retrofitDeadlines({ failedAt: new Date("x") }), "failedAt");
  });
});

describe("chronic leaker", () => {
  // 40 lb full charge: 125% is 50 lb added in the calendar year.
  const outside: Addition[] = [
    { performedAt: day("2025-12-31T23:59:59Z"), lb: 10 }, // previous year: excluded
    { performedAt: day("2027-01-01T00:00:00Z"), lb: 5 }, // next year: excluded
  ];

  it("124.9% is not chronic; previous-year additions do not count", () => {
    // 20 + 15 + 14.96 = 49.96 lb; 49.96 / 40 × 100 = 124.9%.
    const result = chronicLeaker({
      year: 2026,
      fullChargeLb: 40,
      additions: [
        ...outside,
        { performedAt: day("2026-01-01T00:00:00Z"), lb: 20 },
        { performedAt: day("2026-06-15"), lb: 15 },
        { performedAt: day("2026-12-31T23:59:59Z"), lb: 14.96 },
      ],
    });
    expect(result).toMatchObject({
      year: 2026,
      lbAdded: 49.96,
      percentOfFullCharge: 124.9,
      chronic: false,
      threshold: 125,
      additionsCounted: 3,
    });
  });

  it("125% is chronic, with the report due March 1 of the next year", () => {
    // 20 + 15 + 15 = 50 lb; 50 / 40 × 100 = 125%.
    const result = chronicLeaker({
      year: 2026,
      fullChargeLb: 40,
      additions: [
        ...outside,
        { performedAt: day("2026-01-01"), lb: 20 },
        { performedAt: day("2026-06-15"), lb: 15 },
        { performedAt: day("2026-12-31"), lb: 15 },
      ],
    });
    expect(result).toMatchObject({ lbAdded: 50, percentOfFullCharge: 125, chronic: true });
    expect(result.reportDueAt).toEqual(day("2027-03-01"));
    expect(result.explanation).toBe(
      "(50 lb added in 2026 / 40 lb) × 100 = 125.00%: at or above 125%, a chronic leaker; report due to EPA by 2027-03-01.",
    );
  });

  it("rejects a bad year, full charge or amount", () => {
    expectInputError(() => chronicLeaker({ year: 2026.5, fullChargeLb: 40, additions: [] }), "year");
    expectInputError(() => chronicLeaker({ year: 2026, fullChargeLb: 0, additions: [] }), "fullChargeLb");
    expectInputError(
      () => chronicLeaker({ year: 2026, fullChargeLb: 40, additions: [{ performedAt: day("2026-02-01"), lb: -3 }] }),
      "additions[0].lb",
    );
  });
});

describe("leak status badge", () => {
  const now = day("2026-05-10T12:00:00Z");
  const latest = (exceeded: boolean, alert: boolean) => ({ exceeded, alert, performedAt: day("2026-04-01") });

  it("OK, ALERT and OVER_THRESHOLD from the latest rate", () => {
    expect(leakStatus({ now }).level).toBe("OK");
    expect(leakStatus({ latest: latest(false, false), now }).level).toBe("OK");
    expect(leakStatus({ latest: latest(false, true), now }).level).toBe("ALERT");
    expect(leakStatus({ latest: latest(true, true), now }).level).toBe("OVER_THRESHOLD");
  });

  it("an open repair is OVER_THRESHOLD until the day after it is due, then REPAIR_OVERDUE", () => {
    const dueToday = { repairDueAt: day("2026-05-10"), repairedAt: null };
    const dueYesterday = { repairDueAt: day("2026-05-09"), repairedAt: null };
    expect(leakStatus({ latest: latest(true, true), repairs: [dueToday], now })).toEqual({
      level: "OVER_THRESHOLD",
      reason: "Repair open, due 2026-05-10.",
    });
    expect(leakStatus({ latest: latest(false, false), repairs: [dueYesterday], now })).toEqual({
      level: "REPAIR_OVERDUE",
      reason: "Repair was due 2026-05-09.",
    });
  });

  it("a repair done after the latest rate clears it; one done late is no longer overdue", () => {
    const repaired = { repairDueAt: day("2026-05-01"), repairedAt: day("2026-05-05") };
    expect(leakStatus({ latest: latest(true, true), repairs: [repaired], now }).level).toBe("OK");
    // A repair done before the latest rate does not clear that rate.
    const earlier = { repairDueAt: day("2026-03-01"), repairedAt: day("2026-03-02") };
    expect(leakStatus({ latest: latest(true, true), repairs: [earlier], now }).level).toBe("OVER_THRESHOLD");
  });
});

describe("purity", () => {
  afterEach(() => vi.restoreAllMocks());

  it("never reads the clock", () => {
    vi.spyOn(Date, "now").mockImplementation(() => {
      throw new Error("the engine read the clock");
    });
    leakRate(annual({ previousAdditions: [{ performedAt: day("2026-01-01"), lb: 1 }] }));
    leakRate(rolling({ previousAdditions: [{ performedAt: day("2026-01-01"), lb: 1 }] }));
    coverage({ refrigerant: { designation: "R-32", ods: false, gwp: 675 }, fullChargeLb: 20 }, config);
    repairDeadlines({ detectedAt: day("2026-01-01"), category: "OTHER" });
    verificationDeadlines({ initialTestAt: day("2026-01-01") });
    retrofitDeadlines({ failedAt: day("2026-01-01") });
    chronicLeaker({ year: 2026, fullChargeLb: 10, additions: [] });
    leakStatus({ now: day("2026-01-01") });
  });
});
