import { z } from "@hono/zod-openapi";
import { LEAD_STAGES } from "../../db/schema";
import { CustomerName, StateCode, Zip } from "../customers/schemas";
import { CalendarDate } from "../cylinders/schemas";

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
const Email = optionalText(254).refine(
  (value) => !value || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
  "Not an email address.",
);
const Id = z.string({ error: "Required." }).trim().min(1, "Required.").max(64);

// ---------------------------------------------------------------------------------------------
// Territories

/** The beginning of a ZIP code: 1 to 5 digits ("55" covers 55000–55999). */
export const ZipPrefix = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, "Use 1 to 5 digits, e.g. 55 or 554.");

const States = z.array(StateCode).max(60, "At most 60 states.");
const ZipPrefixes = z.array(ZipPrefix).max(200, "At most 200 ZIP prefixes.");
const dedupe = (values: string[]) => [...new Set(values)].sort();

export const TerritoryCreateInput = z
  .strictObject({
    name: text(80),
    states: States.default([]).transform(dedupe),
    zipPrefixes: ZipPrefixes.default([]).transform(dedupe),
  })
  .refine((t) => t.states.length + t.zipPrefixes.length > 0, {
    message: "Give at least one state or ZIP prefix.",
    path: ["states"],
  })
  .openapi("TerritoryCreateInput");
export type TerritoryCreateInput = z.infer<typeof TerritoryCreateInput>;

/** The whole area is replaced when states or zipPrefixes is given; it may not end up empty. */
export const TerritoryPatchInput = z
  .strictObject({
    name: text(80).optional(),
    states: States.transform(dedupe).optional(),
    zipPrefixes: ZipPrefixes.transform(dedupe).optional(),
  })
  .openapi("TerritoryPatchInput");
export type TerritoryPatchInput = z.infer<typeof TerritoryPatchInput>;

/** The complete list of sales reps assigned to a territory (replaces the current one). */
export const TerritoryAssigneesInput = z
  .strictObject({
    userIds: z
      .array(Id)
      .max(100, "At most 100 reps.")
      .transform((ids) => [...new Set(ids)]),
  })
  .openapi("TerritoryAssigneesInput");
export type TerritoryAssigneesInput = z.infer<typeof TerritoryAssigneesInput>;

export const TerritoryListQuery = z.object({
  archived: z.enum(["active", "archived", "all"]).optional(),
});
export type TerritoryListQuery = z.infer<typeof TerritoryListQuery>;

// ---------------------------------------------------------------------------------------------
// Inventory

export const SalesInventoryQuery = z.object({
  refrigerant: z.string().trim().max(20).optional(),
  /** Where the cylinder is (2-letter state). */
  state: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/)
    .transform((value) => value.toUpperCase())
    .optional(),
  /** Part of a tag. */
  q: z.string().trim().max(40).optional(),
});
export type SalesInventoryQuery = z.infer<typeof SalesInventoryQuery>;

// ---------------------------------------------------------------------------------------------
// Leads

export const LeadStage = z.enum(LEAD_STAGES);
export const OPEN_STAGES = ["NEW", "CONTACTED", "QUOTED"] as const;

/** A lead's value in whole cents (integer), e.g. 250000 for $2,500.00. At most $10,000,000. */
export const ValueCents = z
  .number({ error: "Enter the value in cents (an integer)." })
  .int("Use whole cents.")
  .min(0, "Cannot be negative.")
  .max(1_000_000_000, "At most $10,000,000.");

const LeadFields = {
  company: text(120),
  contactName: optionalText(120),
  email: Email,
  phone: optionalText(40),
  state: StateCode.nullable().optional(),
  zip: Zip.nullable().optional(),
  valueCents: ValueCents.optional(),
  nextStep: optionalText(200),
  dueDate: CalendarDate.nullable().optional(),
  notes: optionalText(2000),
};

export const LeadCreateInput = z.strictObject(LeadFields).openapi("LeadCreateInput");
export type LeadCreateInput = z.infer<typeof LeadCreateInput>;

export const LeadPatchInput = z
  .strictObject({
    ...LeadFields,
    company: LeadFields.company.optional(),
    stage: LeadStage.optional(),
    /** Required when the stage becomes LOST. */
    lostReason: optionalText(500),
  })
  .openapi("LeadPatchInput");
export type LeadPatchInput = z.infer<typeof LeadPatchInput>;

export const LeadListQuery = z.object({
  stage: LeadStage.optional(),
  /** `open` (NEW, CONTACTED, QUOTED) or `closed` (WON, LOST). */
  status: z.enum(["open", "closed"]).optional(),
  q: z.string().trim().max(100).optional(),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

/**
 * Converting a WON lead: the customer takes the lead's company, email and phone unless given, and
 * an optional first location (state and ZIP default to the lead's).
 */
export const LeadConvertInput = z
  .strictObject({
    name: CustomerName.optional(),
    email: Email,
    phone: optionalText(40),
    location: z
      .strictObject({
        name: text(120).optional(),
        street: text(200),
        city: text(100),
        state: StateCode.optional(),
        zip: Zip.optional(),
      })
      .optional(),
  })
  .openapi("LeadConvertInput");
export type LeadConvertInput = z.infer<typeof LeadConvertInput>;
