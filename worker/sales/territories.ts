/**
 * Sales territories: created, edited, archived and assigned to sales reps by a PARENT_ORG_ADMIN;
 * read by org admins (all of the org's) and sales reps (their own). A territory belongs to the org
 * in the URL and covers that org's cylinders (worker/sales/coverage.ts).
 */
import { and, asc, eq, inArray, isNotNull, isNull, ne } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { territories, territoryAssignments, userOrgAccess, users } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { newId } from "../db";
import { badRequest, conflict, notFound } from "../http/errors";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { can, PERMISSIONS, type Role } from "../policy/permissions";
import type { TerritoryAssigneesInput, TerritoryCreateInput, TerritoryListQuery, TerritoryPatchInput } from "./schemas";

type TerritoryRow = typeof territories.$inferSelect;

const snapshot = (t: TerritoryRow) => ({
  name: t.name,
  states: t.states,
  zipPrefixes: t.zipPrefixes,
  archivedAt: t.archivedAt ? t.archivedAt.toISOString() : null,
});

/** Territory changes reach the org's admins and the reps assigned before or after. */
async function announce(scope: OrgScope, action: string, id: string, reps: string[]) {
  const roles = [...PERMISSIONS["territories:assign"].roles, ...PERMISSIONS["leads:view"].roles] as Role[];
  await publish(
    scope.env,
    scope.org,
    { entity: "territory", action, id, orgId: scope.org.id },
    { roles: [...new Set(roles)], ...(reps.length > 0 ? { userIds: reps } : {}) },
  );
}

/**
 * Who reads territories (sales:view, checked by the route): admins every territory of the org, a
 * sales rep (who works own leads) only those assigned to them.
 */
const seesAll = (scope: OrgScope) => !can(scope.actor, "leads:own", scope.org.id);

async function assigneesOf(scope: OrgScope, territoryIds: string[]) {
  if (territoryIds.length === 0) return new Map<string, { id: string; name: string; email: string }[]>();
  const rows = await scope.db
    .select({ territoryId: territoryAssignments.territoryId, id: users.id, name: users.name, email: users.email })
    .from(territoryAssignments)
    .innerJoin(users, eq(users.id, territoryAssignments.userId))
    .where(and(inArray(territoryAssignments.territoryId, territoryIds), eq(territoryAssignments.orgId, scope.org.id)))
    .orderBy(asc(users.name))
    .all();
  const byTerritory = new Map<string, { id: string; name: string; email: string }[]>();
  for (const { territoryId, ...user } of rows) {
    byTerritory.set(territoryId, [...(byTerritory.get(territoryId) ?? []), user]);
  }
  return byTerritory;
}

function present(t: TerritoryRow, assignees: { id: string; name: string; email: string }[]) {
  return {
    id: t.id,
    orgId: t.orgId,
    name: t.name,
    states: t.states,
    zipPrefixes: t.zipPrefixes,
    archived: t.archivedAt !== null,
    archivedAt: t.archivedAt ? t.archivedAt.toISOString() : null,
    assignees,
    createdAt: t.createdAt.toISOString(),
  };
}
export type TerritoryView = ReturnType<typeof present>;

export async function listTerritories(scope: OrgScope, query: TerritoryListQuery = {}) {
  const conditions = [eq(territories.orgId, scope.org.id)];
  if (query.archived !== "all") {
    conditions.push(query.archived === "archived" ? isNotNull(territories.archivedAt) : isNull(territories.archivedAt));
  }
  if (!seesAll(scope)) {
    const mine = scope.db
      .select({ id: territoryAssignments.territoryId })
      .from(territoryAssignments)
      .where(and(eq(territoryAssignments.userId, scope.user.id), eq(territoryAssignments.orgId, scope.org.id)));
    conditions.push(inArray(territories.id, mine));
  }
  const rows = await scope.db
    .select()
    .from(territories)
    .where(and(...conditions))
    .orderBy(asc(territories.name))
    .all();
  const assignees = await assigneesOf(
    scope,
    rows.map((row) => row.id),
  );
  return rows.map((row) => present(row, assignees.get(row.id) ?? []));
}

async function findTerritory(scope: OrgScope, id: string) {
  const row = await scope.db
    .select()
    .from(territories)
    .where(and(eq(territories.id, id), eq(territories.orgId, scope.org.id)))
    .get();
  if (!row) throw notFound("Territory");
  if (!seesAll(scope)) {
    const assigned = await scope.db
      .select({ userId: territoryAssignments.userId })
      .from(territoryAssignments)
      .where(and(eq(territoryAssignments.territoryId, id), eq(territoryAssignments.userId, scope.user.id)))
      .get();
    if (!assigned) throw notFound("Territory");
  }
  return row;
}

export async function getTerritory(scope: OrgScope, id: string) {
  const row = await findTerritory(scope, id);
  const assignees = await assigneesOf(scope, [row.id]);
  return present(row, assignees.get(row.id) ?? []);
}

async function requireFreeName(scope: OrgScope, name: string, exceptId?: string) {
  const taken = await scope.db
    .select({ id: territories.id })
    .from(territories)
    .where(
      and(
        eq(territories.orgId, scope.org.id),
        eq(territories.name, name),
        isNull(territories.archivedAt),
        ...(exceptId ? [ne(territories.id, exceptId)] : []),
      ),
    )
    .get();
  if (taken) throw conflict(`A territory named ${name} already exists.`, "NAME_TAKEN", { name: ["Already used."] });
}

