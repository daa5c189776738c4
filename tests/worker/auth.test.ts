/**
 * Sign-up, login, throttling, sessions (Lucia-style: hashed secret, sliding expiry, cookie flags),
 * logout, deactivation and role changes biting on the next request, the Origin check, invitations.
 */
import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { hashPassword } from "../../worker/auth/password";
import { RequestSession } from "../../worker/auth/request-session";
import { type ReachRows, reach, reachFrom } from "../../worker/orgs/reach";
import {
  api,
  createOrg,
  createTree,
  createUser,
  grantAccess,
  ORIGIN,
  sessionCookieOf,
  signIn,
  testDb,
} from "./helpers";
import {
  expectError,
  fetchWorker,
  invitationToken,
  sqlAll,
  sqlCount,
  sqlRun,
  tableCounts,
  uniqueEmail,
  uniqueIp,
} from "./support";

const PASSWORD = "correct horse battery staple";
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const login = (email: string, password: string, ip = uniqueIp()) =>
  api("/api/auth/login", { body: { email, password }, headers: { "CF-Connecting-IP": ip } });

/** The `rt_session` Set-Cookie line of a response, attributes included. */
const setCookieLine = (headers: Headers) => headers.getSetCookie().find((line) => line.startsWith("rt_session="));

async function sessionRows(userId: string) {
  return sqlAll("SELECT * FROM sessions WHERE user_id = ?", userId);
}

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** scrypt is slow on purpose: hash PASSWORD once and give it to every user that needs one. */
let passwordHash: Promise<string> | undefined;
async function member(role: Role, options: { password?: typeof PASSWORD } = {}) {
  passwordHash ??= hashPassword(PASSWORD);
  const org = await createOrg({ plan: "PRO" });
  const user = await createUser({
    orgId: org.id,
    role,
    ...(options.password ? { passwordHash: await passwordHash } : {}),
  });
  return { org, user };
}

describe("sign-up", () => {
  it("creates a FREE top-level org and its PARENT_ORG_ADMIN, signed in, password stored as scrypt", async () => {
    const email = uniqueEmail("founder");
    const res = await api("/api/auth/signup", {
      body: { name: "Fran Founder", email: email.toUpperCase(), password: PASSWORD, organizationName: "Fran Cooling" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user: { email, role: "PARENT_ORG_ADMIN", name: "Fran Founder" },
      orgs: [{ name: "Fran Cooling", plan: "FREE", parentOrgId: null, role: "PARENT_ORG_ADMIN" }],
    });
    expect(JSON.stringify(res.body)).not.toContain("scrypt");

    const [user] = await sqlAll("SELECT * FROM users WHERE email = ?", email);
    expect(user).toMatchObject({ role: "PARENT_ORG_ADMIN", status: "ACTIVE" });
    expect(user?.password_hash).toMatch(/^scrypt\$/);
    expect(user?.password_hash).not.toContain(PASSWORD);
    const [org] = await sqlAll("SELECT * FROM organizations WHERE id = ?", user?.org_id);
    expect(org).toMatchObject({ name: "Fran Cooling", plan: "FREE", parent_org_id: null, archived_at: null });

    const cookie = sessionCookieOf(res.headers);
    expect(cookie).toBeTruthy();
    const me = await api("/api/me", { cookie: cookie ?? "" });
    expect(me.body).toMatchObject({ user: { id: user?.id }, orgs: [{ id: org?.id }] });

    const audit = await sqlAll("SELECT action, actor_id FROM audit_log WHERE org_id = ? ORDER BY action", org?.id);
    expect(audit).toEqual([
      { action: "org.create", actor_id: user?.id },
      { action: "user.signup", actor_id: user?.id },
    ]);
  });

  it("refuses an email already registered (any case) with 409, creating nothing", async () => {
    const { user } = await member("TECHNICIAN");
    const before = await tableCounts();
    const res = await api("/api/auth/signup", {
      body: { name: "Copy Cat", email: user.email.toUpperCase(), password: PASSWORD, organizationName: "Copy HVAC" },
    });
    expectError(res, 409, "EMAIL_TAKEN");
    expect(res.body.error.fields).toHaveProperty("email");
    expect(sessionCookieOf(res.headers)).toBeNull();
    expect(await tableCounts()).toEqual(before);
  });
});

describe("login", () => {
  it("signs in with the right password and records the login", async () => {
    const { user } = await member("MANAGER", { password: PASSWORD });
    const res = await login(user.email.toUpperCase(), PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { id: user.id, role: "MANAGER" } });
    const cookie = sessionCookieOf(res.headers);
    expect((await api("/api/me", { cookie: cookie ?? "" })).status).toBe(200);
    const [row] = await sqlAll("SELECT last_login_at FROM users WHERE id = ?", user.id);
    expect(row?.last_login_at).toBeGreaterThan(Date.now() - 60_000);
  });

  it("answers a wrong password and an unknown email alike: 401, one generic message, no session", async () => {
    const { user } = await member("MANAGER", { password: PASSWORD });
    const wrong = await login(user.email, "not the password at all");
    const unknown = await login(uniqueEmail("nobody"), "not the password at all");
    for (const res of [wrong, unknown]) {
      expectError(res, 401);
      expect(sessionCookieOf(res.headers)).toBeNull();
    }
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.message).not.toMatch(/password is wrong|no account|not found|unknown/i);
    expect(await sessionRows(user.id)).toEqual([]);
  });

  it("refuses a deactivated user even with the right password", async () => {
    const { user } = await member("TECHNICIAN", { password: PASSWORD });
    await sqlRun("UPDATE users SET status = 'DEACTIVATED' WHERE id = ?", user.id);
    const res = await login(user.email, PASSWORD);
    expect([401, 403]).toContain(res.status);
    expectError(res, res.status);
    expect(sessionCookieOf(res.headers)).toBeNull();
    expect(await sessionRows(user.id)).toEqual([]);
  });

  it("refuses an invited user who has not set a password yet", async () => {
    const { user } = await member("TECHNICIAN");
    const res = await login(user.email, PASSWORD);
    expectError(res, 401);
    expect(await sessionRows(user.id)).toEqual([]);
  });
});

