/**
 * The request's session, read once and lazily for the JSON API, and a list read in the same D1
 * batch as the session lookup (worker/auth/request-session.ts, guards.ts requireOrgPermissionWith):
 * one D1 round trip, and nothing of the list for a caller who does not pass the guards.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { RequestSession } from "../../worker/auth/request-session";
import { customerListQuery } from "../../worker/customers/service";
import { getDb } from "../../worker/db";
import { requireOrgPermissionWith } from "../../worker/policy/guards";
import { api, createTree, signIn, type Tree, testDb } from "./helpers";
import { expectError, sqlRun } from "./support";

/** The real D1 binding, counting the calls that reach it (each is one round trip). */
function countingD1() {
  const calls: string[] = [];
  const d1 = env.DB;
  const counted = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, name) {
        const value = Reflect.get(target, name);
        if (name === "bind") return (...values: unknown[]) => counted(target.bind(...values));
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(`statement ${String(name)}`);
          return value.apply(target, args);
        };
      },
    });
  const binding = {
    prepare: (query: string) => counted(d1.prepare(query)),
    batch: (statements: D1PreparedStatement[]) => {
      calls.push(`batch of ${statements.length}`);
      return d1.batch(statements);
    },
  } as unknown as D1Database;
  return { db: getDb(binding), calls };
}

const tokenOf = (cookie: string) => cookie.split("=")[1] as string;
const scopeOf = (db: ReturnType<typeof getDb>, token: string | null) => ({
  db,
  env,
  session: new RequestSession(db, token, { withReach: true }),
});

let tree: Tree;
let customerName: string;
beforeAll(async () => {
  tree = await createTree();
  customerName = `Riding Along ${crypto.randomUUID().slice(0, 6)}`;
  const res = await api(`/api/orgs/${tree.subA.id}/customers`, {
    cookie: await signIn(tree.users.MANAGER.id),
    body: { name: customerName },
  });
  expect(res.status).toBe(201);
});

describe("the request's session", () => {
  it("is read from D1 once, however often the guards ask", async () => {
    const { db, calls } = countingD1();
    const session = new RequestSession(db, tokenOf(await signIn(tree.users.MANAGER.id)), { withReach: true });
    expect(session.resolved).toBeUndefined();
    const [first, second] = await Promise.all([session.get(), session.get()]);
    expect(first?.user.id).toBe(tree.users.MANAGER.id);
    expect(second).toBe(first);
    expect(await session.get()).toBe(first);
    expect(session.resolved).toBe(first);
    expect(calls).toEqual(["batch of 4"]);
  });

  it("costs no D1 call without a cookie or with a malformed one", async () => {
    const { db, calls } = countingD1();
    expect(await new RequestSession(db, null, { withReach: true }).get()).toBeNull();
    const malformed = new RequestSession(db, "not-a-token", { withReach: true });
    expect(await malformed.withReads([customerListQuery(db, tree.subA.id, {})])).toEqual({
      auth: null,
      reads: undefined,
    });
    expect(calls).toEqual([]);
  });
});

describe("a list read along with the session", () => {
  it("is one D1 round trip, and answers what a read of its own does", async () => {
    const { db, calls } = countingD1();
    const scope = scopeOf(db, tokenOf(await signIn(tree.users.TECHNICIAN.id)));
    const list = customerListQuery(db, tree.subA.id, {});
    const { scope: authorized, rows } = await requireOrgPermissionWith(scope, tree.subA.id, "customers:view", list);
    expect(calls).toEqual(["batch of 5"]);
    expect(authorized.org.id).toBe(tree.subA.id);
    expect(authorized.user.id).toBe(tree.users.TECHNICIAN.id);
    expect(rows).toEqual(await customerListQuery(testDb(), tree.subA.id, {}).all());
    expect(rows.map((row) => row.customer.name)).toContain(customerName);
    // The computed columns keep their own values (a batch answers rows keyed by column name).
    const ours = rows.find((row) => row.customer.name === customerName);
    expect(ours).toMatchObject({ locationCount: 0, unitCount: 0, cities: null });
  });

  it("runs after the guards, on its own, once the session was already read", async () => {
    const { db, calls } = countingD1();
    const scope = scopeOf(db, tokenOf(await signIn(tree.users.MANAGER.id)));
    await scope.session.get();
    const { rows } = await requireOrgPermissionWith(
      scope,
      tree.subA.id,
      "customers:view",
      customerListQuery(db, tree.subA.id, {}),
    );
    expect(rows.map((row) => row.customer.name)).toContain(customerName);
    expect(calls).toEqual(["batch of 4", "statement raw"]);
  });

  it("is never handed to a caller who does not pass the guards", async () => {
    const { db } = countingD1();
    const denied = async (token: string, orgId: string) => {
      const scope = scopeOf(db, token);
      const read = requireOrgPermissionWith(scope, orgId, "customers:view", customerListQuery(db, orgId, {}));
      return read.then(
        () => "answered",
        (error: { status?: number }) => error.status,
      );
    };
    // Another company's user, for this org: 404, as if it did not exist.
    expect(await denied(tokenOf(await signIn(tree.outsiders.ORG_ADMIN.id)), tree.subA.id)).toBe(404);
    // A sibling branch's manager: 404.
    expect(await denied(tokenOf(await signIn(tree.sibling.MANAGER.id)), tree.subA.id)).toBe(404);
    // A wrong secret for a real session id, and an expired session: 401.
    const [id] = tokenOf(await signIn(tree.users.MANAGER.id)).split(".");
    expect(await denied(`${id}.${"a".repeat(32)}`, tree.subA.id)).toBe(401);
    const expired = tokenOf(await signIn(tree.users.MANAGER.id));
    await sqlRun("UPDATE sessions SET expires_at = 0 WHERE id = ?", expired.split(".")[0]);
    expect(await denied(expired, tree.subA.id)).toBe(401);
  });

  it("through the API: the list for its org, 404 for another's, 401 for an expired session, even with bad input", async () => {
    const path = `/api/orgs/${tree.subA.id}/customers`;
    const mine = await api(path, { cookie: await signIn(tree.users.SALES.id) });
    expect(mine.status).toBe(200);
    expect(mine.body.customers.map((c: { name: string }) => c.name)).toContain(customerName);

    const theirs = await api(path, { cookie: await signIn(tree.outsiders.MANAGER.id) });
    expectError(theirs, 404, "NOT_FOUND");
    expect(JSON.stringify(theirs.body)).not.toContain(customerName);

    const expired = await signIn(tree.users.MANAGER.id);
    await sqlRun("UPDATE sessions SET expires_at = 0 WHERE id = ?", tokenOf(expired).split(".")[0]);
    expectError(await api(path, { cookie: expired }), 401, "UNAUTHENTICATED");
    const stale = await signIn(tree.users.MANAGER.id);
    await sqlRun("UPDATE sessions SET expires_at = 0 WHERE id = ?", tokenOf(stale).split(".")[0]);
    expectError(await api(`${path}?limit=lots`, { cookie: stale }), 401, "UNAUTHENTICATED");
    // A valid session with bad input is told about the input.
    expectError(
      await api(`${path}?limit=lots`, { cookie: await signIn(tree.users.MANAGER.id) }),
      400,
      "VALIDATION_FAILED",
    );
  });
});