export async function createTerritory(scope: OrgScope, input: TerritoryCreateInput) {
  const { db } = scope;
  await requireFreeName(scope, input.name);
  const row: TerritoryRow = {
    id: newId(),
    orgId: scope.org.id,
    name: input.name,
    states: input.states,
    zipPrefixes: input.zipPrefixes,
    archivedAt: null,
    createdAt: new Date(),
  };
  await db.batch([
    db.insert(territories).values(row),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "territory.create",
      entityType: "territory",
      entityId: row.id,
      after: snapshot(row),
    }),
  ]);
  await announce(scope, "created", row.id, []);
  return getTerritory(scope, row.id);
}

const repIdsOf = async (scope: OrgScope, territoryId: string) =>
  (await assigneesOf(scope, [territoryId])).get(territoryId)?.map((user) => user.id) ?? [];

export async function updateTerritory(scope: OrgScope, id: string, input: TerritoryPatchInput) {
  const { db } = scope;
  const current = await findTerritory(scope, id);
  if (current.archivedAt) throw conflict(`${current.name} is archived.`, "ARCHIVED");
  const after: TerritoryRow = {
    ...current,
    name: input.name ?? current.name,
    states: input.states ?? current.states,
    zipPrefixes: input.zipPrefixes ?? current.zipPrefixes,
  };
  if (after.states.length + after.zipPrefixes.length === 0) {
    throw badRequest("Give at least one state or ZIP prefix.", { states: ["Give at least one state or ZIP prefix."] });
  }
  if (after.name !== current.name) await requireFreeName(scope, after.name, current.id);
  await db.batch([
    db
      .update(territories)
      .set({ name: after.name, states: after.states, zipPrefixes: after.zipPrefixes })
      .where(and(eq(territories.id, current.id), eq(territories.orgId, scope.org.id))),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "territory.update",
      entityType: "territory",
      entityId: current.id,
      before: snapshot(current),
      after: snapshot(after),
    }),
  ]);
  await announce(scope, "updated", current.id, await repIdsOf(scope, current.id));
  return getTerritory(scope, id);
}

/** Archiving keeps the territory and its assignments for the record; it no longer covers anything. */
export async function archiveTerritory(scope: OrgScope, id: string) {
  const { db } = scope;
  const current = await findTerritory(scope, id);
  if (current.archivedAt) return getTerritory(scope, id);
  const archivedAt = new Date();
  await db.batch([
    db
      .update(territories)
      .set({ archivedAt })
      .where(and(eq(territories.id, current.id), eq(territories.orgId, scope.org.id))),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "territory.archive",
      entityType: "territory",
      entityId: current.id,
      before: snapshot(current),
      after: snapshot({ ...current, archivedAt }),
    }),
  ]);
  await announce(scope, "archived", current.id, await repIdsOf(scope, current.id));
  return getTerritory(scope, id);
}

/** Active SALES users who reach this org (at home here or granted access): who may be assigned. */
export async function assignableReps(scope: OrgScope) {
  const [home, granted] = await Promise.all([
    scope.db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(and(eq(users.orgId, scope.org.id), eq(users.role, "SALES"), eq(users.status, "ACTIVE")))
      .all(),
    scope.db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(userOrgAccess)
      .innerJoin(users, eq(users.id, userOrgAccess.userId))
      .where(and(eq(userOrgAccess.orgId, scope.org.id), eq(users.role, "SALES"), eq(users.status, "ACTIVE")))
      .all(),
  ]);
  const reps = new Map([...home, ...granted].map((user) => [user.id, user]));
  return [...reps.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Replaces the territory's reps with `userIds` (each an active SALES user who reaches the org). */
export async function setAssignees(scope: OrgScope, id: string, input: TerritoryAssigneesInput) {
  const { db } = scope;
  const current = await findTerritory(scope, id);
  if (current.archivedAt) throw conflict(`${current.name} is archived.`, "ARCHIVED");
  const reps = new Set((await assignableReps(scope)).map((rep) => rep.id));
  const fields: Record<string, string[]> = {};
  input.userIds.forEach((userId, index) => {
    if (!reps.has(userId)) fields[`userIds.${index}`] = ["Not an active sales rep of this organization."];
  });
  if (Object.keys(fields).length > 0) throw badRequest("Choose sales reps of this organization.", fields);
  const before = await repIdsOf(scope, current.id);
  const added = input.userIds.filter((userId) => !before.includes(userId));
  const removed = before.filter((userId) => !input.userIds.includes(userId));
  if (added.length === 0 && removed.length === 0) return getTerritory(scope, id);
  const statements: BatchItem<"sqlite">[] = [];
  if (removed.length > 0) {
    statements.push(
      db
        .delete(territoryAssignments)
        .where(and(eq(territoryAssignments.territoryId, current.id), inArray(territoryAssignments.userId, removed))),
    );
  }
  if (added.length > 0) {
    statements.push(
      db
        .insert(territoryAssignments)
        .values(added.map((userId) => ({ territoryId: current.id, userId, orgId: scope.org.id })))
        .onConflictDoNothing(),
    );
  }
  await db.batch([
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "territory.assign",
      entityType: "territory",
      entityId: current.id,
      before: { name: current.name, userIds: before },
      after: { name: current.name, userIds: input.userIds, added, removed },
    }),
    ...statements,
  ]);
  await announce(scope, "assigned", current.id, [...new Set([...before, ...input.userIds])]);
  return getTerritory(scope, id);
}
