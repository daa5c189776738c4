import type { RequestSession } from "../auth/request-session";
import type { SessionUser } from "../auth/session";
import type { Db, PreparedRead, ReadResult } from "../db";
import { forbidden, notFound, unauthenticated } from "../http/errors";
import { type Org, type ReachableOrg, reach, reachFrom } from "../orgs/reach";
import { type Actor, can, type Permission } from "./permissions";

/** What every request knows before it reaches a handler or a loader; its session is read when first asked for. */
export type RequestScope = { db: Db; env: Env; session: RequestSession };

/** The signed-in user, inside an org they reach: what domain services receive. */
export type OrgScope = {
  db: Db;
  env: Env;
  user: SessionUser;
  actor: Actor;
  org: Org;
  orgs: ReachableOrg[];
};

export async function requireSession(scope: RequestScope): Promise<SessionUser> {
  const user = (await scope.session.get())?.user;
  if (!user) throw unauthenticated();
  return user;
}

/**
 * The signed-in user's org reach, read fresh on every request (SPEC §4: changes bite on the next
 * request): as read along with the session when it was (worker/index.ts), otherwise in one D1
 * round trip of its own.
 */
export async function reachOf(scope: RequestScope, user: SessionUser) {
  const auth = scope.session.resolved;
  const rows = auth?.user === user ? auth.reach : undefined;
  return rows ? reachFrom(user, rows) : reach(scope.db, user);
}

/** Orgs the caller cannot reach answer 404, so their existence does not leak. */
export async function requireOrgAccess(scope: RequestScope, orgId: string): Promise<OrgScope> {
  const user = await requireSession(scope);
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

/**
 * `requireOrgPermission`, for a read-only handler that knows its query before it is authorized
 * (it depends only on the org in the URL and the query string): when the session has not been read
 * yet, the query rides in the same D1 batch as the session lookup (one round trip instead of two).
 * Its rows are returned only once the caller passed the guards; otherwise they are dropped unseen.
 */
export async function requireOrgPermissionWith<Q extends PreparedRead>(
  scope: RequestScope,
  orgId: string,
  permission: Permission,
  read: Q,
): Promise<{ scope: OrgScope; rows: ReadResult<Q> }> {
  const { reads } = await scope.session.withReads([read] as const);
  const authorized = await requireOrgPermission(scope, orgId, permission);
  return { scope: authorized, rows: reads ? reads[0] : ((await read.all()) as ReadResult<Q>) };
}
