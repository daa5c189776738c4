/**
 * Units (appliances, SPEC §5): where they are, what they hold, whether EPA's leak-repair rules
 * cover them, and how they leak. Coverage and the leak-status badge come from the compliance
 * engine; the leak rates themselves were computed and stored when each charge was recorded, and
 * only those of APPROVED, non-voided transfers count.
 */
import { type AnyColumn, and, asc, desc, eq, isNotNull, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { customers, cylinders, leakRates, leaks, locations, refrigerants, transfers, units } from "../../db/schema";
import type { Audience } from "../../party/protocol";
import { auditEntry } from "../audit/log";
import { coverage, type LeakStatusLevel, leakStatus } from "../compliance/engine";
import {
  buildCustomer,
  buildLocation,
  customerSnapshot,
  likePattern,
  locationSnapshot,
  requireActiveCustomer,
  requireActiveLocation,
  requireCanAddCustomers,
} from "../customers/locations";
import { todayIn } from "../cylinders/rules";
import { newId } from "../db";
import { badRequest, conflict, notFound } from "../http/errors";
import { LEAK_STATUS_LABELS, OPEN_LEAK_STATUSES } from "../leaks/service";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { PERMISSIONS } from "../policy/permissions";
import { requireRefrigerant } from "../refrigerants/service";
import type { UnitCreateInput, UnitDecommissionInput, UnitListQuery, UnitPatchInput } from "./schemas";

type UnitRow = typeof units.$inferSelect;
type LocationRow = typeof locations.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;
type LeakRow = typeof leaks.$inferSelect;
type LeakRateRow = typeof leakRates.$inferSelect;
type RefrigerantRow = typeof refrigerants.$inferSelect;

const DEFAULT_LIST_LIMIT = 200;

/** Unit events go to the roles that see units (SALES does not). */
export const UNIT_AUDIENCE: Audience = { roles: [...PERMISSIONS["units:view"].roles] };

async function announce(scope: OrgScope, action: string, id: string) {
  await publish(scope.env, scope.org, { entity: "unit", action, id, orgId: scope.org.id }, UNIT_AUDIENCE);
}

// ---------------------------------------------------------------------------------------------
// Leak status: the latest counted leak rate and the unit's leak repairs, judged by the engine

/**
 * The id of the unit's latest counted leak rate (latest service date, then latest computed): a
 * rate counts once its charge is APPROVED and as long as it is not voided.
 */
const latestCountedRateId = sql`(
  SELECT lr.id FROM ${leakRates} lr
  JOIN ${transfers} t ON t.id = lr.transfer_id AND t.org_id = lr.org_id
  WHERE lr.unit_id = ${units.id} AND lr.org_id = ${units.orgId}
    AND t.status = 'APPROVED' AND t.voided_at IS NULL
  ORDER BY t.performed_at DESC, lr.computed_at DESC
  LIMIT 1
)`;

export type LeakStatusView = {
  level: LeakStatusLevel;
  reason: string;
  /** The latest counted rate as a share of its threshold, rounded (85 means 85% of the threshold). */
  percentOfThreshold: number | null;
  latestRate: {
    id: string;
    percent: number;
    threshold: number;
    alertLevel: number;
    method: LeakRateRow["method"];
    exceeded: boolean;
    alert: boolean;
    performedAt: string;
  } | null;
  /** The open leak case with the nearest repair deadline, if any. */
  openLeak: { id: string; status: LeakRow["status"]; statusLabel: string; repairDueAt: string | null } | null;
};

/**
 * The engine's badge for one unit. Repairs it weighs are the cases with an EPA repair deadline,
 * plus any case already repaired or closed (a repair since the latest rate clears it); a reported
 * leak without a deadline is not, by itself, a unit over its threshold.
 */
function leakStatusOf(
  latest: { rate: LeakRateRow; performedAt: Date } | null,
  unitLeaks: readonly LeakRow[],
  now: Date,
): LeakStatusView {
  const repairs = unitLeaks
    .filter((leak) => leak.repairDueAt !== null || leak.repairedAt !== null || leak.closedAt !== null)
    .map((leak) => ({ repairDueAt: leak.repairDueAt, repairedAt: leak.repairedAt ?? leak.closedAt }));
  const status = leakStatus({
    latest: latest
      ? { exceeded: latest.rate.exceeded, alert: latest.rate.alert, performedAt: latest.performedAt }
      : null,
    repairs,
    now,
  });
  const open = unitLeaks
    .filter((leak) => OPEN_LEAK_STATUSES.includes(leak.status))
    .sort(
      (a, b) =>
        (a.repairDueAt?.getTime() ?? Number.POSITIVE_INFINITY) -
          (b.repairDueAt?.getTime() ?? Number.POSITIVE_INFINITY) || a.foundAt.getTime() - b.foundAt.getTime(),
    )[0];
  return {
    level: status.level,
    reason: status.reason,
    percentOfThreshold:
      latest && latest.rate.threshold > 0 ? Math.round((latest.rate.percent / latest.rate.threshold) * 100) : null,
    latestRate: latest
      ? {
          id: latest.rate.id,
          percent: latest.rate.percent,
          threshold: latest.rate.threshold,
          alertLevel: latest.rate.alertLevel,
          method: latest.rate.method,
          exceeded: latest.rate.exceeded,
          alert: latest.rate.alert,
          performedAt: latest.performedAt.toISOString(),
        }
      : null,
    openLeak: open
      ? {
          id: open.id,
          status: open.status,
          statusLabel: LEAK_STATUS_LABELS[open.status],
          repairDueAt: open.repairDueAt?.toISOString() ?? null,
        }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

type ListRow = {
  unit: UnitRow;
  location: LocationRow;
  customer: CustomerRow;
  refrigerant: RefrigerantRow | null;
  rate: LeakRateRow | null;
  ratePerformedAt: Date | null;
};

function coverageOf(scope: OrgScope, unit: UnitRow, refrigerant: RefrigerantRow | null, now: Date) {
  if (!refrigerant) {
    return {
      covered: false,
      rule: null,
      thresholdLb: null,
      reason: `${unit.refrigerant} is not in the catalogue.`,
      ruleVersion: "",
    };
  }
  return coverage({ refrigerant, fullChargeLb: unit.fullChargeLb, asOf: now }, scope.org.epaConfig);
}

function present(scope: OrgScope, row: ListRow, unitLeaks: readonly LeakRow[], now: Date) {
  const { unit, location, customer } = row;
  const covered = coverageOf(scope, unit, row.refrigerant, now);
  return {
    id: unit.id,
    name: unit.name,
    manufacturer: unit.manufacturer,
    model: unit.model,
    serial: unit.serial,
    category: unit.category,
    refrigerant: unit.refrigerant,
    fullChargeLb: unit.fullChargeLb,
    fullChargeMethod: unit.fullChargeMethod,
    repairNeedsShutdown: unit.repairNeedsShutdown,
    installDate: unit.installDate,
    status: unit.status,
    decommission:
      unit.status === "DECOMMISSIONED"
        ? { reason: unit.decommissionReason ?? "", date: unit.decommissionedAt ?? "" }
        : null,
    location: {
      id: location.id,
      name: location.name,
      street: location.street,
      city: location.city,
      state: location.state,
      zip: location.zip,
      archived: location.archivedAt !== null,
    },
    customer: { id: customer.id, name: customer.name, archived: customer.archivedAt !== null },
    coverage: { covered: covered.covered, rule: covered.rule, reason: covered.reason },
    leakStatus: leakStatusOf(
      row.rate && row.ratePerformedAt ? { rate: row.rate, performedAt: row.ratePerformedAt } : null,
      unitLeaks,
      now,
    ),
    createdAt: unit.createdAt.toISOString(),
  };
}
export type UnitView = ReturnType<typeof present>;

function selectUnits(scope: OrgScope) {
  return scope.db
    .select({
      unit: units,
      location: locations,
      customer: customers,
      refrigerant: refrigerants,
      rate: leakRates,
      ratePerformedAt: transfers.performedAt,
    })
    .from(units)
    .innerJoin(locations, and(eq(locations.id, units.locationId), eq(locations.orgId, units.orgId)))
    .innerJoin(customers, and(eq(customers.id, locations.customerId), eq(customers.orgId, units.orgId)))
    .leftJoin(refrigerants, eq(refrigerants.designation, units.refrigerant))
    .leftJoin(leakRates, eq(leakRates.id, latestCountedRateId))
    .leftJoin(transfers, eq(transfers.id, leakRates.transferId));
}

/** The units of this org anyone with units:view sees: deleted units are gone for everyone. */
const visible = (scope: OrgScope): SQL[] => [eq(units.orgId, scope.org.id), isNull(units.deletedAt)];

function listConditions(scope: OrgScope, query: UnitListQuery): SQL[] {
  const conditions = visible(scope);
  if (query.locationId) conditions.push(eq(units.locationId, query.locationId));
  if (query.customerId) conditions.push(eq(locations.customerId, query.customerId));
  if (query.status) conditions.push(eq(units.status, query.status));
  if (query.category) conditions.push(eq(units.category, query.category));
  if (query.q) {
    const pattern = likePattern(query.q);
    const like = (column: AnyColumn) => sql`coalesce(${column}, '') LIKE ${pattern} ESCAPE '\\'`;
    const match = or(
      ...[units.name, units.manufacturer, units.model, units.serial, units.refrigerant].map(like),
      ...[locations.name, locations.city, customers.name].map(like),
    );
    if (match) conditions.push(match);
  }
  return conditions;
}

/** The leak cases of the units matching `conditions` (one query, whatever the number of units). */
async function leaksOf(scope: OrgScope, conditions: SQL[]): Promise<Map<string, LeakRow[]>> {
  const rows = await scope.db
    .select({ leak: leaks })
    .from(leaks)
    .innerJoin(units, and(eq(units.id, leaks.unitId), eq(units.orgId, leaks.orgId)))
    .innerJoin(locations, eq(locations.id, units.locationId))
    .innerJoin(customers, eq(customers.id, locations.customerId))
    .where(and(eq(leaks.orgId, scope.org.id), ...conditions))
    .all();
  const byUnit = new Map<string, LeakRow[]>();
  for (const { leak } of rows) {
    const list = byUnit.get(leak.unitId) ?? [];
    list.push(leak);
    byUnit.set(leak.unitId, list);
  }
  return byUnit;
}

export async function listUnits(scope: OrgScope, query: UnitListQuery, now = new Date()) {
  const conditions = listConditions(scope, query);
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  const [rows, leaksByUnit] = await Promise.all([
    selectUnits(scope)
      .where(and(...conditions))
      .orderBy(asc(sql`lower(${customers.name})`), asc(sql`lower(${locations.name})`), asc(sql`lower(${units.name})`))
      .limit(limit + 1)
      .all(),
    leaksOf(scope, conditions),
  ]);
  return {
    units: rows.slice(0, limit).map((row) => present(scope, row, leaksByUnit.get(row.unit.id) ?? [], now)),
    /** More matched than `limit`: narrow the filters. */
    truncated: rows.length > limit,
  };
}

/** A unit of this org that is not deleted, or 404. */
async function findUnit(scope: OrgScope, id: string): Promise<ListRow> {
  const row = await selectUnits(scope)
    .where(and(eq(units.id, id), ...visible(scope)))
    .get();
  if (!row) throw notFound("Unit");
  return row;
}

/** Every transfer on the unit, newest first: the EPA service record, with the technician's certification as recorded. */
async function serviceHistory(scope: OrgScope, unitId: string) {
  const rows = await scope.db
    .select({
      transfer: transfers,
      rate: leakRates,
      fromTag: sql<string | null>`(SELECT c.tag FROM ${cylinders} c WHERE c.id = ${transfers.fromCylinderId})`,
      toTag: sql<string | null>`(SELECT c.tag FROM ${cylinders} c WHERE c.id = ${transfers.toCylinderId})`,
    })
    .from(transfers)
    .leftJoin(leakRates, and(eq(leakRates.transferId, transfers.id), eq(leakRates.orgId, transfers.orgId)))
    .where(and(eq(transfers.orgId, scope.org.id), eq(transfers.unitId, unitId)))
    .orderBy(desc(transfers.performedAt), desc(transfers.createdAt))
    .all();
  return rows.map(({ transfer: t, rate, fromTag, toTag }) => ({
    id: t.id,
    kind: t.kind,
    status: t.status,
    voided: t.voidedAt ? { at: t.voidedAt.toISOString(), reason: t.voidReason } : null,
    refrigerant: t.refrigerant,
    amountLb: t.amountLb,
    performedAt: t.performedAt.toISOString(),
    technician: {
      id: t.technicianId,
      name: t.technicianName,
      certificationNumber: t.certificationNumber,
      certificationType: t.certificationType,
    },
    cylinder: t.kind === "CHARGE" ? fromTag : toTag,
    jobId: t.jobId,
    notes: t.notes,
    leakRate: rate ? { id: rate.id, percent: rate.percent, method: rate.method, exceeded: rate.exceeded } : null,
  }));
}
export type ServiceRecordView = Awaited<ReturnType<typeof serviceHistory>>[number];

/**
 * Every leak rate computed for the unit, oldest service first, with what it was computed from.
 * `counted` rates (approved, not voided) are the unit's leak-rate history; the others are shown
 * for what they are (pending, rejected or voided).
 */
async function leakRateHistory(scope: OrgScope, unitId: string) {
  const rows = await scope.db
    .select({ rate: leakRates, transfer: transfers })
    .from(leakRates)
    .innerJoin(transfers, and(eq(transfers.id, leakRates.transferId), eq(transfers.orgId, leakRates.orgId)))
    .where(and(eq(leakRates.orgId, scope.org.id), eq(leakRates.unitId, unitId)))
    .orderBy(asc(transfers.performedAt), asc(leakRates.computedAt))
    .all();
  return rows.map(({ rate, transfer }) => ({
    id: rate.id,
    transferId: transfer.id,
    performedAt: transfer.performedAt.toISOString(),
    addedLb: transfer.amountLb,
    transferStatus: transfer.status,
    voided: transfer.voidedAt !== null,
    counted: transfer.status === "APPROVED" && transfer.voidedAt === null,
    method: rate.method,
    percent: rate.percent,
    threshold: rate.threshold,
    alertLevel: rate.alertLevel,
    exceeded: rate.exceeded,
    alert: rate.alert,
    inputs: rate.inputs,
    explanation: rate.explanation,
    ruleVersion: rate.ruleVersion,
    computedAt: rate.computedAt.toISOString(),
  }));
}
export type LeakRateHistoryEntry = Awaited<ReturnType<typeof leakRateHistory>>[number];

/** One unit with everything its page shows. */
export async function getUnit(scope: OrgScope, id: string, now = new Date()) {
  const row = await findUnit(scope, id);
  const [unitLeaks, history, rates] = await Promise.all([
    scope.db
      .select()
      .from(leaks)
      .where(and(eq(leaks.orgId, scope.org.id), eq(leaks.unitId, id)))
      .orderBy(desc(leaks.foundAt))
      .all(),
    serviceHistory(scope, id),
    leakRateHistory(scope, id),
  ]);
  const view = present(scope, row, unitLeaks, now);
  const covered = coverageOf(scope, row.unit, row.refrigerant, now);
  const latest = view.leakStatus.latestRate ? rates.find((rate) => rate.id === view.leakStatus.latestRate?.id) : null;
  return {
    ...view,
    refrigerantInfo: row.refrigerant,
    coverage: covered,
    /** The latest counted leak rate, with how it was computed. */
    latestLeakRate: latest ?? null,
    leakRateHistory: rates,
    serviceHistory: history,
    leaks: unitLeaks.map((leak) => ({
      id: leak.id,
      status: leak.status,
      statusLabel: LEAK_STATUS_LABELS[leak.status],
      foundAt: leak.foundAt.toISOString(),
      locationOnUnit: leak.locationOnUnit,
      repairDueAt: leak.repairDueAt?.toISOString() ?? null,
      repairedAt: leak.repairedAt?.toISOString() ?? null,
      closedAt: leak.closedAt?.toISOString() ?? null,
    })),
  };
}
export type UnitDetail = Awaited<ReturnType<typeof getUnit>>;

/** Locations a unit can be placed at: the org's active sites, with their customer. */
export async function locationChoices(scope: OrgScope) {
  return scope.db
    .select({
      id: locations.id,
      name: locations.name,
      city: locations.city,
      state: locations.state,
      customerId: customers.id,
      customerName: customers.name,
    })
    .from(locations)
    .innerJoin(customers, eq(customers.id, locations.customerId))
    .where(and(eq(locations.orgId, scope.org.id), isNull(locations.archivedAt), isNull(customers.archivedAt)))
    .orderBy(asc(sql`lower(${customers.name})`), asc(sql`lower(${locations.name})`))
    .all();
}

// ---------------------------------------------------------------------------------------------
// Writing

/** What the audit log keeps of a unit. */
const snapshot = (u: UnitRow) => ({
  locationId: u.locationId,
  name: u.name,
  manufacturer: u.manufacturer,
  model: u.model,
  serial: u.serial,
  category: u.category,
  refrigerant: u.refrigerant,
  fullChargeLb: u.fullChargeLb,
  fullChargeMethod: u.fullChargeMethod,
  repairNeedsShutdown: u.repairNeedsShutdown,
  installDate: u.installDate,
  status: u.status,
  decommissionReason: u.decommissionReason,
  decommissionedAt: u.decommissionedAt,
  deletedAt: u.deletedAt ? u.deletedAt.toISOString() : null,
});

function requireNotFuture(scope: OrgScope, date: string | null | undefined, field: string, now: Date) {
  if (date && date > todayIn(scope.org.timeZone, now)) {
    throw badRequest("A date cannot be in the future.", { [field]: ["Cannot be in the future."] });
  }
}

/**
 * The first statement of a batch that must not run on a unit changed since it was read: when the
 * unit is no longer in the state the request saw (deleted, or its status changed), it flips the
 * full charge's sign, which the `units_full_charge_positive` CHECK refuses, so the whole batch rolls back.
 */
function unchangedGuard(scope: OrgScope, unit: UnitRow) {
  return scope.db
    .update(units)
    .set({ fullChargeLb: sql`-${units.fullChargeLb}` })
    .where(
      and(
        eq(units.id, unit.id),
        eq(units.orgId, scope.org.id),
        or(isNotNull(units.deletedAt), ne(units.status, unit.status)),
      ),
    );
}

function isGuardFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (!(current instanceof Error)) return false;
    if (current.message.includes("units_full_charge_positive")) return true;
    current = current.cause;
  }
  return false;
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isGuardFailure(error))
      throw conflict("Someone else changed this unit at the same time: reload and try again.", "UNIT_CHANGED");
    throw error;
  }
}

