import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { eq, sql } from "drizzle-orm";
import { sessions, users } from "../../db/schema";
import type { Db } from "../db";

export const SESSION_COOKIE = "rt_session";
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL = 30 * DAY;
/** Sliding expiry is pushed forward at most this often, to save writes. */
export const SESSION_REFRESH_INTERVAL = 60 * 60 * 1000;

export type SessionUser = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type SessionResult = { session: Session; user: SessionUser; refreshed: boolean };

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
 * The session-and-user read every signed-in request makes, built once per Drizzle instance (building
 * the SQL cost more CPU than running it). A prepared statement holds no data: each call reads D1.
 */
const lookups = new WeakMap<Db, ReturnType<typeof prepareLookup>>();
const prepareLookup = (db: Db) =>
  db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .prepare();
function sessionLookup(db: Db) {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = prepareLookup(db);
    lookups.set(db, lookup);
  }
  return lookup;
}

/**
 * Resolves a session token to its active user. Expired sessions and sessions of deactivated
 * users are deleted and answer null, so deactivation bites on the very next request.
 */
export async function validateSessionToken(db: Db, token: string, now = Date.now()): Promise<SessionResult | null> {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined) return null;
  const row = await sessionLookup(db).get({ id });
  if (!row) return null;
  const given = new TextEncoder().encode(hashSecret(secret));
  const stored = new TextEncoder().encode(row.session.secretHash);
  if (!constantTimeEqual(given, stored)) return null;
  if (row.session.expiresAt.getTime() <= now || row.user.status !== "ACTIVE") {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let refreshed = false;
  if (now - row.session.lastRefreshedAt.getTime() >= SESSION_REFRESH_INTERVAL) {
    row.session.expiresAt = new Date(now + SESSION_TTL);
    row.session.lastRefreshedAt = new Date(now);
    await db
      .update(sessions)
      .set({ expiresAt: row.session.expiresAt, lastRefreshedAt: row.session.lastRefreshedAt })
      .where(eq(sessions.id, id));
    refreshed = true;
  }
  return { session: row.session, user: row.user, refreshed };
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
