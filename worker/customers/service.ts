/**
 * Customers (billing entities) and their locations (service addresses), SPEC §5. Everyone in the
 * org sees them; managers and up add and edit them; admins archive them (rows are kept: units,
 * transfers and jobs point at them).
 */
import { and, asc, eq, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { customers, locations, units } from "../../db/schema";
import { auditEntry } from "../audit/log";
import type { Db, ReadResult } from "../db";
import { conflict, notFound } from "../http/errors";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { can } from "../policy/permissions";
import { listUnits, type UnitView } from "../units/service";
import {
  buildCustomer,
  buildLocation,
  type CustomerRow,
  customerSnapshot,
  type LocationRow,
  likePattern,
  locationSnapshot,
  requireActiveCustomer,
} from "./locations";
import type {
  CustomerCreateInput,
  CustomerListQuery,
  CustomerPatchInput,
  LocationCreateInput,
  LocationListQuery,
  LocationPatchInput,
} from "./schemas";

const DEFAULT_LIST_LIMIT = 200;

async function announce(scope: OrgScope, entity: "customer" | "location", action: string, id: string) {
  // Customers and locations are seen by every role of the org.
  await publish(scope.env, scope.org, { entity, action, id, orgId: scope.org.id });
}

const archivedCondition = (column: typeof customers.archivedAt | typeof locations.archivedAt, filter?: string) =>
  filter === "all" ? undefined : filter === "archived" ? isNotNull(column) : isNull(column);

// ---------------------------------------------------------------------------------------------
// Reading

const presentCustomer = (c: CustomerRow) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  notes: c.notes,
  archived: c.archivedAt !== null,
  archivedAt: c.archivedAt?.toISOString() ?? null,
  createdAt: c.createdAt.toISOString(),
});

const presentLocation = (l: LocationRow) => ({
  id: l.id,
  customerId: l.customerId,
  name: l.name,
  street: l.street,
  city: l.city,
  state: l.state,
  zip: l.zip,
  archived: l.archivedAt !== null,
  archivedAt: l.archivedAt?.toISOString() ?? null,
  createdAt: l.createdAt.toISOString(),
});
export type LocationView = ReturnType<typeof presentLocation>;

/**
 * The outer customer row inside correlated subqueries, table-qualified (Drizzle leaves columns of a
 * single-table select unqualified, which the subqueries' own tables would make ambiguous).
 */
const CUSTOMER_ID = sql.raw('"customers"."id"');
const CUSTOMER_ORG_ID = sql.raw('"customers"."org_id"');

export async function listCustomers(scope: OrgScope, query: CustomerListQuery) {
  return presentCustomerList(scope, query, await customerListQuery(scope.db, scope.org.id, query).all());
}

/**
 * The customers list's one query, prepared, for `orgId` only. It depends on nothing but the org
 * and the query string, so the API sends it in the same D1 batch as the session lookup
 * (guards.ts `requireOrgPermissionWith`).
 */
