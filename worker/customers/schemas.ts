import { z } from "@hono/zod-openapi";
import { US_STATES } from "./states";

export { US_STATES };

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

export const CustomerName = text(120);
export const StateCode = z
  .string({ error: "Required." })
  .trim()
  .regex(/^[A-Za-z]{2}$/, "Use the 2-letter state code, e.g. OH.")
  .transform((value) => value.toUpperCase())
  .refine((value) => (US_STATES as readonly string[]).includes(value), "Not a US state code.");
/** 5-digit ZIP or ZIP+4; stored as 12345 or 12345-6789. */
export const Zip = z
  .string({ error: "Required." })
  .trim()
  .regex(/^\d{5}(-?\d{4})?$/, "Use a 5-digit ZIP or ZIP+4 (12345-6789).")
  .transform((value) => (value.length === 9 ? `${value.slice(0, 5)}-${value.slice(5)}` : value));

/** A service address, without its customer. */
export const LocationFields = {
  name: text(120),
  street: text(200),
  city: text(100),
  state: StateCode,
  zip: Zip,
};

const CustomerFields = {
  name: CustomerName,
  email: optionalText(254).refine(
    (value) => !value || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
    "Not an email address.",
  ),
  phone: optionalText(40),
  notes: optionalText(2000),
};

export const NewLocationInput = z.strictObject(LocationFields).openapi("NewLocationInput");

export const CustomerCreateInput = z
  .strictObject({
    ...CustomerFields,
    /** The first service address, created with the customer. */
    location: NewLocationInput.optional(),
  })
  .openapi("CustomerCreateInput");
export type CustomerCreateInput = z.infer<typeof CustomerCreateInput>;

/** A customer created inline (while creating a location or a unit): name and how to reach it. */
export const InlineCustomerInput = z
  .strictObject({ name: CustomerName, email: CustomerFields.email, phone: CustomerFields.phone })
  .openapi("InlineCustomerInput");
export type InlineCustomerInput = z.infer<typeof InlineCustomerInput>;

export const CustomerPatchInput = z
  .strictObject({
    name: CustomerName.optional(),
    email: CustomerFields.email,
    phone: CustomerFields.phone,
    notes: CustomerFields.notes,
  })
  .openapi("CustomerPatchInput");
export type CustomerPatchInput = z.infer<typeof CustomerPatchInput>;

export const ArchivedFilter = z.enum(["active", "archived", "all"]);

export const CustomerListQuery = z.object({
  /** Part of the customer's name, email or phone, or of one of its locations' name, street, city or ZIP. */
  q: z.string().trim().max(100).optional(),
  archived: ArchivedFilter.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

const Id = z.string({ error: "Required." }).trim().min(1, "Required.").max(64);

export const LocationCreateInput = z.strictObject({ customerId: Id, ...LocationFields }).openapi("LocationCreateInput");
export type LocationCreateInput = z.infer<typeof LocationCreateInput>;

export const LocationPatchInput = z
  .strictObject({
    name: LocationFields.name.optional(),
    street: LocationFields.street.optional(),
    city: LocationFields.city.optional(),
    state: StateCode.optional(),
    zip: Zip.optional(),
  })
  .openapi("LocationPatchInput");
export type LocationPatchInput = z.infer<typeof LocationPatchInput>;

export const LocationListQuery = z.object({
  customerId: z.string().trim().min(1).max(64).optional(),
  q: z.string().trim().max(100).optional(),
  archived: ArchivedFilter.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type LocationListQuery = z.infer<typeof LocationListQuery>;
