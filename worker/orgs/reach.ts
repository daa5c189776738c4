import { and, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { organizations, type Plan, type Role, userOrgAccess } from "../../db/schema";
import type { SessionUser } from "../auth/session";
import type { Db } from "../db";

export type Org = typeof organizations.$inferSelect;

/** An org as the org switcher and `/api/me` show it, with the caller's role there. */
export type ReachableOrg = {
  id: string;
  name: string;
  parentOrgId: string | null;
  /** The plan in force: a sub-org runs on its parent's plan. */
  plan: Plan;
  role: Role;
};

export const rootIdOf = (org: Pick<Org, "id" | "parentOrgId">) => org.parentOrgId ?? org.id;

/** Root first, then by name. */
const treeOrder = (a: Org, b: Org) =>
  a.parentOrgId === null ? -1 : b.parentOrgId === null ? 1 : a.name.localeCompare(b.name);

/** Every active org of the tree rooted at `rootId`, the root first. */
export async function orgTree(db: Db, rootId: string): Promise<Org[]> {
  const rows = await db
    .select()
    .from(organizations)
    .where(
      and(or(eq(organizations.id, rootId), eq(organizations.parentOrgId, rootId)), isNull(organizations.archivedAt)),
    )
    .all();
  return rows.sort(treeOrder);
}

/**
 * SPEC §3 org reach: a PARENT_ORG_ADMIN reaches its parent org and every sub-org; anyone else
 * the home org plus `accessibleOrgIds`. Archived orgs are reached by nobody.
 */
export async function reachableOrgs(db: Db, user: Pick<SessionUser, "id" | "orgId" | "role">): Promise<ReachableOrg[]> {
  return (await reach(db, user)).orgs;
}

/** The reads an org reach is computed from (see `reach`). */
export type ReachRows = {
  /** The home org's whole tree, archived rows included (the root's row carries the plan). */
  tree: Org[];
  /** The user's extra orgs (`accessibleOrgIds`). */
  extraOrgIds: string[];
};

/** The tree of the org whose id `homeOrgId` (a value or a subquery) gives: the root's id, then the rows. */
export function treeOf(homeOrgId: SQL | string) {
  const root = sql`(SELECT coalesce(${organizations.parentOrgId}, ${organizations.id}) FROM ${organizations} WHERE ${organizations.id} = ${homeOrgId})`;
  return or(eq(organizations.id, root), eq(organizations.parentOrgId, root));
}

/**
 * `reachableOrgs` with the full rows of the orgs reached, read fresh on every call in ONE D1 round
 * trip (a batch of two reads: the home org's whole tree and the user's extra orgs). Guards use the
 * rows instead of reading the org again.
 */
export async function reach(
  db: Db,
  user: Pick<SessionUser, "id" | "orgId" | "role">,
): Promise<{ orgs: ReachableOrg[]; rows: Org[] }> {
  const [tree, extra] = await db.batch([
    db.select().from(organizations).where(treeOf(user.orgId)),
    db.select({ orgId: userOrgAccess.orgId }).from(userOrgAccess).where(eq(userOrgAccess.userId, user.id)),
  ]);
  return reachFrom(user, { tree, extraOrgIds: extra.map((row) => row.orgId) });
}

/** SPEC §3 org reach from its reads (`reach`, or the session lookup that read them along). */
export function reachFrom(
  user: Pick<SessionUser, "id" | "orgId" | "role">,
  { tree, extraOrgIds }: ReachRows,
): { orgs: ReachableOrg[]; rows: Org[] } {
  const home = tree.find((org) => org.id === user.orgId);
  if (!home || home.archivedAt) return { orgs: [], rows: [] };
  const rootId = rootIdOf(home);
  const active = tree.filter((org) => !org.archivedAt).sort(treeOrder);
  const ids = [home.id, ...extraOrgIds];
  const rows = user.role === "PARENT_ORG_ADMIN" ? active : active.filter((org) => ids.includes(org.id));
  const plan = tree.find((org) => org.id === rootId)?.plan ?? home.plan;
  return {
    orgs: rows.map((org) => ({ id: org.id, name: org.name, parentOrgId: org.parentOrgId, plan, role: user.role })),
    rows,
  };
}

export async function getOrg(db: Db, orgId: string) {
  return db.select().from(organizations).where(eq(organizations.id, orgId)).get();
}

export async function getOrgs(db: Db, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  return db.select().from(organizations).where(inArray(organizations.id, orgIds)).all();
}