export async function createUnit(scope: OrgScope, input: UnitCreateInput, now = new Date()) {
  const { db, org } = scope;
  const actor = actorRef(scope);
  const refrigerant = await requireRefrigerant(db, input.refrigerant);
  requireNotFuture(scope, input.installDate, "installDate", now);

  // Where it goes: an existing location, or a new one (and maybe a new customer) in the same batch.
  const statements: BatchItem<"sqlite">[] = [];
  const events: { entity: "customer" | "location"; id: string }[] = [];
  let locationId: string;
  if (input.location) {
    requireCanAddCustomers(scope);
    const { customerId, customer: newCustomer, ...address } = input.location;
    let ownerId: string;
    if (newCustomer) {
      const customerRow = buildCustomer(scope, newCustomer, now);
      ownerId = customerRow.id;
      statements.push(
        db.insert(customers).values(customerRow),
        auditEntry(db, {
          orgId: org.id,
          actor,
          action: "customer.create",
          entityType: "customer",
          entityId: customerRow.id,
          after: customerSnapshot(customerRow),
        }),
      );
      events.push({ entity: "customer", id: customerRow.id });
    } else {
      ownerId = (await requireActiveCustomer(scope, customerId ?? "", "location.customerId")).id;
    }
    const locationRow = buildLocation(scope, ownerId, address, now);
    locationId = locationRow.id;
    statements.push(
      db.insert(locations).values(locationRow),
      auditEntry(db, {
        orgId: org.id,
        actor,
        action: "location.create",
        entityType: "location",
        entityId: locationRow.id,
        after: locationSnapshot(locationRow),
      }),
    );
    events.push({ entity: "location", id: locationRow.id });
  } else {
    locationId = (await requireActiveLocation(scope, input.locationId ?? "", "locationId")).location.id;
  }

  const row: UnitRow = {
    id: newId(),
    orgId: org.id,
    locationId,
    name: input.name,
    manufacturer: input.manufacturer ?? null,
    model: input.model ?? null,
    serial: input.serial ?? null,
    category: input.category,
    refrigerant: refrigerant.designation,
    fullChargeLb: input.fullChargeLb,
    fullChargeMethod: input.fullChargeMethod,
    repairNeedsShutdown: input.repairNeedsShutdown ?? false,
    installDate: input.installDate ?? null,
    status: "ACTIVE",
    decommissionReason: null,
    decommissionedAt: null,
    deletedAt: null,
    createdAt: now,
  };
  statements.push(
    db.insert(units).values(row),
    auditEntry(db, {
      orgId: org.id,
      actor,
      action: "unit.create",
      entityType: "unit",
      entityId: row.id,
      after: snapshot(row),
    }),
  );
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  for (const event of events) {
    await publish(scope.env, org, { entity: event.entity, action: "created", id: event.id, orgId: org.id });
  }
  await announce(scope, "created", row.id);
  return getUnit(scope, row.id, now);
}

