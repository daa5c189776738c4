/**
 * Bench-only routes, for `npm run bench` (scripts/bench.ts). They exist ONLY when the Worker runs
 * with `BENCH_MODE = "1"` (`wrangler dev --var BENCH_MODE:1`); otherwise every path under
 * /api/bench answers the same 404 as any unknown API route. Never enable bench mode on a deployed
 * Worker: `POST /api/bench/sessions` mints sessions for new users of any org without a login.
 *
 * - `POST /api/bench/sessions { orgId, role, count }`: creates `count` active users of `orgId` with
 *   that role and one session each, without scrypt or the login throttle; answers their tokens.
 * - `GET /api/bench/orgs/:orgId/customers`: the SAME service call (so the same D1 query) as
 *   `GET /api/orgs/:orgId/customers`, with no session, no org reach and no permission check: the
 *   baseline the authorized endpoint is compared with.
 */
import { Hono } from "hono";
import { buildUser } from "../../db/factories";
import { ROLES, sessions, users } from "../../db/schema";
import { generateSecureRandomString, hashSecret, SESSION_TTL } from "../auth/session";
import { CustomerListQuery } from "../customers/schemas";
import { listCustomers } from "../customers/service";
import type { AppEnv } from "../http/app";
import type { OrgScope } from "../policy/guards";

/** Whether this Worker runs in bench mode (a `--var`, not declared in wrangler.toml on purpose). */
export const isBenchMode = (env: Env) => (env as Env & { BENCH_MODE?: string }).BENCH_MODE === "1";

const MAX_MINT = 2000;
/** D1 binds at most 100 parameters per statement; a user row binds up to 13. */
const ROWS_PER_INSERT = 5;

export const benchRoutes = new Hono<AppEnv>();

benchRoutes.use("*", async (c, next) => {
  if (!isBenchMode(c.env)) return c.json({ error: { code: "NOT_FOUND", message: "No such API route." } }, 404);
  await next();
});

benchRoutes.post("/sessions", async (c) => {
  const input = (await c.req.json().catch(() => null)) as { orgId?: unknown; role?: unknown; count?: unknown } | null;
  const orgId = typeof input?.orgId === "string" ? input.orgId : null;
  const role = ROLES.find((r) => r === input?.role);
  const count = Number(input?.count);
  if (!orgId || !role || !Number.isInteger(count) || count < 1 || count > MAX_MINT) {
    return c.json({ error: { code: "VALIDATION", message: `Send { orgId, role, count: 1..${MAX_MINT} }.` } }, 400);
  }
  const now = Date.now();
  const minted = Array.from({ length: count }, (_, i) => {
    const user = buildUser({ orgId, role, name: `Bench ${role.toLowerCase()} ${i + 1}` });
    const id = generateSecureRandomString();
    const secret = generateSecureRandomString(20);
    const session = {
      id,
      secretHash: hashSecret(secret),
      userId: user.id,
      expiresAt: new Date(now + SESSION_TTL),
      lastRefreshedAt: new Date(now),
      createdAt: new Date(now),
    };
    return { user, session, token: `${id}.${secret}` };
  });
  const db = c.var.db;
  const statements = [];
  for (let i = 0; i < minted.length; i += ROWS_PER_INSERT) {
    const chunk = minted.slice(i, i + ROWS_PER_INSERT);
    statements.push(db.insert(users).values(chunk.map((m) => m.user)));
    statements.push(db.insert(sessions).values(chunk.map((m) => m.session)));
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return c.json({ sessions: minted.map((m) => ({ userId: m.user.id, token: m.token })) }, 201);
});

/**
 * What a handler would have after authorization, built without touching D1: the org is only known
 * by id (the list services filter by `scope.org.id`), the caller is a MANAGER of it.
 */
function bareScope(c: { var: AppEnv["Variables"]; env: Env }, orgId: string): OrgScope {
  const actor = { id: "bench", role: "MANAGER" as const, orgId };
  return {
    db: c.var.db,
    env: c.env,
    user: { id: "bench", orgId, role: "MANAGER" } as OrgScope["user"],
    actor,
    org: { id: orgId, parentOrgId: null } as OrgScope["org"],
    orgs: [],
  };
}

benchRoutes.get("/orgs/:orgId/customers", async (c) => {
  const query = CustomerListQuery.parse(c.req.query());
  return c.json(await listCustomers(bareScope(c, c.req.param("orgId")), query), 200);
});
