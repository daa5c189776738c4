import { z } from "@hono/zod-openapi";
import { FULL_CHARGE_METHODS, UNIT_CATEGORIES, UNIT_STATUSES } from "../../db/schema";
import { InlineCustomerInput, LocationFields } from "../customers/schemas";
import { CalendarDate } from "../cylinders/schemas";

export const UnitCategory = z.enum(UNIT_CATEGORIES);
export const FullChargeMethod = z.enum(FULL_CHARGE_METHODS);
export const UnitStatus = z.enum(UNIT_STATUSES);

const Id = z.string({ error: "Required." }).trim().min(1, "Required.").max(64);
const text = (max: number) =>
  z.string({ error: "Required." }).trim().min(1, "Required.").max(max, `Use at most ${max} characters.`);
/** An optional free-text field: "" or null clears it. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .nullable()
    .optional()
    .transform((value) => (value === "" ? null : value));

/** Large ammonia systems hold tens of thousands of pounds. */
const MAX_CHARGE_LB = 200_000;
export const FullChargeLb = z
  .number({ error: "Enter the full charge in lb." })
  .finite()
  .positive("Must be more than 0 lb.")
  .max(MAX_CHARGE_LB, `At most ${MAX_CHARGE_LB.toLocaleString("en-US")} lb.`);

const UnitFields = {
  /** The name or tag on the equipment, e.g. "RTU-3" or "Walk-in freezer". */
  name: text(80),
  manufacturer: optionalText(80),
  model: optionalText(80),
  serial: optionalText(80),
  category: UnitCategory,
  refrigerant: z.string({ error: "Required." }).trim().min(1, "Required.").max(20),
  fullChargeLb: FullChargeLb,
  fullChargeMethod: FullChargeMethod,
  /** Industrial process refrigeration whose repair needs a shutdown gets 120 days, not 30. */
  repairNeedsShutdown: z.boolean().optional(),
  installDate: CalendarDate.nullable().optional(),
};

/** A new service address for the unit, at an existing customer (`customerId`) or a new one (`customer`). */
export const InlineLocationInput = z
  .strictObject({
    customerId: Id.optional(),
    customer: InlineCustomerInput.optional(),
    ...LocationFields,
  })
  .superRefine((value, ctx) => {
    if (value.customerId === undefined && value.customer === undefined) {
      ctx.addIssue({ code: "custom", path: ["customerId"], message: "Choose a customer or name a new one." });
    }
    if (value.customerId !== undefined && value.customer !== undefined) {
      ctx.addIssue({ code: "custom", path: ["customer"], message: "Give either customerId or customer, not both." });
    }
  })
  .openapi("InlineLocationInput");

export const UnitCreateInput = z
  .strictObject({
    ...UnitFields,
    locationId: Id.optional(),
    /** Creates the location (and its customer, if new) with the unit, all or nothing. */
    location: InlineLocationInput.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.locationId === undefined && value.location === undefined) {
      ctx.addIssue({ code: "custom", path: ["locationId"], message: "Choose a location or add a new one." });
    }
    if (value.locationId !== undefined && value.location !== undefined) {
      ctx.addIssue({ code: "custom", path: ["location"], message: "Give either locationId or location, not both." });
    }
  })
  .openapi("UnitCreateInput");
export type UnitCreateInput = z.infer<typeof UnitCreateInput>;

export const UnitPatchInput = z
  .strictObject({
    name: UnitFields.name.optional(),
    manufacturer: UnitFields.manufacturer,
    model: UnitFields.model,
    serial: UnitFields.serial,
    category: UnitCategory.optional(),
    refrigerant: UnitFields.refrigerant.optional(),
    fullChargeLb: FullChargeLb.optional(),
    fullChargeMethod: FullChargeMethod.optional(),
    repairNeedsShutdown: z.boolean().optional(),
    installDate: CalendarDate.nullable().optional(),
  })
  .openapi("UnitPatchInput");
export type UnitPatchInput = z.infer<typeof UnitPatchInput>;

export const UnitDecommissionInput = z
  .strictObject({
    reason: text(500),
    /** The day it left service (not in the future, not before it was installed). */
    date: CalendarDate,
  })
  .openapi("UnitDecommissionInput");
export type UnitDecommissionInput = z.infer<typeof UnitDecommissionInput>;

export const UnitListQuery = z.object({
  locationId: z.string().trim().min(1).max(64).optional(),
  customerId: z.string().trim().min(1).max(64).optional(),
  status: UnitStatus.optional(),
  category: UnitCategory.optional(),
  /** Part of the unit's name, manufacturer, model, serial or refrigerant, or of its location's or customer's name. */
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type UnitListQuery = z.infer<typeof UnitListQuery>;
