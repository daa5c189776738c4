import { z } from "@hono/zod-openapi";
import { INHERITABLE_SETTINGS } from "../../db/schema";
import { OrgName } from "../auth/schemas";
import { StateCode, Zip } from "../customers/schemas";

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

export const TimeZone = z.string().max(64).refine(isTimeZone, "Unknown time zone.");
export const Ein = z.string().regex(/^\d{2}-\d{7}$/, "Use the format XX-XXXXXXX.");
const Percent = z.number().positive().max(100);

export const EpaConfigSchema = z
  .strictObject({
    coverageThresholdLb: z.number().positive().max(10_000),
    leakRateThresholds: z.strictObject({
      COMFORT_COOLING: Percent,
      COMMERCIAL_REFRIGERATION: Percent,
      INDUSTRIAL_PROCESS: Percent,
      REFRIGERATED_TRANSPORT: Percent,
      OTHER: Percent,
    }),
    alertAtPercentOfThreshold: z.number().int().min(1).max(100),
    calculationMethod: z.enum(["ANNUALIZING", "ROLLING_AVERAGE"]),
  })
  .openapi("EpaConfig");

export const OrgSettingsPatch = z
  .strictObject({
    name: OrgName.optional(),
    ein: Ein.nullable().optional(),
    brandLogoUrl: z
      .url({ protocol: /^https?$/, message: "Enter an http(s) address." })
      .max(500)
      .nullable()
      .optional(),
    brandColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #0e7490.")
      .nullable()
      .optional(),
    timeZone: TimeZone.optional(),
    epaConfig: EpaConfigSchema.optional(),
    /** The branch's address: where its warehouse cylinders are (sales territories). */
    addressState: StateCode.nullable().optional(),
    addressZip: Zip.nullable().optional(),
    /** A sub-org's settings to put back to its parent's values ("Use parent's"), ending their override. */
    inherit: z.array(z.enum(INHERITABLE_SETTINGS)).max(INHERITABLE_SETTINGS.length).optional(),
  })
  .openapi("OrgSettingsPatch");

export const SubOrgInput = z
  .strictObject({ name: OrgName, ein: Ein.optional(), timeZone: TimeZone.optional() })
  .openapi("SubOrgInput");
