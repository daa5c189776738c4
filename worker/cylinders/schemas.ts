import { z } from "@hono/zod-openapi";
import { CYLINDER_KINDS, CYLINDER_STATUSES, HOLDER_TYPES } from "../../db/schema";

export const CylinderKind = z.enum(CYLINDER_KINDS);
export const CylinderStatus = z.enum(CYLINDER_STATUSES);
export const HolderType = z.enum(HOLDER_TYPES);

/**
 * The tag stamped or stuck on the cylinder (often its serial). Stored upper-case so "rc-0142" and
 * "RC-0142" are the same cylinder.
 */
export const CylinderTag = z
  .string()
  .trim()
  .min(1, "Required.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ./#_-]*$/, "Use letters, digits, spaces and . / # _ -")
  .transform((tag) => tag.toUpperCase());

/** Largest cylinders in the trade are ton containers (~1,750 lb water capacity). */
const MAX_LB = 5000;
const Pounds = (what: string) =>
  z
    .number({ error: `Enter the ${what} in lb.` })
    .finite()
    .min(0, "Cannot be negative.")
    .max(MAX_LB, `At most ${MAX_LB} lb.`);

export const TareWeightLb = Pounds("tare weight").positive("Must be more than 0 lb.");
export const WaterCapacityLb = Pounds("water capacity").positive("Must be more than 0 lb.");
export const NetContentsLb = Pounds("net contents");

/** A calendar date, YYYY-MM-DD (the hydrostatic test date is stamped as a date, not an instant). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD.")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, "Not a real date.");

const Id = z.string().min(1, "Required.").max(64);

/** An asking price in cents (integer): at most $100,000 for one cylinder. null clears it. */
export const PriceCents = z
  .number({ error: "Enter the price in cents (an integer)." })
  .int("Use whole cents.")
  .min(0, "Cannot be negative.")
  .max(10_000_000, "At most $100,000.");

/** Where a cylinder is: the warehouse, a technician's truck, or a customer's site. */
export const HolderInput = z
  .discriminatedUnion("holderType", [
    z.strictObject({ holderType: z.literal("WAREHOUSE") }),
    z.strictObject({ holderType: z.literal("TECHNICIAN"), holderUserId: Id }),
    z.strictObject({ holderType: z.literal("SITE"), holderLocationId: Id }),
  ])
  .openapi("CylinderHolderInput");
export type HolderInput = z.infer<typeof HolderInput>;

export const CylinderCreateInput = z
  .strictObject({
    tag: CylinderTag,
    refrigerant: z.string().trim().min(1, "Required.").max(20),
    kind: CylinderKind,
    tareWeightLb: TareWeightLb,
    waterCapacityLb: WaterCapacityLb,
    netContentsLb: NetContentsLb,
    holder: HolderInput.optional(),
    status: CylinderStatus.optional(),
    hydroTestDate: CalendarDate.nullable().optional(),
    priceCents: PriceCents.nullable().optional(),
  })
  .openapi("CylinderCreateInput");

/** Contents change only through transfers; refrigerant and kind are fixed for a cylinder's life. */
export const CylinderPatchInput = z
  .strictObject({
    tag: CylinderTag.optional(),
    tareWeightLb: TareWeightLb.optional(),
    waterCapacityLb: WaterCapacityLb.optional(),
    hydroTestDate: CalendarDate.nullable().optional(),
    status: CylinderStatus.optional(),
    priceCents: PriceCents.nullable().optional(),
    /** Kept with the status change in the cylinder's history. */
    note: z.string().trim().max(500).optional(),
  })
  .openapi("CylinderPatchInput");

export const CylinderMoveInput = z
  .strictObject({
    to: HolderInput,
    note: z.string().trim().max(500).optional(),
  })
  .openapi("CylinderMoveInput");

/** Selling a FOR_SALE cylinder to a customer of the org. */
export const CylinderSellInput = z
  .strictObject({
    customerId: Id,
    note: z.string().trim().max(500).optional(),
  })
  .openapi("CylinderSellInput");

export const CylinderListQuery = z.object({
  status: CylinderStatus.optional(),
  kind: CylinderKind.optional(),
  refrigerant: z.string().trim().max(20).optional(),
  /** `me` (my truck), `warehouse`, `site`, or a technician's user id. */
  holder: z.string().trim().min(1).max(64).optional(),
  /** Part of a tag. */
  q: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type CylinderListQuery = z.infer<typeof CylinderListQuery>;
