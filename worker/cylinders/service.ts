import type { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import { cylinderMoves, cylinders, locations, refrigerants, userOrgAccess, users } from "../../db/schema";
import type { Audience } from "../../party/protocol";
import { auditEntry } from "../audit/log";
import { requireActiveCustomer } from "../customers/locations";
import { newId } from "../db";
import { badRequest, conflict, isConstraintError, notFound } from "../http/errors";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { can, PERMISSIONS, type Role } from "../policy/permissions";
import { inCallerTerritories, salesRepsCovering } from "../sales/coverage";
import { withCylinderConstraints } from "./constraints";
import { contentsProblem, fillFacts, hydroFacts, isOutOfService, statusAfterMove, todayIn } from "./rules";
import type {
  CylinderCreateInput,
  CylinderListQuery,
  CylinderMoveInput,
  CylinderPatchInput,
  CylinderSellInput,
  HolderInput,
} from "./schemas";

type CylinderRow = typeof cylinders.$inferSelect;
type Status = CylinderRow["status"];
type CreateInput = z.infer<typeof CylinderCreateInput>;
type PatchInput = z.infer<typeof CylinderPatchInput>;
type MoveInput = z.infer<typeof CylinderMoveInput>;
type SellInput = z.infer<typeof CylinderSellInput>;
type MoveRow = typeof cylinderMoves.$inferSelect;

const DEFAULT_LIST_LIMIT = 200;
const WAREHOUSE_LABEL = "Warehouse";

// ---------------------------------------------------------------------------------------------
// Visibility and audience: who sees which cylinder, decided here for every query and every event.

/**
 * The rows of this org the caller may see: SALES (cylinders:view-for-sale without view-all) only
 * FOR_SALE ones located in their sales territories (none without a territory), filtered in the
 * query. Deleted cylinders are gone for everyone.
 */
async function visibleTo(scope: OrgScope): Promise<SQL[]> {
  const conditions = [eq(cylinders.orgId, scope.org.id), isNull(cylinders.deletedAt)];
  if (!can(scope.actor, "cylinders:view-all", scope.org.id)) {
    conditions.push(eq(cylinders.status, "FOR_SALE"), await inCallerTerritories(scope));
  }
  return conditions;
}

const rolesWith = (permission: keyof typeof PERMISSIONS): Role[] => [...PERMISSIONS[permission].roles];

type Situation = Pick<CylinderRow, "status" | "holderType" | "holderLocationId">;

/**
 * Who hears about a cylinder change: everyone who sees every cylinder, plus the sales reps whose
 * territories hold it while it is FOR_SALE, before or after the change (their list must drop it).
 */
export async function cylinderAudienceOf(scope: OrgScope, ...situations: Situation[]): Promise<Audience> {
  const reps = await salesRepsCovering(scope, situations);
  return { roles: rolesWith("cylinders:view-all"), ...(reps.length > 0 ? { userIds: reps } : {}) };
}

async function announce(scope: OrgScope, action: string, id: string, ...situations: Situation[]) {
  await publish(
    scope.env,
    scope.org,
    { entity: "cylinder", action, id, orgId: scope.org.id },
    await cylinderAudienceOf(scope, ...situations),
  );
}

// ---------------------------------------------------------------------------------------------
// Reading

const listColumns = {
  cylinder: cylinders,
  holderUserName: users.name,
  holderLocationName: locations.name,
  holderLocationCity: locations.city,
};

function present(
  row: {
    cylinder: CylinderRow;
    holderUserName: string | null;
    holderLocationName: string | null;
    holderLocationCity: string | null;
  },
  today: string,
) {
  const c = row.cylinder;
  const holderName =
    c.holderType === "WAREHOUSE"
      ? WAREHOUSE_LABEL
      : c.holderType === "TECHNICIAN"
        ? (row.holderUserName ?? c.holderLabel ?? "Technician")
        : (row.holderLocationName ?? c.holderLabel ?? "Site");
  return {
    id: c.id,
    orgId: c.orgId,
    tag: c.tag,
    refrigerant: c.refrigerant,
    kind: c.kind,
    tareWeightLb: c.tareWeightLb,
    waterCapacityLb: c.waterCapacityLb,
    netContentsLb: c.netContentsLb,
    /** What the scale should read with the cylinder on it. */
    grossWeightLb: Math.round((c.tareWeightLb + c.netContentsLb) * 100) / 100,
    holder: {
      type: c.holderType,
      userId: c.holderUserId,
      locationId: c.holderLocationId,
      name: holderName,
      city: c.holderType === "SITE" ? row.holderLocationCity : null,
    },
    status: c.status,
    hydroTestDate: c.hydroTestDate,
    hydro: hydroFacts(c.hydroTestDate, today),
    fill: fillFacts(c.kind, c.waterCapacityLb, c.netContentsLb),
    /** Asking price in cents (null: not priced). */
    priceCents: c.priceCents,
    soldToCustomerId: c.soldToCustomerId,
    soldAt: c.soldAt ? c.soldAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
  };
}
export type CylinderView = ReturnType<typeof present>;

function selectCylinders(scope: OrgScope) {
  return scope.db
    .select(listColumns)
    .from(cylinders)
    .leftJoin(users, eq(users.id, cylinders.holderUserId))
    .leftJoin(locations, eq(locations.id, cylinders.holderLocationId));
}

/** `%` and `_` typed in a search box are matched literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

function holderCondition(scope: OrgScope, holder: string): SQL | undefined {
  switch (holder) {
    case "me":
      return and(eq(cylinders.holderType, "TECHNICIAN"), eq(cylinders.holderUserId, scope.user.id));
    case "warehouse":
      return eq(cylinders.holderType, "WAREHOUSE");
    case "site":
      return eq(cylinders.holderType, "SITE");
    default:
      return and(eq(cylinders.holderType, "TECHNICIAN"), eq(cylinders.holderUserId, holder));
  }
}

export async function listCylinders(scope: OrgScope, query: CylinderListQuery) {
  const conditions = await visibleTo(scope);
  if (query.status) conditions.push(eq(cylinders.status, query.status));
  if (query.kind) conditions.push(eq(cylinders.kind, query.kind));
  if (query.refrigerant) conditions.push(sql`lower(${cylinders.refrigerant}) = lower(${query.refrigerant})`);
  if (query.holder) {
    const condition = holderCondition(scope, query.holder);
    if (condition) conditions.push(condition);
  }
  if (query.q) conditions.push(sql`${cylinders.tag} LIKE ${likePattern(query.q.toUpperCase())} ESCAPE '\\'`);
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  const rows = await selectCylinders(scope)
    .where(and(...conditions))
    .orderBy(asc(cylinders.tag))
    .limit(limit + 1)
    .all();
  const today = todayIn(scope.org.timeZone);
  return {
    cylinders: rows.slice(0, limit).map((row) => present(row, today)),
    /** More matched than `limit`: narrow the filters. */
    truncated: rows.length > limit,
  };
}

