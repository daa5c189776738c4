import type { SessionResult, SessionUser } from "../auth/session";
import type { Db } from "../db";
import { forbidden, notFound, unauthenticated } from "../http/errors";
import { type Org, type ReachableOrg, reach, reachFrom } from "../orgs/reach";
import { type Actor, can, type Permission } from "./permissions";

/** What every request knows before it reaches a handler or a loader. */
export type RequestScope = { db: Db; env: Env; auth: SessionResult | null };

/** The signed-in user, inside an org they reach: what domain services receive. */
export type OrgScope = {
  db: Db;
  env: Env;
  user: SessionUser;
  actor: Actor;
  org: Org;
  orgs: ReachableOrg[];
};

export function getSessionUser(scope: RequestScope): SessionUser | null {
  return scope.auth?.user ?? null;
}

export function requireSession(scope: RequestScope): SessionUser {
  const user = getSessionUser(scope);
  if (!user) throw unauthenticated();
  return user;
}

/**
 * The signed-in user's org reach, read fresh on every request (SPEC §4: changes bite on the next
 * request): as read along with the session when it was (worker/index.ts), otherwise in one D1
 * round trip of its own.
 */
export async function reachOf(scope: RequestScope, user: SessionUser) {
  const rows = scope.auth?.user === user ? scope.auth.reach : undefined;
  return rows ? reachFrom(user, rows) : reach(scope.db, user);
}

/** Orgs the caller cannot reach answer 404, so their existence does not leak. */
export async function requireOrgAccess(scope: RequestScope, orgId: string): Promise<OrgScope> {
  const user = requireSession(scope);
  const { orgs, rows } = await reachOf(scope, user);
  const org = rows.find((row) => row.id === orgId);
  if (!org) throw notFound("Organization");
  return {
    db: scope.db,
    env: scope.env,
    user,
    actor: { id: user.id, role: user.role, orgId: user.orgId },
    org,
    orgs,
  };
}

export function requirePermission(scope: OrgScope, permission: Permission): OrgScope {
  if (!can(scope.actor, permission, scope.org.id)) throw forbidden();
  return scope;
}

export async function requireOrgPermission(scope: RequestScope, orgId: string, permission: Permission) {
  return requirePermission(await requireOrgAccess(scope, orgId), permission);
}
