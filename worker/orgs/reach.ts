import { and, eq, inArray, isNull, or } from "drizzle-orm";
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

/** Every active org of the tree rooted at `rootId`, the root first. */
export async function orgTree(db: Db, rootId: string): Promise<Org[]> {
  const rows = await db
    .select()
    .from(organizations)
    .where(
      and(or(eq(organizations.id, rootId), eq(organizations.parentOrgId, rootId)), isNull(organizations.archivedAt)),
    )
    .all();
  return rows.sort((a, b) => (a.parentOrgId === null ? -1 : b.parentOrgId === null ? 1 : a.name.localeCompare(b.name)));
}

/**
 * SPEC §3 org reach: a PARENT_ORG_ADMIN reaches its parent org and every sub-org; anyone else
 * the home org plus `accessibleOrgIds`. Archived orgs are reached by nobody.
 */
export async function reachableOrgs(db: Db, user: Pick<SessionUser, "id" | "orgId" | "role">): Promise<ReachableOrg[]> {
  const home = await db.select().from(organizations).where(eq(organizations.id, user.orgId)).get();
  if (!home || home.archivedAt) return [];
  const rootId = rootIdOf(home);
  let orgs: Org[];
  if (user.role === "PARENT_ORG_ADMIN") {
    orgs = await orgTree(db, rootId);
  } else {
    const extra = await db
      .select({ orgId: userOrgAccess.orgId })
      .from(userOrgAccess)
      .where(eq(userOrgAccess.userId, user.id))
      .all();
    const ids = [home.id, ...extra.map((row) => row.orgId)];
    orgs = (await orgTree(db, rootId)).filter((org) => ids.includes(org.id));
  }
  const root =
    orgs.find((org) => org.id === rootId) ??
    (await db.select().from(organizations).where(eq(organizations.id, rootId)).get());
  const plan = root?.plan ?? home.plan;
  return orgs.map((org) => ({ id: org.id, name: org.name, parentOrgId: org.parentOrgId, plan, role: user.role }));
}

export async function getOrg(db: Db, orgId: string) {
  return db.select().from(organizations).where(eq(organizations.id, orgId)).get();
}

export async function getOrgs(db: Db, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  return db.select().from(organizations).where(inArray(organizations.id, orgIds)).all();
}