/** A cylinder the caller may see, or 404 (another org's, a deleted one, or hidden from SALES). */
async function findCylinder(scope: OrgScope, id: string) {
  const row = await selectCylinders(scope)
    .where(and(eq(cylinders.id, id), ...(await visibleTo(scope))))
    .get();
  if (!row) throw notFound("Cylinder");
  return row;
}

export async function getCylinder(scope: OrgScope, id: string) {
  const row = await findCylinder(scope, id);
  const refrigerant = await scope.db
    .select()
    .from(refrigerants)
    .where(eq(refrigerants.designation, row.cylinder.refrigerant))
    .get();
  return {
    ...present(row, todayIn(scope.org.timeZone)),
    refrigerantInfo: refrigerant ?? null,
  };
}

function presentMove(move: MoveRow) {
  return {
    id: move.id,
    from: move.fromHolderType
      ? {
          type: move.fromHolderType,
          userId: move.fromHolderUserId,
          locationId: move.fromHolderLocationId,
          name: move.fromHolderLabel,
        }
      : null,
    to: {
      type: move.toHolderType,
      userId: move.toHolderUserId,
      locationId: move.toHolderLocationId,
      name: move.toHolderLabel,
    },
    fromStatus: move.fromStatus,
    toStatus: move.toStatus,
    movedBy: { id: move.movedById, name: move.movedByName },
    note: move.note,
    movedAt: move.movedAt.toISOString(),
  };
}
export type CylinderMoveView = ReturnType<typeof presentMove>;

/** Every move and status change of a cylinder, newest first. */
export async function listMoves(scope: OrgScope, id: string) {
  const { cylinder } = await findCylinder(scope, id);
  const rows = await scope.db
    .select()
    .from(cylinderMoves)
    .where(and(eq(cylinderMoves.cylinderId, cylinder.id), eq(cylinderMoves.orgId, scope.org.id)))
    .orderBy(desc(cylinderMoves.movedAt), desc(sql`rowid`))
    .all();
  return rows.map(presentMove);
}