// Every failed attempt runs scrypt (unknown emails too, against a dummy hash): these are slow.
describe("login throttling", { timeout: 30_000 }, () => {
  it("locks an account after 5 failures: 429 with Retry-After, even for the right password", async () => {
    const { user } = await member("MANAGER", { password: PASSWORD });
    for (let attempt = 1; attempt <= 5; attempt++) {
      // A new client address each time: the lock is per account, not per IP.
      expect((await login(user.email, `wrong password ${attempt}`)).status).toBe(401);
    }
    const locked = await login(user.email, PASSWORD);
    expectError(locked, 429);
    const retryAfter = Number(locked.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(sessionCookieOf(locked.headers)).toBeNull();

    // Another account is unaffected.
    const { user: colleague } = await member("MANAGER", { password: PASSWORD });
    expect((await login(colleague.email, PASSWORD)).status).toBe(200);
  });

  it("locks a client address after 20 failures across accounts (CF-Connecting-IP)", async () => {
    const ip = uniqueIp();
    for (let attempt = 1; attempt <= 20; attempt++) {
      // Four failures per unknown account: below the per-account limit.
      const email = `ip-probe-${ip}-${Math.ceil(attempt / 4)}@example.test`;
      expect((await login(email, `wrong password ${attempt}`, ip)).status).toBe(401);
    }
    const { user } = await member("SALES", { password: PASSWORD });
    const locked = await login(user.email, PASSWORD, ip);
    expectError(locked, 429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    // The account itself is fine from another address.
    expect((await login(user.email, PASSWORD, uniqueIp())).status).toBe(200);
  });
});

describe("sessions", () => {
  it("uses a token of at least 160 random bits and stores only a hash of its secret", async () => {
    const { user } = await member("MANAGER", { password: PASSWORD });
    const res = await login(user.email, PASSWORD);
    const token = sessionCookieOf(res.headers)?.split("=")[1] ?? "";
    const [id, secret] = token.split(".");
    expect(token).toMatch(/^[a-z2-7]+\.[a-z2-7]+$/);
    // base32: 5 bits per character.
    expect(token.replace(".", "").length * 5).toBeGreaterThanOrEqual(160);
    // The secret alone, the part stored only as a hash, carries 160 bits.
    expect((secret ?? "").length * 5).toBeGreaterThanOrEqual(160);

    const rows = await sessionRows(user.id);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(token);
    expect(rows[0]?.id).toBe(id);
    expect(rows[0]?.secret_hash).toBe(await sha256Hex(secret ?? ""));

    // Two sign-ins never share a token.
    const again = sessionCookieOf((await login(user.email, PASSWORD)).headers);
    expect(again).not.toBe(sessionCookieOf(res.headers));
  });

  it("sets the cookie HttpOnly, SameSite=Lax, Path=/, for 30 days, without Secure on localhost", async () => {
    const { user } = await member("MANAGER", { password: PASSWORD });
    const res = await login(user.email, PASSWORD);
    const line = setCookieLine(res.headers) ?? "";
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).toMatch(/; Path=\//i);
    expect(line).not.toMatch(/; Secure/i);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(line)?.[1] ?? "");
    expect(expires).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(expires).toBeLessThan(Date.now() + 31 * DAY);
  });

  it("adds Secure when served from a real host", async () => {
    const { user } = await member("MANAGER", { password: PASSWORD });
    const host = "https://refritrak.example";
    const res = await fetchWorker(`${host}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: host, "CF-Connecting-IP": uniqueIp() },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const line = setCookieLine(res.headers) ?? "";
    expect(line).toMatch(/; Secure/i);
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);

    const logout = await fetchWorker(`${host}/api/auth/logout`, {
      method: "POST",
      headers: { Origin: host, Cookie: sessionCookieOf(res.headers) ?? "" },
    });
    expect(logout.status).toBe(204);
    expect(setCookieLine(logout.headers)).toMatch(/; Secure/i);
  });

  it("logout clears the cookie and ends the session", async () => {
    const { user } = await member("TECHNICIAN");
    const cookie = await signIn(user.id);
    const res = await api("/api/auth/logout", { method: "POST", cookie });
    expect(res.status).toBe(204);
    const line = setCookieLine(res.headers) ?? "";
    expect(line).toMatch(/^rt_session=;/);
    expect(line).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await sessionRows(user.id)).toEqual([]);
    expectError(await api("/api/me", { cookie }), 401, "UNAUTHENTICATED");
  });

  it("rejects an expired session, deletes it and clears the cookie", async () => {
    const { user } = await member("TECHNICIAN");
    const cookie = await signIn(user.id);
    await sqlRun("UPDATE sessions SET expires_at = ? WHERE user_id = ?", Date.now() - 1000, user.id);
    const res = await api("/api/me", { cookie });
    expectError(res, 401, "UNAUTHENTICATED");
    expect(setCookieLine(res.headers)).toMatch(/^rt_session=;/);
    expect(await sessionRows(user.id)).toEqual([]);
  });

  it("slides the expiry forward when last refreshed over an hour ago, then not again within the hour", async () => {
    const { user } = await member("TECHNICIAN");
    const cookie = await signIn(user.id);
    const oldExpiry = Date.now() + DAY;
    await sqlRun(
      "UPDATE sessions SET expires_at = ?, last_refreshed_at = ? WHERE user_id = ?",
      oldExpiry,
      Date.now() - 2 * HOUR,
      user.id,
    );

    const first = await api("/api/me", { cookie });
    expect(first.status).toBe(200);
    const line = setCookieLine(first.headers) ?? "";
    expect(line).toContain(cookie);
    const newExpiry = Date.parse(/Expires=([^;]+)/i.exec(line)?.[1] ?? "");
    expect(newExpiry).toBeGreaterThan(oldExpiry + 28 * DAY);
    const [row] = await sessionRows(user.id);
    expect(row?.expires_at).toBeGreaterThan(oldExpiry + 28 * DAY);
    expect(row?.last_refreshed_at).toBeGreaterThan(Date.now() - 60_000);

    const second = await api("/api/me", { cookie });
    expect(second.status).toBe(200);
    expect(setCookieLine(second.headers)).toBeUndefined();
    expect((await sessionRows(user.id))[0]?.expires_at).toBe(row?.expires_at);
  });

  it("does not refresh a session refreshed less than an hour ago", async () => {
    const { user } = await member("TECHNICIAN");
    const cookie = await signIn(user.id);
    const expiry = Date.now() + DAY;
    await sqlRun(
      "UPDATE sessions SET expires_at = ?, last_refreshed_at = ? WHERE user_id = ?",
      expiry,
      Date.now() - 50 * 60 * 1000,
      user.id,
    );
    const res = await api("/api/me", { cookie });
    expect(res.status).toBe(200);
    expect(setCookieLine(res.headers)).toBeUndefined();
    expect((await sessionRows(user.id))[0]?.expires_at).toBe(expiry);
  });

  it("ends every session of a deactivated user on their very next request", async () => {
    const { org, user: admin } = await member("ORG_ADMIN");
    const tech = await createUser({ orgId: org.id, role: "TECHNICIAN" });
    const phone = await signIn(tech.id);
    const laptop = await signIn(tech.id);
    expect((await api("/api/me", { cookie: phone })).status).toBe(200);

    const res = await api(`/api/orgs/${org.id}/users/${tech.id}`, { method: "DELETE", cookie: await signIn(admin.id) });
    expect(res.status).toBe(200);

    expectError(await api("/api/me", { cookie: phone }), 401, "UNAUTHENTICATED");
    expectError(await api(`/api/orgs/${org.id}`, { cookie: laptop }), 401, "UNAUTHENTICATED");
    expect(await sessionRows(tech.id)).toEqual([]);
  });

  it("reads the user's org reach along with the session (one round trip), the same as a read of its own", async () => {
    const t = await createTree();
    await grantAccess(t.users.TECHNICIAN.id, t.subB.id);
    for (const user of [...Object.values(t.users), t.sibling.MANAGER]) {
      const token = (await signIn(user.id)).split("=")[1] as string;
      const withReach = await new RequestSession(testDb(), token, { withReach: true }).get();
      expect(withReach?.user.id).toBe(user.id);
      expect(reachFrom(user, withReach?.reach as ReachRows)).toEqual(await reach(testDb(), user));
      // Asked without it (a page's form POST), the guards read it themselves.
      expect((await new RequestSession(testDb(), token, { withReach: false }).get())?.reach).toBeUndefined();
      // A wrong secret is no session, whatever was read along.
      const [id] = token.split(".");
      expect(await new RequestSession(testDb(), `${id}.${"a".repeat(32)}`, { withReach: true }).get()).toBeNull();
    }
  });

  it("applies a role change on the very next request, without signing in again", async () => {
    const { org, user: admin } = await member("ORG_ADMIN");
    const adminCookie = await signIn(admin.id);
    const manager = await createUser({ orgId: org.id, role: "MANAGER" });
    const cookie = await signIn(manager.id);
    expect((await api(`/api/orgs/${org.id}/users`, { cookie })).status).toBe(200);

    const demote = await api(`/api/orgs/${org.id}/users/${manager.id}`, {
      method: "PATCH",
      cookie: adminCookie,
      body: { role: "TECHNICIAN" },
    });
    expect(demote.status).toBe(200);
    expectError(await api(`/api/orgs/${org.id}/users`, { cookie }), 403, "FORBIDDEN");
    expect((await api("/api/me", { cookie })).body).toMatchObject({ user: { role: "TECHNICIAN" } });

    const promote = await api(`/api/orgs/${org.id}/users/${manager.id}`, {
      method: "PATCH",
      cookie: adminCookie,
      body: { role: "MANAGER" },
    });
    expect(promote.status).toBe(200);
    expect((await api(`/api/orgs/${org.id}/users`, { cookie })).status).toBe(200);
  });
});

describe("Origin check on unsafe methods", () => {
  const support = { subject: "Origin probe", message: "This request should never be stored." };

  it.each([
    ["no Origin", null],
    ["a foreign Origin", "https://evil.example"],
    ["a look-alike host", "http://localhost.evil.example"],
    ["another port", "http://localhost:8787"],
    ["another scheme", "https://localhost"],
    ["the opaque origin", "null"],
  ])("refuses a POST with %s: 403 BAD_ORIGIN, nothing written", async (_what, origin) => {
    const { org, user } = await member("TECHNICIAN");
    const cookie = await signIn(user.id);
    const before = await tableCounts();
    const res = await api(`/api/orgs/${org.id}/support`, { body: support, cookie, origin });
    expectError(res, 403, "BAD_ORIGIN");
    expect(await tableCounts()).toEqual(before);
  });

  it("refuses PATCH and DELETE without Origin, and login/signup/logout too", async () => {
    const { org, user } = await member("ORG_ADMIN");
    const cookie = await signIn(user.id);
    const tech = await createUser({ orgId: org.id, role: "TECHNICIAN" });
    const before = await tableCounts();
    const calls = [
      api(`/api/orgs/${org.id}`, { method: "PATCH", cookie, body: { name: "Hijacked" }, origin: null }),
      api(`/api/orgs/${org.id}/users/${tech.id}`, { method: "DELETE", cookie, origin: null }),
      api("/api/auth/login", { body: { email: user.email, password: PASSWORD }, origin: null }),
      api("/api/auth/signup", {
        body: { name: "X", email: uniqueEmail(), password: PASSWORD, organizationName: "X Org" },
        origin: "https://evil.example",
      }),
      api("/api/auth/logout", { method: "POST", cookie, origin: null }),
    ];
    for (const res of await Promise.all(calls)) expectError(res, 403, "BAD_ORIGIN");
    expect(await tableCounts()).toEqual(before);
    expect((await api("/api/me", { cookie })).status).toBe(200);
  });

  it("answers 401 to an unauthenticated write before looking at its body", async () => {
    const org = await createOrg();
    const res = await api(`/api/orgs/${org.id}/users`, { method: "POST", body: { bogus: true } });
    expectError(res, 401, "UNAUTHENTICATED");
  });

  it("lets a GET through without Origin", async () => {
    const { org, user } = await member("TECHNICIAN");
    const res = await api(`/api/orgs/${org.id}`, { cookie: await signIn(user.id), origin: null });
    expect(res.status).toBe(200);
  });

  it("accepts the app's own Origin", async () => {
    const { org, user } = await member("TECHNICIAN");
    const res = await api(`/api/orgs/${org.id}/support`, {
      body: support,
      cookie: await signIn(user.id),
      origin: ORIGIN,
    });
    expect(res.status).toBe(201);
  });
});

describe("invitations", () => {
  async function invite(role: Role = "TECHNICIAN") {
    const { org, user: admin } = await member("ORG_ADMIN");
    const email = uniqueEmail("invitee");
    const res = await api(`/api/orgs/${org.id}/users`, {
      cookie: await signIn(admin.id),
      body: { name: "Ivy Invitee", email, role },
    });
    expect(res.status).toBe(201);
    return { org, admin, email, user: res.body.user, url: res.body.invitation.url as string };
  }

  it("adds the user without a password and links to a single-use invitation that signs them in", async () => {
    const { org, email, user, url } = await invite();
    expect(new URL(url).origin).toBe(ORIGIN);
    const token = invitationToken(url);
    expect(token.length * 5).toBeGreaterThanOrEqual(160);
    const [row] = await sqlAll("SELECT * FROM users WHERE email = ?", email);
    expect(row).toMatchObject({ id: user.id, status: "ACTIVE", password_hash: null, org_id: org.id });
    expect(JSON.stringify(await sqlAll("SELECT * FROM invitations WHERE user_id = ?", user.id))).not.toContain(token);

    const shown = await api(`/api/invitations/${token}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ email, role: "TECHNICIAN", organization: { id: org.id, name: org.name } });

    const accepted = await api(`/api/invitations/${token}/accept`, { body: { password: PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ user: { id: user.id, role: "TECHNICIAN" }, orgs: [{ id: org.id }] });
    const cookie = sessionCookieOf(accepted.headers);
    expect((await api("/api/me", { cookie: cookie ?? "" })).body).toMatchObject({ user: { id: user.id } });
    const [after] = await sqlAll("SELECT password_hash FROM users WHERE id = ?", user.id);
    expect(after?.password_hash).toMatch(/^scrypt\$/);

    // Single use.
    expectError(await api(`/api/invitations/${token}`), 404, "NOT_FOUND");
    expectError(await api(`/api/invitations/${token}/accept`, { body: { password: "another password 1" } }), 404);
    const [still] = await sqlAll("SELECT password_hash FROM users WHERE id = ?", user.id);
    expect(still?.password_hash).toBe(after?.password_hash);
  });

  it("answers 404 for an expired invitation, and does not sign in", async () => {
    const { user, url } = await invite();
    await sqlRun("UPDATE invitations SET expires_at = ? WHERE user_id = ?", Date.now() - 1000, user.id);
    const token = invitationToken(url);
    expectError(await api(`/api/invitations/${token}`), 404, "NOT_FOUND");
    const res = await api(`/api/invitations/${token}/accept`, { body: { password: PASSWORD } });
    expectError(res, 404, "NOT_FOUND");
    expect(sessionCookieOf(res.headers)).toBeNull();
    expect(await sqlCount("SELECT count(*) AS n FROM users WHERE id = ? AND password_hash IS NULL", user.id)).toBe(1);
  });

  it("answers 404 once the invited user was deactivated, and for an unknown token", async () => {
    const { org, admin, user, url } = await invite();
    const removed = await api(`/api/orgs/${org.id}/users/${user.id}`, {
      method: "DELETE",
      cookie: await signIn(admin.id),
    });
    expect(removed.status).toBe(200);
    expectError(await api(`/api/invitations/${invitationToken(url)}/accept`, { body: { password: PASSWORD } }), 404);
    expectError(await api("/api/invitations/definitely-not-a-token"), 404, "NOT_FOUND");
  });
});