export function customerListQuery(db: Db, orgId: string, query: CustomerListQuery) {
  const conditions: (SQL | undefined)[] = [
    eq(customers.orgId, orgId),
    archivedCondition(customers.archivedAt, query.archived),
  ];
  if (query.q) {
    const pattern = likePattern(query.q);
    const like = (column: SQL) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    conditions.push(
      or(
        like(sql`${customers.name}`),
        like(sql`coalesce(${customers.email}, '')`),
        like(sql`coalesce(${customers.phone}, '')`),
        sql`EXISTS (SELECT 1 FROM ${locations} l WHERE l.customer_id = ${CUSTOMER_ID} AND l.org_id = ${CUSTOMER_ORG_ID}
          AND (l.name LIKE ${pattern} ESCAPE '\\' OR l.street LIKE ${pattern} ESCAPE '\\'
            OR l.city LIKE ${pattern} ESCAPE '\\' OR l.zip LIKE ${pattern} ESCAPE '\\'))`,
      ),
    );
  }
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  return db
    .select({
      customer: customers,
      locationCount: sql<number>`(SELECT count(*) FROM ${locations} l
        WHERE l.customer_id = ${CUSTOMER_ID} AND l.org_id = ${CUSTOMER_ORG_ID} AND l.archived_at IS NULL)`.as(
        "location_count",
      ),
      unitCount: sql<number>`(SELECT count(*) FROM ${units} u JOIN ${locations} l ON l.id = u.location_id
        WHERE l.customer_id = ${CUSTOMER_ID} AND u.org_id = ${CUSTOMER_ORG_ID} AND u.deleted_at IS NULL
          AND u.status = 'ACTIVE')`.as("unit_count"),
      cities: sql<
        string | null
      >`(SELECT group_concat(city, char(30)) FROM (SELECT DISTINCT l.city || ', ' || l.state AS city
        FROM ${locations} l WHERE l.customer_id = ${CUSTOMER_ID} AND l.org_id = ${CUSTOMER_ORG_ID}
          AND l.archived_at IS NULL ORDER BY 1 LIMIT 3))`.as("cities"),
    })
    .from(customers)
    .where(and(...conditions))
    .orderBy(asc(sql`lower(${customers.name})`), asc(customers.createdAt))
    .limit(limit + 1)
    .prepare();
}

export function presentCustomerList(
  scope: OrgScope,
  query: CustomerListQuery,
  rows: ReadResult<ReturnType<typeof customerListQuery>>,
) {
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  const seesUnits = can(scope.actor, "units:view", scope.org.id);
  return {
    customers: rows.slice(0, limit).map((row) => ({
      ...presentCustomer(row.customer),
      locationCount: row.locationCount,
      /** Active units at its locations; null for roles that do not see units. */
      unitCount: seesUnits ? row.unitCount : null,
      /** Up to three "City, ST" of its locations. */
      cities: row.cities ? row.cities.split("\u001e") : [],
    })),
    truncated: rows.length > limit,
  };
}

/** Active customers, for pickers. */
export async function customerChoices(scope: OrgScope) {
  return scope.db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(and(eq(customers.orgId, scope.org.id), isNull(customers.archivedAt)))
    .orderBy(asc(sql`lower(${customers.name})`))
    .all();
}

async function findCustomer(scope: OrgScope, id: string): Promise<CustomerRow> {
  const row = await scope.db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.orgId, scope.org.id)))
    .get();
  if (!row) throw notFound("Customer");
  return row;
}

/** Units grouped by location id, for the roles that see units (others get null). */
async function unitsByLocation(scope: OrgScope, filter: { customerId?: string; locationId?: string }) {
  if (!can(scope.actor, "units:view", scope.org.id)) return null;
  const { units: list } = await listUnits(scope, { ...filter, limit: 500 });
  const grouped = new Map<string, UnitView[]>();
  for (const unit of list) {
    const group = grouped.get(unit.location.id) ?? [];
    group.push(unit);
    grouped.set(unit.location.id, group);
  }
  return grouped;
}

/** A customer with its locations (archived ones last) and, for roles that see units, each location's units. */
export async function getCustomer(scope: OrgScope, id: string) {
  const customer = await findCustomer(scope, id);
  const [locationRows, grouped] = await Promise.all([
    scope.db
      .select()
      .from(locations)
      .where(and(eq(locations.customerId, customer.id), eq(locations.orgId, scope.org.id)))
      .orderBy(asc(sql`${locations.archivedAt} IS NOT NULL`), asc(sql`lower(${locations.name})`))
      .all(),
    unitsByLocation(scope, { customerId: customer.id }),
  ]);
  return {
    ...presentCustomer(customer),
    locations: locationRows.map((location) => ({
      ...presentLocation(location),
      units: grouped ? (grouped.get(location.id) ?? []) : null,
    })),
  };
}
export type CustomerDetail = Awaited<ReturnType<typeof getCustomer>>;