/** The refrigerants a cylinder can be created for (the catalogue). */
export async function refrigerantChoices(scope: OrgScope) {
  return scope.db
    .select({ designation: refrigerants.designation, ods: refrigerants.ods, gwp: refrigerants.gwp })
    .from(refrigerants)
    .orderBy(asc(refrigerants.designation))
    .all();
}

/**
 * People a cylinder can be moved to: active users of this org (at home here or granted access)
 * whose role may handle cylinders.
 */
export async function holderChoices(scope: OrgScope) {
  const movers = rolesWith("cylinders:move");
  const [home, granted, sites] = await Promise.all([
    scope.db
      .select({ id: users.id, name: users.name, role: users.role })
      .from(users)
      .where(and(eq(users.orgId, scope.org.id), eq(users.status, "ACTIVE")))
      .all(),
    scope.db
      .select({ id: users.id, name: users.name, role: users.role })
      .from(userOrgAccess)
      .innerJoin(users, eq(users.id, userOrgAccess.userId))
      .where(and(eq(userOrgAccess.orgId, scope.org.id), eq(users.status, "ACTIVE")))
      .all(),
    scope.db
      .select({ id: locations.id, name: locations.name, city: locations.city, state: locations.state })
      .from(locations)
      .where(and(eq(locations.orgId, scope.org.id), isNull(locations.archivedAt)))
      .orderBy(asc(locations.name))
      .all(),
  ]);
  const people = new Map([...home, ...granted].filter((u) => movers.includes(u.role)).map((u) => [u.id, u]));
  return {
    people: [...people.values()].sort((a, b) => a.name.localeCompare(b.name)),
    sites,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

type Placement = {
  holderType: CylinderRow["holderType"];
  holderUserId: string | null;
  holderLocationId: string | null;
  holderLabel: string;
};

/** A holder the org really has: an active person of the org who handles cylinders, or one of its sites. */
async function resolveHolder(scope: OrgScope, holder: HolderInput, field: string): Promise<Placement> {
  if (holder.holderType === "WAREHOUSE") {
    return { holderType: "WAREHOUSE", holderUserId: null, holderLocationId: null, holderLabel: WAREHOUSE_LABEL };
  }
  if (holder.holderType === "TECHNICIAN") {
    const person = await scope.db.select().from(users).where(eq(users.id, holder.holderUserId)).get();
    const grant = person
      ? await scope.db
          .select({ userId: userOrgAccess.userId })
          .from(userOrgAccess)
          .where(and(eq(userOrgAccess.userId, person.id), eq(userOrgAccess.orgId, scope.org.id)))
          .get()
      : undefined;
    const belongs =
      person &&
      (person.orgId === scope.org.id ||
        grant !== undefined ||
        (person.role === "PARENT_ORG_ADMIN" && person.orgId === scope.org.parentOrgId));
    if (!person || !belongs || person.status !== "ACTIVE") {
      throw badRequest("Choose an active member of this organization.", {
        [`${field}.holderUserId`]: ["Not an active member of this organization."],
      });
    }
    if (!can(person, "cylinders:move")) {
      throw badRequest(`${person.name} cannot carry cylinders.`, {
        [`${field}.holderUserId`]: ["Choose a technician, manager or admin."],
      });
    }
    return { holderType: "TECHNICIAN", holderUserId: person.id, holderLocationId: null, holderLabel: person.name };
  }
  const site = await scope.db
    .select()
    .from(locations)
    .where(
      and(eq(locations.id, holder.holderLocationId), eq(locations.orgId, scope.org.id), isNull(locations.archivedAt)),
    )
    .get();
  if (!site) {
    throw badRequest("Choose a site of this organization.", {
      [`${field}.holderLocationId`]: ["Not a site of this organization."],
    });
  }
  return { holderType: "SITE", holderUserId: null, holderLocationId: site.id, holderLabel: site.name };
}

async function catalogueDesignation(scope: OrgScope, refrigerant: string) {
  const row = await scope.db
    .select({ designation: refrigerants.designation })
    .from(refrigerants)
    .where(sql`lower(${refrigerants.designation}) = lower(${refrigerant})`)
    .get();
  if (!row) {
    throw badRequest("Choose a refrigerant from the catalogue.", {
      refrigerant: [`${refrigerant} is not in the refrigerant catalogue.`],
    });
  }
  return row.designation;
}

async function requireFreeTag(scope: OrgScope, tag: string, exceptId?: string) {
  const taken = await scope.db
    .select({ id: cylinders.id, deletedAt: cylinders.deletedAt })
    .from(cylinders)
    .where(and(eq(cylinders.orgId, scope.org.id), eq(cylinders.tag, tag)))
    .get();
  if (taken && taken.id !== exceptId) {
    const message = taken.deletedAt
      ? `The tag ${tag} belongs to a deleted cylinder, whose records keep it.`
      : `Another cylinder of this organization is tagged ${tag}.`;
    throw conflict(message, "TAG_TAKEN", { tag: ["Already used by another cylinder."] });
  }
}

function requireContentsFit(kind: CylinderRow["kind"], waterCapacityLb: number, netContentsLb: number, field: string) {
  const problem = contentsProblem(kind, waterCapacityLb, netContentsLb);
  if (problem) throw badRequest(problem, { [field]: [problem] });
}

function requireStatusFitsHolder(status: Status, holderType: CylinderRow["holderType"]) {
  if (status === "ASSIGNED" && holderType !== "TECHNICIAN") {
    throw badRequest("Only a cylinder on a technician's truck is ASSIGNED: move it to a technician instead.", {
      status: ["Move the cylinder to a technician to assign it."],
    });
  }
}

/** What the audit log keeps of a cylinder. */
const snapshot = (c: CylinderRow) => ({
  tag: c.tag,
  refrigerant: c.refrigerant,
  kind: c.kind,
  tareWeightLb: c.tareWeightLb,
  waterCapacityLb: c.waterCapacityLb,
  netContentsLb: c.netContentsLb,
  holderType: c.holderType,
  holderUserId: c.holderUserId,
  holderLocationId: c.holderLocationId,
  holderLabel: c.holderLabel,
  status: c.status,
  hydroTestDate: c.hydroTestDate,
  priceCents: c.priceCents,
  soldToCustomerId: c.soldToCustomerId,
  soldAt: c.soldAt ? c.soldAt.toISOString() : null,
  deletedAt: c.deletedAt ? c.deletedAt.toISOString() : null,
});

function moveRow(
  scope: OrgScope,
  cylinderId: string,
  from: (Placement & { status: Status }) | null,
  to: Placement & { status: Status },
  note: string | undefined,
  movedAt: Date,
): MoveRow {
  return {
    id: newId(),
    orgId: scope.org.id,
    cylinderId,
    fromHolderType: from?.holderType ?? null,
    fromHolderUserId: from?.holderUserId ?? null,
    fromHolderLocationId: from?.holderLocationId ?? null,
    fromHolderLabel: from?.holderLabel ?? null,
    fromStatus: from?.status ?? null,
    toHolderType: to.holderType,
    toHolderUserId: to.holderUserId,
    toHolderLocationId: to.holderLocationId,
    toHolderLabel: to.holderLabel,
    toStatus: to.status,
    movedById: scope.user.id,
    movedByName: scope.user.name,
    note: note || null,
    movedAt,
  };
}

const placementOf = (c: CylinderRow): Placement & { status: Status } => ({
  holderType: c.holderType,
  holderUserId: c.holderUserId,
  holderLocationId: c.holderLocationId,
  holderLabel: c.holderLabel ?? (c.holderType === "WAREHOUSE" ? WAREHOUSE_LABEL : ""),
  status: c.status,
});

export async function createCylinder(scope: OrgScope, input: CreateInput) {
  const { db } = scope;
  const refrigerant = await catalogueDesignation(scope, input.refrigerant);
  requireContentsFit(input.kind, input.waterCapacityLb, input.netContentsLb, "netContentsLb");
  requireHydroDateNotFuture(scope, input.hydroTestDate);
  const placement = await resolveHolder(scope, input.holder ?? { holderType: "WAREHOUSE" }, "holder");
  const status = input.status ?? statusAfterMove("IN_STOCK", placement.holderType);
  requireStatusFitsHolder(status, placement.holderType);
  await requireFreeTag(scope, input.tag);

  const now = new Date();
  const row: CylinderRow = {
    id: newId(),
    orgId: scope.org.id,
    tag: input.tag,
    refrigerant,
    kind: input.kind,
    tareWeightLb: input.tareWeightLb,
    waterCapacityLb: input.waterCapacityLb,
    netContentsLb: input.netContentsLb,
    ...placement,
    status,
    priceCents: input.priceCents ?? null,
    soldToCustomerId: null,
    soldAt: null,
    hydroTestDate: input.hydroTestDate ?? null,
    deletedAt: null,
    createdAt: now,
  };
  await withCylinderConstraints(() =>
    db.batch([
      db.insert(cylinders).values(row),
      // The first entry of its history: where it was put into service.
      db
        .insert(cylinderMoves)
        .values(moveRow(scope, row.id, null, { ...placement, status }, "Added to inventory", now)),
      auditEntry(db, {
        orgId: scope.org.id,
        actor: actorRef(scope),
        action: "cylinder.create",
        entityType: "cylinder",
        entityId: row.id,
        after: snapshot(row),
      }),
    ]),
  );
  await announce(scope, "created", row.id, row);
  return getCylinder(scope, row.id);
}

function requireHydroDateNotFuture(scope: OrgScope, date: string | null | undefined) {
  if (date && date > todayIn(scope.org.timeZone)) {
    throw badRequest("The hydrostatic test date cannot be in the future.", {
      hydroTestDate: ["Cannot be in the future."],
    });
  }
}

export async function updateCylinder(scope: OrgScope, id: string, input: PatchInput) {
  const { db } = scope;
  const { cylinder: current } = await findCylinder(scope, id);
  const { note, ...fields } = input;
  const changes = Object.fromEntries(
    Object.entries(fields).filter(([key, value]) => value !== undefined && value !== current[key as keyof CylinderRow]),
  ) as Partial<
    Pick<CylinderRow, "tag" | "tareWeightLb" | "waterCapacityLb" | "hydroTestDate" | "status" | "priceCents">
  >;
  const statusChanged = changes.status !== undefined;
  if (note && !statusChanged) {
    throw badRequest("A note goes with a status change.", { note: ["Change the status to leave a note."] });
  }
  if (Object.keys(changes).length === 0) return getCylinder(scope, id);

  if (changes.tag !== undefined) await requireFreeTag(scope, changes.tag, current.id);
  if (changes.waterCapacityLb !== undefined) {
    requireContentsFit(current.kind, changes.waterCapacityLb, current.netContentsLb, "waterCapacityLb");
  }
  if (changes.hydroTestDate !== undefined) requireHydroDateNotFuture(scope, changes.hydroTestDate);
  if (changes.status !== undefined) requireStatusFitsHolder(changes.status, current.holderType);

  const after: CylinderRow = { ...current, ...changes };
  const now = new Date();
  const from = placementOf(current);
  await withCylinderConstraints(() =>
    db.batch([
      db
        .update(cylinders)
        .set(changes)
        .where(and(eq(cylinders.id, current.id), eq(cylinders.orgId, scope.org.id))),
      // A status change is part of the cylinder's history, like a move.
      ...(statusChanged
        ? [
            db
              .insert(cylinderMoves)
              .values(moveRow(scope, current.id, from, { ...from, status: after.status }, note, now)),
          ]
        : []),
      auditEntry(db, {
        orgId: scope.org.id,
        actor: actorRef(scope),
        action: statusChanged ? "cylinder.status" : "cylinder.update",
        entityType: "cylinder",
        entityId: current.id,
        before: snapshot(current),
        after: snapshot(after),
      }),
    ]),
  );
  await announce(scope, "updated", current.id, current, after);
  return getCylinder(scope, id);
}

export async function moveCylinder(scope: OrgScope, id: string, input: MoveInput) {
  const { db } = scope;
  const { cylinder: current } = await findCylinder(scope, id);
  if (isOutOfService(current.status)) {
    throw conflict(
      `A ${current.status === "SOLD" ? "sold" : "retired"} cylinder stays where it is; a manager can change its status first.`,
      "CYLINDER_OUT_OF_SERVICE",
    );
  }
  const to = await resolveHolder(scope, input.to, "to");
  if (
    to.holderType === current.holderType &&
    to.holderUserId === current.holderUserId &&
    to.holderLocationId === current.holderLocationId
  ) {
    throw conflict(`${current.tag} is already there (${to.holderLabel}).`, "ALREADY_THERE", {
      to: ["The cylinder is already there."],
    });
  }
  const status = statusAfterMove(current.status, to.holderType);
  const after: CylinderRow = { ...current, ...to, status };
  const move = moveRow(scope, current.id, placementOf(current), { ...to, status }, input.note, new Date());
  await withCylinderConstraints(() =>
    db.batch([
      db
        .update(cylinders)
        .set({ ...to, status })
        .where(and(eq(cylinders.id, current.id), eq(cylinders.orgId, scope.org.id))),
      db.insert(cylinderMoves).values(move),
      auditEntry(db, {
        orgId: scope.org.id,
        actor: actorRef(scope),
        action: "cylinder.move",
        entityType: "cylinder",
        entityId: current.id,
        before: snapshot(current),
        after: { ...snapshot(after), note: move.note },
      }),
    ]),
  );
  await announce(scope, "moved", current.id, current, after);
  return {
    cylinder: await getCylinder(scope, id),
    move: presentMove(move),
  };
}

/** Deleting keeps the row (transfers and history point at it) and hides it everywhere. */
export async function deleteCylinder(scope: OrgScope, id: string) {
  const { db } = scope;
  const { cylinder: current } = await findCylinder(scope, id);
  const deletedAt = new Date();
  await db.batch([
    db
      .update(cylinders)
      .set({ deletedAt })
      .where(and(eq(cylinders.id, current.id), eq(cylinders.orgId, scope.org.id))),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "cylinder.delete",
      entityType: "cylinder",
      entityId: current.id,
      before: snapshot(current),
      after: snapshot({ ...current, deletedAt }),
    }),
  ]);
  await announce(scope, "deleted", current.id, current);
}

