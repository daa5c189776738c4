import type { EpaConfig } from "../../db/schema";

/** SPEC §6 defaults: Part 84 coverage from 15 lb, category thresholds, alert at 80% of threshold. */
export const DEFAULT_EPA_CONFIG: EpaConfig = {
  coverageThresholdLb: 15,
  leakRateThresholds: {
    COMFORT_COOLING: 10,
    COMMERCIAL_REFRIGERATION: 20,
    INDUSTRIAL_PROCESS: 30,
    REFRIGERATED_TRANSPORT: 10,
    OTHER: 10,
  },
  alertAtPercentOfThreshold: 80,
  calculationMethod: "ANNUALIZING",
};
