/**
 * Customer and location rows as other modules create and check them: the customers service, and
 * the units service when a unit comes with a new location (and maybe a new customer) inline.
 */
import { and, eq } from "drizzle-orm";
import { customers, locations } from "../../db/schema";
import { newId } from "../db";
import { badRequest, forbidden } from "../http/errors";
import type { OrgScope } from "../policy/guards";
import { can } from "../policy/permissions";
import type { InlineCustomerInput } from "./schemas";

export type CustomerRow = typeof customers.$inferSelect;
export type LocationRow = typeof locations.$inferSelect;
export type LocationFieldsInput = { name: string; street: string; city: string; state: string; zip: string };

/** What the audit log keeps of a customer. */
export const customerSnapshot = (c: CustomerRow) => ({
  name: c.name,
  email: c.email,
  phone: c.phone,
  notes: c.notes,
  archivedAt: c.archivedAt ? c.archivedAt.toISOString() : null,
});

/** What the audit log keeps of a location. */
export const locationSnapshot = (l: LocationRow) => ({
  customerId: l.customerId,
  name: l.name,
  street: l.street,
  city: l.city,
  state: l.state,
  zip: l.zip,
  archivedAt: l.archivedAt ? l.archivedAt.toISOString() : null,
});

export function buildCustomer(
  scope: OrgScope,
  input: InlineCustomerInput & { notes?: string | null },
  now = new Date(),
): CustomerRow {
  return {
    id: newId(),
    orgId: scope.org.id,
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    notes: input.notes ?? null,
    archivedAt: null,
    createdAt: now,
  };
}

export function buildLocation(
  scope: OrgScope,
  customerId: string,
  input: LocationFieldsInput,
  now = new Date(),
): LocationRow {
  return {
    id: newId(),
    orgId: scope.org.id,
    customerId,
    name: input.name,
    street: input.street,
    city: input.city,
    state: input.state,
    zip: input.zip,
    archivedAt: null,
    createdAt: now,
  };
}

/** Adding customers and locations is for managers and up (SPEC §4); a denied inline one is a 403. */
export function requireCanAddCustomers(scope: OrgScope) {
  if (!can(scope.actor, "customers:edit", scope.org.id)) {
    throw forbidden("Only managers and admins add customers and locations: choose an existing location.");
  }
}

/** A customer of this org that is not archived, named by a request body: otherwise a 400 on `field`. */
export async function requireActiveCustomer(scope: OrgScope, id: string, field: string): Promise<CustomerRow> {
  const row = await scope.db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.orgId, scope.org.id)))
    .get();
  if (!row)
    throw badRequest("Choose a customer of this organization.", { [field]: ["Not a customer of this organization."] });
  if (row.archivedAt) throw badRequest(`${row.name} is archived.`, { [field]: ["This customer is archived."] });
  return row;
}

/** A location of this org that is not archived, named by a request body: otherwise a 400 on `field`. */
export async function requireActiveLocation(scope: OrgScope, id: string, field: string) {
  const row = await scope.db
    .select({ location: locations, customer: customers })
    .from(locations)
    .innerJoin(customers, eq(customers.id, locations.customerId))
    .where(and(eq(locations.id, id), eq(locations.orgId, scope.org.id)))
    .get();
  if (!row)
    throw badRequest("Choose a location of this organization.", { [field]: ["Not a location of this organization."] });
  if (row.location.archivedAt || row.customer.archivedAt) {
    throw badRequest(`${row.location.name} is archived.`, { [field]: ["This location is archived."] });
  }
  return row;
}

/** `%` and `_` typed in a search box are matched literally. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