type Editable = Pick<
  UnitRow,
  | "name"
  | "manufacturer"
  | "model"
  | "serial"
  | "category"
  | "refrigerant"
  | "fullChargeLb"
  | "fullChargeMethod"
  | "repairNeedsShutdown"
  | "installDate"
>;

export async function updateUnit(scope: OrgScope, id: string, input: UnitPatchInput, now = new Date()) {
  const { db, org } = scope;
  const { unit: current } = await findUnit(scope, id);
  const wanted: Partial<Editable> = { ...input };
  if (input.refrigerant !== undefined)
    wanted.refrigerant = (await requireRefrigerant(db, input.refrigerant)).designation;
  if (input.installDate !== undefined) requireNotFuture(scope, input.installDate, "installDate", now);
  if (input.installDate && current.decommissionedAt && input.installDate > current.decommissionedAt) {
    throw badRequest("The unit cannot be installed after it was decommissioned.", {
      installDate: [`Must be on or before ${current.decommissionedAt}, the decommissioning date.`],
    });
  }
  const changes = Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => value !== undefined && value !== current[key as keyof UnitRow]),
  ) as Partial<Editable>;
  if (Object.keys(changes).length === 0) return getUnit(scope, id, now);

  const after: UnitRow = { ...current, ...changes };
  await guarded(() =>
    db.batch([
      unchangedGuard(scope, current),
      db
        .update(units)
        .set(changes)
        .where(and(eq(units.id, current.id), eq(units.orgId, org.id))),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "unit.update",
        entityType: "unit",
        entityId: current.id,
        before: snapshot(current),
        after: snapshot(after),
      }),
    ]),
  );
  await announce(scope, "updated", current.id);
  return getUnit(scope, id, now);
}

