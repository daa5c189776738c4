import { z } from "@hono/zod-openapi";
import { LEAK_STATUSES } from "../../db/schema";
import { DateOrDateTime, DateTime, Id } from "../transfers/schemas";

export const DETECTION_METHODS = [
  "ELECTRONIC",
  "BUBBLE",
  "UV_DYE",
  "ULTRASONIC",
  "PRESSURE_TEST",
  "VISUAL",
  "OTHER",
] as const;
export type DetectionMethod = (typeof DETECTION_METHODS)[number];

export const LeakReportInput = z
  .strictObject({
    unitId: Id,
    /** When the leak was found; never in the future. */
    foundAt: DateTime,
    locationOnUnit: z
      .string({ message: "Say where on the unit the leak is." })
      .trim()
      .min(2, "Say where on the unit the leak is.")
      .max(200),
    detectionMethod: z.enum(DETECTION_METHODS),
    notes: z.string().trim().max(2000).nullable().optional(),
  })
  .openapi("LeakReportInput");
export type LeakReportInput = z.infer<typeof LeakReportInput>;

export const LeakRepairInput = z
  .strictObject({
    repairedAt: DateTime,
    description: z
      .string({ message: "Describe the repair." })
      .trim()
      .min(3, "Describe the repair (3 characters or more).")
      .max(2000),
  })
  .openapi("LeakRepairInput");
export type LeakRepairInput = z.infer<typeof LeakRepairInput>;

export const LeakVerificationInput = z
  .strictObject({
    kind: z.enum(["INITIAL", "FOLLOW_UP"]),
    testedAt: DateTime,
    passed: z.boolean({ message: "Say whether the test passed." }),
  })
  .openapi("LeakVerificationInput");
export type LeakVerificationInput = z.infer<typeof LeakVerificationInput>;

export const LeakRetrofitPlanInput = z
  .strictObject({
    plan: z
      .string({ message: "Describe the retrofit or retirement plan." })
      .trim()
      .min(10, "Describe the plan (10 characters or more).")
      .max(5000),
    /** When the retrofit or retirement will be done; at most one year after the plan. */
    completeBy: DateOrDateTime.optional(),
  })
  .openapi("LeakRetrofitPlanInput");
export type LeakRetrofitPlanInput = z.infer<typeof LeakRetrofitPlanInput>;

export const LeakCloseInput = z
  .strictObject({
    outcome: z.enum(["REPAIRED", "RETIRED"]),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .openapi("LeakCloseInput");
export type LeakCloseInput = z.infer<typeof LeakCloseInput>;

/** `ACTIVE` lists every case not yet closed or retired. */
export const LeakListQuery = z.object({
  status: z.enum([...LEAK_STATUSES, "ACTIVE"]).optional(),
  unitId: Id.optional(),
  overdue: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type LeakListQuery = z.infer<typeof LeakListQuery>;

export const LeakParams = z.object({ orgId: z.string().min(1).max(64), leakId: z.string().min(1).max(64) });
