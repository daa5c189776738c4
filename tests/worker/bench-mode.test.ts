/**
 * The bench-only routes (worker/bench/routes.ts) exist only when the Worker runs with
 * BENCH_MODE = "1": without it they answer the same 404 as any unknown API route and write nothing.
 */
import { env } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../../db/schema";
import worker from "../../worker/index";
import { api, createOrg, createUser, ORIGIN, signIn, testDb } from "./helpers";

/** Calls the Worker with bench mode on (the test environment itself has no BENCH_MODE). */
async function benchApi(path: string, init: RequestInit = {}) {
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...env, BENCH_MODE: "1" }, ctx);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const usersOf = async (orgId: string) =>
  (await testDb().select({ n: count() }).from(users).where(eq(users.orgId, orgId)).get())?.n ?? 0;

describe("bench mode off (the default)", () => {
  it("has no bench routes: 404 like an unknown API route, nothing written", async () => {
    const org = await createOrg();
    expect((env as unknown as Record<string, unknown>).BENCH_MODE).toBeUndefined();
    const mint = await api("/api/bench/sessions", { body: { orgId: org.id, role: "MANAGER", count: 3 } });
    expect(mint.status).toBe(404);
    expect(mint.body).toEqual({ error: { code: "NOT_FOUND", message: "No such API route." } });
    expect(await usersOf(org.id)).toBe(0);
    const bare = await api(`/api/bench/orgs/${org.id}/customers`);
    expect(bare.status).toBe(404);
    expect(bare.body).toEqual({ error: { code: "NOT_FOUND", message: "No such API route." } });
    // Not even for a signed-in admin.
    const admin = await createUser({ orgId: org.id, role: "ORG_ADMIN" });
    const cookie = await signIn(admin.id);
    expect((await api(`/api/bench/orgs/${org.id}/customers`, { cookie })).status).toBe(404);
  });

  it("is absent from the OpenAPI document", async () => {
    const doc = await api("/api/openapi.json");
    expect(Object.keys(doc.body.paths).filter((path) => path.includes("bench"))).toEqual([]);
  });
});

describe("bench mode on (BENCH_MODE=1)", () => {
  it("mints users with working sessions, without a login", async () => {
    const org = await createOrg();
    const mint = await benchApi("/api/bench/sessions", {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/json" },
      body: JSON.stringify({ orgId: org.id, role: "MANAGER", count: 12 }),
    });
    expect(mint.status).toBe(201);
    expect(mint.body.sessions).toHaveLength(12);
    expect(await usersOf(org.id)).toBe(12);
    const [first] = mint.body.sessions as { userId: string; token: string }[];
    if (!first) throw new Error("no session minted");
    // Only the hash of the secret is stored, as for a login.
    const stored = await testDb().select().from(sessions).where(eq(sessions.userId, first.userId)).get();
    expect(stored?.secretHash).not.toContain(first.token.split(".")[1]);
    const me = await api("/api/me", { cookie: `rt_session=${first.token}` });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: first.userId, role: "MANAGER" });
  });

  it("answers the bare list with what the authorized list answers", async () => {
    const org = await createOrg();
    const manager = await createUser({ orgId: org.id, role: "MANAGER" });
    const cookie = await signIn(manager.id);
    const created = await api(`/api/orgs/${org.id}/customers`, { cookie, body: { name: "Bench Bakery" } });
    expect(created.status).toBe(201);
    const authorized = await api(`/api/orgs/${org.id}/customers`, { cookie });
    const bare = await benchApi(`/api/bench/orgs/${org.id}/customers`);
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual(authorized.body);
  });

  it("refuses bad mint input with 400 and writes nothing", async () => {
    const org = await createOrg();
    for (const body of [{}, { orgId: org.id, role: "KING", count: 1 }, { orgId: org.id, role: "MANAGER", count: 0 }]) {
      const res = await benchApi("/api/bench/sessions", {
        method: "POST",
        headers: { Origin: ORIGIN, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
    }
    expect(await usersOf(org.id)).toBe(0);
  });
});
