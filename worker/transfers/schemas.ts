import { z } from "@hono/zod-openapi";
import { TRANSFER_KINDS, TRANSFER_STATUSES } from "../../db/schema";

export const Id = z.string().trim().min(1).max(64);
/** An instant with its offset, e.g. 2026-11-28T14:30:00Z or 2026-11-28T09:30:00-05:00. */
export const DateTime = z.iso.datetime({ offset: true, message: "Use an ISO date-time, e.g. 2026-11-28T14:30:00Z." });
/** A day or an instant, for list filters. */
export const DateOrDateTime = z.union([z.iso.date(), DateTime], {
  message: "Use a date (YYYY-MM-DD) or an ISO date-time.",
});

const hasAtMostThreeDecimals = (value: number) => Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6;

/** Pounds, > 0, at most 10,000 lb, to the thousandth (the UI converts lb + oz). */
export const AmountLb = z
  .number({ message: "Enter the amount in pounds." })
  .positive("The amount must be more than 0 lb.")
  .max(10_000, "The amount cannot be more than 10,000 lb.")
  .refine(hasAtMostThreeDecimals, "Use at most 3 decimals (a thousandth of a pound).");

export const TransferKind = z.enum(TRANSFER_KINDS);

export const TransferCreateInput = z
  .strictObject({
    kind: TransferKind,
    unitId: Id.optional(),
    fromCylinderId: Id.optional(),
    toCylinderId: Id.optional(),
    amountLb: AmountLb,
    /** Date of service; defaults to now, never in the future. */
    performedAt: DateTime.optional(),
    /** Defaults to the caller; MANAGER and up may record for another technician of the org. */
    technicianId: Id.optional(),
    jobId: Id.nullable().optional(),
    notes: z.string().trim().max(2000).nullable().optional(),
  })
  .superRefine(
    (input, ctx) => {
      const need = (field: "unitId" | "fromCylinderId" | "toCylinderId", why: string) => {
        if (!input[field]) ctx.addIssue({ code: "custom", path: [field], message: why });
      };
      const refuse = (field: "unitId" | "fromCylinderId" | "toCylinderId", why: string) => {
        if (input[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: why });
      };
      if (input.kind === "CHARGE") {
        need("unitId", "Choose the unit being charged.");
        need("fromCylinderId", "Choose the cylinder the refrigerant comes from.");
        refuse("toCylinderId", "A charge goes into a unit, not a cylinder.");
      } else if (input.kind === "RECOVER") {
        need("unitId", "Choose the unit refrigerant is recovered from.");
        need("toCylinderId", "Choose the recovery cylinder.");
        refuse("fromCylinderId", "A recovery comes from a unit, not a cylinder.");
      } else if (input.kind === "CYLINDER_TO_CYLINDER") {
        need("fromCylinderId", "Choose the cylinder to take refrigerant from.");
        need("toCylinderId", "Choose the cylinder to fill.");
        refuse("unitId", "A cylinder-to-cylinder transfer involves no unit.");
        if (input.fromCylinderId && input.fromCylinderId === input.toCylinderId)
          ctx.addIssue({ code: "custom", path: ["toCylinderId"], message: "Choose two different cylinders." });
      }
    },
    {
      // Also when other fields are invalid, so a form learns every missing field at once.
      when: (payload) => typeof payload.value === "object" && payload.value !== null,
    },
  )
  .openapi("TransferCreateInput");
export type TransferCreateInput = z.infer<typeof TransferCreateInput>;

export const TransferReviewInput = z
  .strictObject({ note: z.string().trim().max(500).nullable().optional() })
  .openapi("TransferReviewInput");
export type TransferReviewInput = z.infer<typeof TransferReviewInput>;

export const TransferVoidInput = z
  .strictObject({
    reason: z
      .string({ message: "Say why this record is voided." })
      .trim()
      .min(3, "Say why this record is voided (3 characters or more).")
      .max(500, "Keep the reason under 500 characters."),
  })
  .openapi("TransferVoidInput");
export type TransferVoidInput = z.infer<typeof TransferVoidInput>;

export const TransferListQuery = z.object({
  status: z.enum(TRANSFER_STATUSES).optional(),
  kind: TransferKind.optional(),
  unitId: Id.optional(),
  cylinderId: Id.optional(),
  technicianId: Id.optional(),
  from: DateOrDateTime.optional(),
  to: DateOrDateTime.optional(),
  /** Voided records are listed too unless `voided=false`; `voided=true` lists only them. */
  voided: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type TransferListQuery = z.infer<typeof TransferListQuery>;

export const TransferParams = z.object({ orgId: z.string().min(1).max(64), transferId: z.string().min(1).max(64) });
