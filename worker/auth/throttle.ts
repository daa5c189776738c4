import { eq, inArray, sql } from "drizzle-orm";
import { loginThrottle } from "../../db/schema";
import type { Db } from "../db";
import { HttpError } from "../http/errors";

/** Failed logins allowed per window before the key is locked until the window ends. */
export const LIMITS = { email: 5, ip: 20 } as const;
export const WINDOW_MS = 15 * 60 * 1000;

const keysFor = (email: string, ip: string) => ({ email: `email:${email}`, ip: `ip:${ip}` });

/** Throws 429 with Retry-After when the account or the IP has failed too often this window. */
export async function assertNotThrottled(db: Db, email: string, ip: string, now = Date.now()) {
  const keys = keysFor(email, ip);
  const rows = await db
    .select()
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, [keys.email, keys.ip]))
    .all();
  for (const row of rows) {
    const limit = row.key === keys.email ? LIMITS.email : LIMITS.ip;
    const endsAt = row.windowStartedAt.getTime() + WINDOW_MS;
    if (endsAt > now && row.failures >= limit) {
      const retryAfter = Math.ceil((endsAt - now) / 1000);
      throw new HttpError(
        429,
        "TOO_MANY_REQUESTS",
        `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
        undefined,
        { "Retry-After": String(retryAfter) },
      );
    }
  }
}

export async function recordLoginFailure(db: Db, email: string, ip: string, now = Date.now()) {
  const { email: emailKey, ip: ipKey } = keysFor(email, ip);
  const windowStart = new Date(now);
  const expiredBefore = new Date(now - WINDOW_MS);
  const bump = (key: string) =>
    db
      .insert(loginThrottle)
      .values({ key, failures: 1, windowStartedAt: windowStart })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: {
          failures: sql`CASE WHEN ${loginThrottle.windowStartedAt} <= ${expiredBefore.getTime()} THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
          windowStartedAt: sql`CASE WHEN ${loginThrottle.windowStartedAt} <= ${expiredBefore.getTime()} THEN ${windowStart.getTime()} ELSE ${loginThrottle.windowStartedAt} END`,
        },
      });
  await db.batch([bump(emailKey), bump(ipKey)]);
}

export async function clearLoginFailures(db: Db, email: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, keysFor(email, "").email));
}