export async function listLocations(scope: OrgScope, query: LocationListQuery) {
  const conditions: (SQL | undefined)[] = [
    eq(locations.orgId, scope.org.id),
    archivedCondition(locations.archivedAt, query.archived),
  ];
  if (query.customerId) conditions.push(eq(locations.customerId, query.customerId));
  if (query.q) {
    const pattern = likePattern(query.q);
    conditions.push(
      or(
        ...[locations.name, locations.street, locations.city, locations.zip, customers.name].map(
          (column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`,
        ),
      ),
    );
  }
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  const rows = await scope.db
    .select({ location: locations, customer: customers })
    .from(locations)
    .innerJoin(customers, and(eq(customers.id, locations.customerId), eq(customers.orgId, locations.orgId)))
    .where(and(...conditions))
    .orderBy(asc(sql`lower(${customers.name})`), asc(sql`lower(${locations.name})`))
    .limit(limit + 1)
    .all();
  return {
    locations: rows.slice(0, limit).map(({ location, customer }) => ({
      ...presentLocation(location),
      customer: { id: customer.id, name: customer.name, archived: customer.archivedAt !== null },
    })),
    truncated: rows.length > limit,
  };
}

async function findLocation(scope: OrgScope, id: string) {
  const row = await scope.db
    .select({ location: locations, customer: customers })
    .from(locations)
    .innerJoin(customers, eq(customers.id, locations.customerId))
    .where(and(eq(locations.id, id), eq(locations.orgId, scope.org.id)))
    .get();
  if (!row) throw notFound("Location");
  return row;
}

export async function getLocation(scope: OrgScope, id: string) {
  const { location, customer } = await findLocation(scope, id);
  const grouped = await unitsByLocation(scope, { locationId: location.id });
  return {
    ...presentLocation(location),
    customer: { id: customer.id, name: customer.name, archived: customer.archivedAt !== null },
    units: grouped ? (grouped.get(location.id) ?? []) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

const changesOf = <T extends object>(current: T, wanted: Partial<T>): Partial<T> =>
  Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => value !== undefined && value !== current[key as keyof T]),
  ) as Partial<T>;

/** A customer, with its first location when given: one batch, so both or neither. */
export async function createCustomer(scope: OrgScope, input: CustomerCreateInput) {
  const { db, org } = scope;
  const actor = actorRef(scope);
  const now = new Date();
  const { location: address, ...fields } = input;
  const customer = buildCustomer(scope, fields, now);
  const location = address ? buildLocation(scope, customer.id, address, now) : null;
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    db.insert(customers).values(customer),
    auditEntry(db, {
      orgId: org.id,
      actor,
      action: "customer.create",
      entityType: "customer",
      entityId: customer.id,
      after: customerSnapshot(customer),
    }),
  ];
  if (location) {
    statements.push(
      db.insert(locations).values(location),
      auditEntry(db, {
        orgId: org.id,
        actor,
        action: "location.create",
        entityType: "location",
        entityId: location.id,
        after: locationSnapshot(location),
      }),
    );
  }
  await db.batch(statements);
  await announce(scope, "customer", "created", customer.id);
  if (location) await announce(scope, "location", "created", location.id);
  return getCustomer(scope, customer.id);
}

function requireNotArchived(row: { archivedAt: Date | null; name: string }, what: string) {
  if (row.archivedAt) throw conflict(`${row.name} is archived: ${what} cannot change.`, "ARCHIVED");
}

export async function updateCustomer(scope: OrgScope, id: string, input: CustomerPatchInput) {
  const { db, org } = scope;
  const current = await findCustomer(scope, id);
  requireNotArchived(current, "an archived customer");
  const changes = changesOf<CustomerRow>(current, input);
  if (Object.keys(changes).length === 0) return getCustomer(scope, id);
  const after = { ...current, ...changes };
  await db.batch([
    db
      .update(customers)
      .set(changes)
      .where(and(eq(customers.id, current.id), eq(customers.orgId, org.id))),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "customer.update",
      entityType: "customer",
      entityId: current.id,
      before: customerSnapshot(current),
      after: customerSnapshot(after),
    }),
  ]);
  await announce(scope, "customer", "updated", current.id);
  return getCustomer(scope, id);
}

/**
 * Archiving keeps the customer, its locations and their units with all their records; the
 * customer and its locations leave the lists and can no longer receive new units or jobs.
 */
export async function archiveCustomer(scope: OrgScope, id: string) {
  const { db, org } = scope;
  const current = await findCustomer(scope, id);
  if (current.archivedAt) throw conflict(`${current.name} is already archived.`, "ALREADY_ARCHIVED");
  const now = new Date();
  const openLocations = await db
    .select()
    .from(locations)
    .where(and(eq(locations.customerId, current.id), eq(locations.orgId, org.id), isNull(locations.archivedAt)))
    .all();
  const actor = actorRef(scope);
  await db.batch([
    db
      .update(customers)
      .set({ archivedAt: now })
      .where(and(eq(customers.id, current.id), eq(customers.orgId, org.id))),
    db
      .update(locations)
      .set({ archivedAt: now })
      .where(and(eq(locations.customerId, current.id), eq(locations.orgId, org.id), isNull(locations.archivedAt))),
    auditEntry(db, {
      orgId: org.id,
      actor,
      action: "customer.archive",
      entityType: "customer",
      entityId: current.id,
      before: customerSnapshot(current),
      after: {
        ...customerSnapshot({ ...current, archivedAt: now }),
        locationsArchived: openLocations.map((l) => l.id),
      },
    }),
  ]);
  await announce(scope, "customer", "archived", current.id);
}

export async function createLocation(scope: OrgScope, input: LocationCreateInput) {
  const { db, org } = scope;
  const { customerId, ...address } = input;
  const customer = await requireActiveCustomer(scope, customerId, "customerId");
  const location = buildLocation(scope, customer.id, address);
  await db.batch([
    db.insert(locations).values(location),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "location.create",
      entityType: "location",
      entityId: location.id,
      after: locationSnapshot(location),
    }),
  ]);
  await announce(scope, "location", "created", location.id);
  return getLocation(scope, location.id);
}

export async function updateLocation(scope: OrgScope, id: string, input: LocationPatchInput) {
  const { db, org } = scope;
  const { location: current, customer } = await findLocation(scope, id);
  requireNotArchived(current, "an archived location");
  requireNotArchived(customer, "its locations");
  const changes = changesOf<LocationRow>(current, input);
  if (Object.keys(changes).length === 0) return getLocation(scope, id);
  const after = { ...current, ...changes };
  await db.batch([
    db
      .update(locations)
      .set(changes)
      .where(and(eq(locations.id, current.id), eq(locations.orgId, org.id))),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "location.update",
      entityType: "location",
      entityId: current.id,
      before: locationSnapshot(current),
      after: locationSnapshot(after),
    }),
  ]);
  await announce(scope, "location", "updated", current.id);
  return getLocation(scope, id);
}

/** Archiving keeps the location and its units with their records; it stops receiving new units and jobs. */
export async function archiveLocation(scope: OrgScope, id: string) {
  const { db, org } = scope;
  const { location: current } = await findLocation(scope, id);
  if (current.archivedAt) throw conflict(`${current.name} is already archived.`, "ALREADY_ARCHIVED");
  const now = new Date();
  await db.batch([
    db
      .update(locations)
      .set({ archivedAt: now })
      .where(and(eq(locations.id, current.id), eq(locations.orgId, org.id))),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "location.archive",
      entityType: "location",
      entityId: current.id,
      before: locationSnapshot(current),
      after: locationSnapshot({ ...current, archivedAt: now }),
    }),
  ]);
  await announce(scope, "location", "archived", current.id);
}