/**
 * Sells a FOR_SALE cylinder to a customer of the org: status SOLD, buyer and date recorded, and a
 * move in its history. The cylinder goes to the customer's first active location (it left our
 * custody); a customer without a location leaves the holder as it was, the move still says SOLD.
 */
export async function sellCylinder(scope: OrgScope, id: string, input: SellInput) {
  const { db } = scope;
  const { cylinder: current } = await findCylinder(scope, id);
  if (current.status !== "FOR_SALE") {
    throw conflict(`Only a cylinder marked FOR_SALE can be sold; ${current.tag} is ${current.status}.`, "NOT_FOR_SALE");
  }
  const customer = await requireActiveCustomer(scope, input.customerId, "customerId");
  const site = await db
    .select()
    .from(locations)
    .where(and(eq(locations.customerId, customer.id), eq(locations.orgId, scope.org.id), isNull(locations.archivedAt)))
    .orderBy(asc(locations.createdAt), asc(locations.id))
    .get();
  const to: Placement = site
    ? { holderType: "SITE", holderUserId: null, holderLocationId: site.id, holderLabel: site.name }
    : placementOf(current);
  const soldAt = new Date();
  const after: CylinderRow = { ...current, ...to, status: "SOLD", soldToCustomerId: customer.id, soldAt };
  const note = input.note || `Sold to ${customer.name}`;
  const move = moveRow(scope, current.id, placementOf(current), { ...to, status: "SOLD" }, note, soldAt);
  try {
    await db.batch([
      // Compare-and-set: when a concurrent request sold it or changed its status first, this
      // breaks the contents CHECK, which rolls the whole batch back.
      db
        .update(cylinders)
        .set({ netContentsLb: -1 })
        .where(and(eq(cylinders.id, current.id), sql`${cylinders.status} <> 'FOR_SALE'`)),
      db
        .update(cylinders)
        .set({ ...to, status: "SOLD", soldToCustomerId: customer.id, soldAt })
        .where(and(eq(cylinders.id, current.id), eq(cylinders.orgId, scope.org.id))),
      db.insert(cylinderMoves).values(move),
      auditEntry(db, {
        orgId: scope.org.id,
        actor: actorRef(scope),
        action: "cylinder.sell",
        entityType: "cylinder",
        entityId: current.id,
        before: snapshot(current),
        after: { ...snapshot(after), customerName: customer.name, note: move.note },
      }),
    ]);
  } catch (error) {
    if (isConstraintError(error, "cylinders_contents_not_negative")) {
      throw conflict(`${current.tag} is no longer for sale.`, "NOT_FOR_SALE");
    }
    throw error;
  }
  await announce(scope, "sold", current.id, current, after);
  return { cylinder: await getCylinder(scope, id), move: presentMove(move) };
}
