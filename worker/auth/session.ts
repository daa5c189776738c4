import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { eq, sql } from "drizzle-orm";
import { organizations, sessions, userOrgAccess, users } from "../../db/schema";
import { batchPrepared, type Db, oncePer, type PreparedRead, type ReadResults } from "../db";
import { type Org, type ReachRows, treeOf } from "../orgs/reach";

export const SESSION_COOKIE = "rt_session";
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL = 30 * DAY;
/** Sliding expiry is pushed forward at most this often, to save writes. */
export const SESSION_REFRESH_INTERVAL = 60 * 60 * 1000;

export type SessionUser = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type SessionResult = {
  session: Session;
  user: SessionUser;
  refreshed: boolean;
  /** The user's org reach as read with the session, when asked for (see readSession). */
  reach?: ReachRows;
};

/** `bytes` random bytes, base32. The session id takes 120 bits; the secret, the part only stored hashed, 160. */
export function generateSecureRandomString(bytes = 15): string {
  const random = new Uint8Array(bytes);
  crypto.getRandomValues(random);
  return encodeBase32LowerCaseNoPadding(random);
}

export const hashSecret = (secret: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));

export async function createSession(db: Db, userId: string, now = Date.now()) {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString(20);
  const session: Session = {
    id,
    secretHash: hashSecret(secret),
    userId,
    expiresAt: new Date(now + SESSION_TTL),
    lastRefreshedAt: new Date(now),
    createdAt: new Date(now),
  };
  await db.insert(sessions).values(session);
  return { token: `${id}.${secret}`, session };
}

/**
 * The reads every signed-in request starts with, prepared once per Drizzle instance (building the
 * SQL cost more CPU than running it; a prepared statement holds no data, each call reads D1) and
 * run in ONE D1 batch keyed by the session id: the session, its user and, when asked, the user's
 * org reach (`ReachRows`), so that authorizing a request costs no second round trip.
 */
const sessionLookup = oncePer((db: Db) => {
  const id = sql.placeholder("id");
  const userId = sql`(SELECT ${sessions.userId} FROM ${sessions} WHERE ${sessions.id} = ${id})`;
  const homeOrgId = sql`(SELECT ${users.orgId} FROM ${users} WHERE ${users.id} = ${userId})`;
  return {
    session: db.select().from(sessions).where(eq(sessions.id, id)).prepare(),
    user: db.select().from(users).where(eq(users.id, userId)).prepare(),
    tree: db.select().from(organizations).where(treeOf(homeOrgId)).prepare(),
    extra: db
      .select({ orgId: userOrgAccess.orgId })
      .from(userOrgAccess)
      .where(eq(userOrgAccess.userId, userId))
      .prepare(),
  };
});

/**
 * Resolves a session token to its active user. Expired sessions and sessions of deactivated
 * users are deleted and answer null, so deactivation bites on the very next request. Requests go
 * through `RequestSession` (worker/auth/request-session.ts), which calls this once per request.
 *
 * `withReach` reads the user's org reach in the same round trip (`SessionResult.reach`): a snapshot
 * taken with the session, which the guards use instead of reading it again (guards.ts `reachOf`).
 * Right for a request that authorizes before it writes; worker/index.ts leaves it out where a
 * request reads again after its own write (a page's form POST).
 *
 * `along`: reads that ride in the same D1 batch as the session, so a request that knows what it
 * will read before it is authorized pays one round trip, not two. Their results are undefined when
 * the token is malformed (no D1 call is made), and are NOT authorized: the caller withholds them
 * until its guards pass.
 */
export async function readSession<const Along extends readonly PreparedRead[]>(
  db: Db,
  token: string,
  now: number,
  { withReach = false } = {},
  along: Along,
): Promise<{ auth: SessionResult | null; along: ReadResults<Along> | undefined }> {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined) return { auth: null, along: undefined };
  const lookup = sessionLookup(db);
  const own = withReach ? [lookup.session, lookup.user, lookup.tree, lookup.extra] : [lookup.session, lookup.user];
  const results = await batchPrepared(db, [...own, ...along], { id });
  const [sessionRows, userRows, tree, extraRows] = results.slice(0, own.length) as [
    Session[],
    SessionUser[],
    Org[] | undefined,
    { orgId: string }[] | undefined,
  ];
  const alongResults = results.slice(own.length) as ReadResults<Along>;
  return { auth: await verify(db, id, secret, now, sessionRows[0], userRows[0], tree, extraRows), along: alongResults };
}

async function verify(
  db: Db,
  id: string,
  secret: string,
  now: number,
  session: Session | undefined,
  user: SessionUser | undefined,
  tree: Org[] | undefined,
  extraRows: { orgId: string }[] | undefined,
): Promise<SessionResult | null> {
  if (!session || !user) return null;
  const given = new TextEncoder().encode(hashSecret(secret));
  const stored = new TextEncoder().encode(session.secretHash);
  if (!constantTimeEqual(given, stored)) return null;
  if (session.expiresAt.getTime() <= now || user.status !== "ACTIVE") {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let refreshed = false;
  if (now - session.lastRefreshedAt.getTime() >= SESSION_REFRESH_INTERVAL) {
    session.expiresAt = new Date(now + SESSION_TTL);
    session.lastRefreshedAt = new Date(now);
    await db
      .update(sessions)
      .set({ expiresAt: session.expiresAt, lastRefreshedAt: session.lastRefreshedAt })
      .where(eq(sessions.id, id));
    refreshed = true;
  }
  const reach = tree && extraRows ? { tree, extraOrgIds: extraRows.map((row) => row.orgId) } : undefined;
  return { session, user, refreshed, ...(reach ? { reach } : {}) };
}

export async function invalidateSession(db: Db, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export const invalidateUserSessions = (db: Db, userId: string) =>
  db.delete(sessions).where(eq(sessions.userId, userId));

const isLocalhost = (url: URL) => ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);

export function sessionCookie(token: string, expiresAt: Date, requestUrl: string) {
  const secure = isLocalhost(new URL(requestUrl)) ? "" : "; Secure";
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Expires=${expiresAt.toUTCString()}${secure}`;
}

export function blankSessionCookie(requestUrl: string) {
  const secure = isLocalhost(new URL(requestUrl)) ? "" : "; Secure";
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${secure}`;
}

export function readSessionToken(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=") || null;
  }
  return null;
}