export async function decommissionUnit(scope: OrgScope, id: string, input: UnitDecommissionInput, now = new Date()) {
  const { db, org } = scope;
  const { unit: current } = await findUnit(scope, id);
  if (current.status === "DECOMMISSIONED") {
    throw conflict(
      `${current.name} was already decommissioned on ${current.decommissionedAt}.`,
      "ALREADY_DECOMMISSIONED",
    );
  }
  requireNotFuture(scope, input.date, "date", now);
  if (current.installDate && input.date < current.installDate) {
    throw badRequest("A unit cannot leave service before it was installed.", {
      date: [`Must be on or after ${current.installDate}, the install date.`],
    });
  }
  const after: UnitRow = {
    ...current,
    status: "DECOMMISSIONED",
    decommissionReason: input.reason,
    decommissionedAt: input.date,
  };
  await guarded(() =>
    db.batch([
      unchangedGuard(scope, current),
      db
        .update(units)
        .set({
          status: after.status,
          decommissionReason: after.decommissionReason,
          decommissionedAt: after.decommissionedAt,
        })
        .where(and(eq(units.id, current.id), eq(units.orgId, org.id))),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "unit.decommission",
        entityType: "unit",
        entityId: current.id,
        before: snapshot(current),
        after: snapshot(after),
      }),
    ]),
  );
  await announce(scope, "decommissioned", current.id);
  return getUnit(scope, id, now);
}

/** Deleting keeps the row and its records (transfers, leak rates, leaks point at it) and hides it everywhere. */
export async function deleteUnit(scope: OrgScope, id: string, now = new Date()) {
  const { db, org } = scope;
  const { unit: current } = await findUnit(scope, id);
  await guarded(() =>
    db.batch([
      unchangedGuard(scope, current),
      db
        .update(units)
        .set({ deletedAt: now })
        .where(and(eq(units.id, current.id), eq(units.orgId, org.id))),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "unit.delete",
        entityType: "unit",
        entityId: current.id,
        before: snapshot(current),
        after: snapshot({ ...current, deletedAt: now }),
      }),
    ]),
  );
  await announce(scope, "deleted", current.id);
}
