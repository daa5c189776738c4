/**
 * Every API route x the five roles x tenancy, against expectations written by hand from SPEC §4,
 * the user's roles document (seed) and the product decisions on top of them — never derived from
 * `worker/policy/permissions.ts`, so a wrong registry entry fails here.
 *
 * Tenancy columns (the org in the URL, seen from the actor):
 * - own:          the actor's home org (PARENT_ORG_ADMIN: the top-level org; staff: sub-org A)
 * - subOrg:       a sub-org of the PARENT_ORG_ADMIN's top-level org (sub-org A)
 * - parentOrg:    the top-level org of the staff's company, which staff do not reach
 * - sibling:      sub-org B, a sibling of the staff's home sub-org A
 * - granted:      sub-org B reached through accessibleOrgIds ("roving" staff at home in A)
 * - otherCompany: a different company altogether
 */
import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { api, createTree, createUser, signIn, type TestOrg, type TestUser } from "./helpers";
import {
  createCompany,
  createMatrixTree,
  expectError,
  type MatrixTree,
  orgsSnapshot,
  ROLES,
  sqlAll,
  unique,
  uniqueEmail,
} from "./support";

type Context = "own" | "subOrg" | "parentOrg" | "sibling" | "granted" | "otherCompany";
type Want = number | { status: number; code: string };
type Expectations = Partial<Record<Role, Want>>;
type Row = { route: RouteKey } & Partial<Record<Context, Expectations>>;

type Call = { method: string; path: string; body?: unknown };
type RouteSpec = { write: boolean; call: (t: MatrixTree, org: TestOrg) => Call };

/** The sub-org a DELETE acts on: B, or A when the URL's org is B. */
const subOrgFor = (t: MatrixTree, org: TestOrg) => (org.id === t.subB.id ? t.subA.id : t.subB.id);

const ROUTES = {
  "GET /api/orgs/:orgId": { write: false, call: (_t, org) => ({ method: "GET", path: `/api/orgs/${org.id}` }) },
  "PATCH /api/orgs/:orgId": {
    write: true,
    call: (_t, org) => ({ method: "PATCH", path: `/api/orgs/${org.id}`, body: { name: unique("Renamed ") } }),
  },
  "GET /api/orgs/:orgId/sub-orgs": {
    write: false,
    call: (_t, org) => ({ method: "GET", path: `/api/orgs/${org.id}/sub-orgs` }),
  },
  "POST /api/orgs/:orgId/sub-orgs": {
    write: true,
    call: (_t, org) => ({ method: "POST", path: `/api/orgs/${org.id}/sub-orgs`, body: { name: unique("Branch ") } }),
  },
  "DELETE /api/orgs/:orgId/sub-orgs/:subOrgId": {
    write: true,
    call: (t, org) => ({ method: "DELETE", path: `/api/orgs/${org.id}/sub-orgs/${subOrgFor(t, org)}` }),
  },
  "GET /api/orgs/:orgId/users": {
    write: false,
    call: (_t, org) => ({ method: "GET", path: `/api/orgs/${org.id}/users` }),
  },
  "POST /api/orgs/:orgId/users": {
    write: true,
    call: (_t, org) => ({
      method: "POST",
      path: `/api/orgs/${org.id}/users`,
      body: { name: "New Tech", email: uniqueEmail("new"), role: "TECHNICIAN" },
    }),
  },
  "GET /api/orgs/:orgId/users/:userId": {
    write: false,
    call: (t, org) => ({ method: "GET", path: `/api/orgs/${org.id}/users/${t.targets[org.id]?.id}` }),
  },
  "PATCH /api/orgs/:orgId/users/:userId": {
    write: true,
    call: (t, org) => ({
      method: "PATCH",
      path: `/api/orgs/${org.id}/users/${t.targets[org.id]?.id}`,
      body: { name: unique("Renamed ") },
    }),
  },
  "DELETE /api/orgs/:orgId/users/:userId": {
    write: true,
    call: (t, org) => ({ method: "DELETE", path: `/api/orgs/${org.id}/users/${t.targets[org.id]?.id}` }),
  },
  "GET /api/orgs/:orgId/audit-log": {
    write: false,
    call: (_t, org) => ({ method: "GET", path: `/api/orgs/${org.id}/audit-log` }),
  },
  "GET /api/orgs/:orgId/billing": {
    write: false,
    call: (_t, org) => ({ method: "GET", path: `/api/orgs/${org.id}/billing` }),
  },
  "PATCH /api/orgs/:orgId/billing": {
    write: true,
    call: (_t, org) => ({ method: "PATCH", path: `/api/orgs/${org.id}/billing`, body: { plan: "ENTERPRISE" } }),
  },
  "POST /api/orgs/:orgId/support": {
    write: true,
    call: (_t, org) => ({
      method: "POST",
      path: `/api/orgs/${org.id}/support`,
      body: { subject: "Cannot print labels", message: "The QR label page is blank for me." },
    }),
  },
} satisfies Record<string, RouteSpec>;
type RouteKey = keyof typeof ROUTES;

// ---------------------------------------------------------------------------------------------
// The expectations, by hand. Orgs a caller does not reach answer 404 to everybody (SPEC §3, STYLE
// "Permissions": existence does not leak); that part is the same for every org route.
// ---------------------------------------------------------------------------------------------
const STAFF_404: Expectations = { ORG_ADMIN: 404, MANAGER: 404, TECHNICIAN: 404, SALES: 404 };
const UNREACHED = {
  parentOrg: STAFF_404,
  sibling: STAFF_404,
  otherCompany: { PARENT_ORG_ADMIN: 404, ...STAFF_404 },
} satisfies Partial<Record<Context, Expectations>>;

const TABLE: Row[] = [
  {
    // Org settings GET: any member who reaches the org.
    route: "GET /api/orgs/:orgId",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 200, SALES: 200 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 200, SALES: 200 },
    ...UNREACHED,
  },
  {
    // Org settings: PARENT_ORG_ADMIN, ORG_ADMIN (own = home org only).
    route: "PATCH /api/orgs/:orgId",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Sub-orgs: PARENT_ORG_ADMIN only.
    route: "GET /api/orgs/:orgId/sub-orgs",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Sub-orgs live only under a top-level org (the tree's parent is PRO).
    route: "POST /api/orgs/:orgId/sub-orgs",
    own: { PARENT_ORG_ADMIN: 201, ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: { status: 409, code: "NOT_TOP_LEVEL" } },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Archive sub-org B: from the top-level org only; sub-org A has no sub-org B.
    route: "DELETE /api/orgs/:orgId/sub-orgs/:subOrgId",
    own: { PARENT_ORG_ADMIN: 204, ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 404 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Users list: PARENT_ORG_ADMIN, ORG_ADMIN and MANAGER of the home org.
    route: "GET /api/orgs/:orgId/users",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Adding a TECHNICIAN: every role that may assign TECHNICIAN, in its home org.
    route: "POST /api/orgs/:orgId/users",
    own: { PARENT_ORG_ADMIN: 201, ORG_ADMIN: 201, MANAGER: 201, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 201 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    route: "GET /api/orgs/:orgId/users/:userId",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Editing a TECHNICIAN (not the actor).
    route: "PATCH /api/orgs/:orgId/users/:userId",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Deactivating a TECHNICIAN (not the actor).
    route: "DELETE /api/orgs/:orgId/users/:userId",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Audit log: PARENT_ORG_ADMIN; ORG_ADMIN of the home org.
    route: "GET /api/orgs/:orgId/audit-log",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Billing: PARENT_ORG_ADMIN only.
    route: "GET /api/orgs/:orgId/billing",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    route: "PATCH /api/orgs/:orgId/billing",
    own: { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    subOrg: { PARENT_ORG_ADMIN: 200 },
    granted: { ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
    ...UNREACHED,
  },
  {
    // Support form: every role, in every org it reaches.
    route: "POST /api/orgs/:orgId/support",
    own: { PARENT_ORG_ADMIN: 201, ORG_ADMIN: 201, MANAGER: 201, TECHNICIAN: 201, SALES: 201 },
    subOrg: { PARENT_ORG_ADMIN: 201 },
    granted: { ORG_ADMIN: 201, MANAGER: 201, TECHNICIAN: 201, SALES: 201 },
    ...UNREACHED,
  },
];

const CONTEXTS: Context[] = ["own", "subOrg", "parentOrg", "sibling", "granted", "otherCompany"];

/** Who calls, on which org, for one column of the table. */
function actorAndOrg(t: MatrixTree, context: Context, role: Role): { actor: TestUser; org: TestOrg } {
  const staff = role === "PARENT_ORG_ADMIN" ? null : role;
  switch (context) {
    case "own":
      return { actor: t.users[role], org: staff ? t.subA : t.parent };
    case "subOrg":
      return { actor: t.users[role], org: t.subA };
    case "parentOrg":
      return { actor: t.users[role], org: t.parent };
    case "sibling":
      return { actor: t.users[role], org: t.subB };
    case "granted":
      if (!staff) throw new Error("granted access is for org roles");
      return { actor: t.roving[staff], org: t.subB };
    case "otherCompany":
      return { actor: t.users[role], org: t.other };
  }
}

const wanted = (want: Want) => (typeof want === "number" ? { status: want, code: undefined } : want);
const DEFAULT_CODES: Record<number, string> = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND" };

type Cell = { name: string; route: RouteKey; context: Context; role: Role; status: number; code?: string };
const cells: Cell[] = TABLE.flatMap((row) =>
  CONTEXTS.flatMap((context) =>
    ROLES.flatMap((role) => {
      const want = row[context]?.[role];
      if (want === undefined) return [];
      const { status, code } = wanted(want);
      return [
        { name: `${row.route} | ${context} | ${role} -> ${status}`, route: row.route, context, role, status, code },
      ];
    }),
  ),
);

// Read-only cells share one tree; every write cell gets a fresh one (writes change state).
let sharedTree: Promise<MatrixTree> | undefined;
const shared = () => {
  sharedTree ??= createMatrixTree();
  return sharedTree;
};
const cookies = new Map<string, Promise<string>>();
const cookieOf = (user: TestUser) => {
  let cookie = cookies.get(user.id);
  if (!cookie) {
    cookie = signIn(user.id);
    cookies.set(user.id, cookie);
  }
  return cookie;
};

describe("route x role x tenancy", () => {
  it("covers every route in the table", () => {
    expect(new Set(TABLE.map((row) => row.route))).toEqual(new Set(Object.keys(ROUTES)));
  });

  it.each(cells.map((cell) => [cell.name, cell] as const))(
    "%s",
    async (_name, { route, context, role, status, code }) => {
      const spec: RouteSpec = ROUTES[route];
      const t = spec.write ? await createMatrixTree() : await shared();
      const { actor, org } = actorAndOrg(t, context, role);
      const cookie = spec.write ? await signIn(actor.id) : await cookieOf(actor);
      const call = spec.call(t, org);
      const before = spec.write ? await orgsSnapshot(t.orgIds) : null;

      const res = await api(call.path, { method: call.method, body: call.body, cookie });

      if (status >= 400) {
        expectError(res, status, code ?? DEFAULT_CODES[status]);
        // A refused write changed nothing anywhere in either company.
        if (before) expect(await orgsSnapshot(t.orgIds)).toEqual(before);
      } else {
        expect({ status: res.status, body: res.body }).toMatchObject({ status });
        if (before) {
          // Every write lands in the audit log of the tree, attributed to the actor.
          const after = await orgsSnapshot(t.orgIds);
          const added = after.audit.filter((entry) => !before.audit.some((old) => old.id === entry.id));
          expect(added.length).toBeGreaterThan(0);
          expect(added.every((entry) => entry.actor_id === actor.id)).toBe(true);
        }
      }
    },
  );
});

describe("GET /api/me", () => {
  it.each(ROLES)("answers 200 to %s", async (role) => {
    const t = await shared();
    const res = await api("/api/me", { cookie: await cookieOf(t.users[role]) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { id: t.users[role].id, role } });
  });
});

const unauthenticatedCall = (route: string, t: MatrixTree): Call => {
  if (route === "GET /api/me") return { method: "GET", path: "/api/me" };
  const spec: RouteSpec = ROUTES[route as RouteKey];
  return spec.call(t, t.parent);
};

describe("unauthenticated", () => {
  const routes = [["GET /api/me"], ...Object.keys(ROUTES).map((route) => [route])] as [string][];

  it.each(routes)("%s -> 401 without a session", async (route) => {
    const t = await shared();
    const call = unauthenticatedCall(route, t);
    const before = await orgsSnapshot(t.orgIds);
    const res = await api(call.path, { method: call.method, body: call.body });
    expectError(res, 401, "UNAUTHENTICATED");
    expect(await orgsSnapshot(t.orgIds)).toEqual(before);
  });

  it.each(routes)("%s -> 401 with a forged session cookie, which is cleared", async (route) => {
    const t = await shared();
    const call = unauthenticatedCall(route, t);
    const res = await api(call.path, {
      method: call.method,
      body: call.body,
      cookie: "rt_session=aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbb",
    });
    expectError(res, 401, "UNAUTHENTICATED");
    expect(res.headers.getSetCookie().some((c) => c.startsWith("rt_session=;") && /Max-Age=0/i.test(c))).toBe(true);
  });

  it("answers 401 before 404 for an org that does not exist", async () => {
    const res = await api(`/api/orgs/${crypto.randomUUID()}`);
    expectError(res, 401, "UNAUTHENTICATED");
  });
});

// ---------------------------------------------------------------------------------------------
// Role assignment (seed, "Who Can Change Roles?"), in a single-org company holding every role.
// ---------------------------------------------------------------------------------------------
const MAY_ASSIGN: Record<Role, Role[]> = {
  PARENT_ORG_ADMIN: ["ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"],
  ORG_ADMIN: ["MANAGER", "TECHNICIAN", "SALES"],
  MANAGER: ["TECHNICIAN"],
  TECHNICIAN: [],
  SALES: [],
};
const mayAssign = (actor: Role, role: Role) => MAY_ASSIGN[actor].includes(role);

describe("role assignment", () => {
  let company: Promise<Awaited<ReturnType<typeof createCompany>>> | undefined;
  const getCompany = () => {
    company ??= createCompany("PRO");
    return company;
  };

  const pairs = ROLES.flatMap((actor) =>
    ROLES.map((role) => ({ actor, role, status: mayAssign(actor, role) ? 201 : 403 })),
  );
  it.each(pairs)("$actor adds a $role -> $status", async ({ actor, role, status }) => {
    const { org, users } = await getCompany();
    const email = uniqueEmail("added");
    const res = await api(`/api/orgs/${org.id}/users`, {
      cookie: await cookieOf(users[actor]),
      body: { name: "Added Person", email, role },
    });
    expect(res.status).toBe(status);
    if (status === 403) expectError(res, 403, "FORBIDDEN");
    expect(await sqlAll("SELECT role FROM users WHERE email = ?", email)).toEqual(status === 201 ? [{ role }] : []);
  });

  const changes = ROLES.flatMap((actor) =>
    ROLES.flatMap((from) =>
      ROLES.map((to) => ({ actor, from, to, status: mayAssign(actor, from) && mayAssign(actor, to) ? 200 : 403 })),
    ),
  );
  it.each(changes)("$actor changes a $from into a $to -> $status", async ({ actor, from, to, status }) => {
    const { org, users } = await getCompany();
    const target = await createUserIn(org.id, from);
    const res = await api(`/api/orgs/${org.id}/users/${target.id}`, {
      method: "PATCH",
      cookie: await cookieOf(users[actor]),
      body: { role: to },
    });
    expect(res.status).toBe(status);
    const [row] = await sqlAll("SELECT role FROM users WHERE id = ?", target.id);
    expect(row?.role).toBe(status === 200 ? to : from);
    if (status === 403) expectError(res, 403, "FORBIDDEN");
  });

  const deactivations = ROLES.flatMap((actor) =>
    ROLES.map((role) => ({ actor, role, status: mayAssign(actor, role) ? 200 : 403 })),
  );
  it.each(deactivations)("$actor deactivates a $role -> $status", async ({ actor, role, status }) => {
    const { org, users } = await getCompany();
    const target = await createUserIn(org.id, role);
    const res = await api(`/api/orgs/${org.id}/users/${target.id}`, {
      method: "DELETE",
      cookie: await cookieOf(users[actor]),
    });
    expect(res.status).toBe(status);
    const [row] = await sqlAll("SELECT status FROM users WHERE id = ?", target.id);
    expect(row?.status).toBe(status === 200 ? "DEACTIVATED" : "ACTIVE");
  });

  it.each(ROLES)("%s cannot edit or deactivate themself -> 403", async (role) => {
    const { org } = await createCompany("PRO");
    const self = await createUserIn(org.id, role);
    const cookie = await signIn(self.id);
    const patch = await api(`/api/orgs/${org.id}/users/${self.id}`, {
      method: "PATCH",
      cookie,
      body: { name: "Me Myself" },
    });
    expectError(patch, 403, "FORBIDDEN");
    const promote = await api(`/api/orgs/${org.id}/users/${self.id}`, { method: "PATCH", cookie, body: { role } });
    expectError(promote, 403, "FORBIDDEN");
    const remove = await api(`/api/orgs/${org.id}/users/${self.id}`, { method: "DELETE", cookie });
    expectError(remove, 403, "FORBIDDEN");
    expect(await sqlAll("SELECT name, status FROM users WHERE id = ?", self.id)).toEqual([
      { name: self.name, status: "ACTIVE" },
    ]);
    // And the session still works: refusing did not end it.
    expect((await api("/api/me", { cookie })).status).toBe(200);
  });

  // Only a PARENT_ORG_ADMIN sets accessibleOrgIds, even on a user the actor may otherwise edit.
  const grants: { actor: Role; target: Role; status: number }[] = [
    { actor: "PARENT_ORG_ADMIN", target: "MANAGER", status: 200 },
    { actor: "PARENT_ORG_ADMIN", target: "TECHNICIAN", status: 200 },
    { actor: "ORG_ADMIN", target: "MANAGER", status: 403 },
    { actor: "ORG_ADMIN", target: "TECHNICIAN", status: 403 },
    { actor: "MANAGER", target: "TECHNICIAN", status: 403 },
    { actor: "TECHNICIAN", target: "TECHNICIAN", status: 403 },
    { actor: "SALES", target: "TECHNICIAN", status: 403 },
  ];
  it.each(grants)("$actor sets accessibleOrgIds of a $target -> $status", async ({ actor, target, status }) => {
    const t = await createTree();
    // The target lives in sub-org A: staff's home org, reached by the parent admin.
    const targetUser = await createUserIn(t.subA.id, target);
    const res = await api(`/api/orgs/${t.subA.id}/users/${targetUser.id}`, {
      method: "PATCH",
      cookie: await signIn(t.users[actor].id),
      body: { accessibleOrgIds: [t.subB.id] },
    });
    expect(res.status).toBe(status);
    const access = await sqlAll("SELECT org_id FROM user_org_access WHERE user_id = ?", targetUser.id);
    expect(access).toEqual(status === 200 ? [{ org_id: t.subB.id }] : []);
  });
});

// ---------------------------------------------------------------------------------------------
// Rows outside the caller's reach answer 404, even through an org the caller does reach.
// ---------------------------------------------------------------------------------------------
type ReachCase = {
  name: string;
  actor: (t: MatrixTree) => TestUser;
  call: (t: MatrixTree) => Call;
};
const userRow =
  (method: string, via: (t: MatrixTree) => TestOrg, whose: (t: MatrixTree) => TestOrg) => (t: MatrixTree) => ({
    method,
    path: `/api/orgs/${via(t).id}/users/${t.targets[whose(t).id]?.id}`,
    body: method === "PATCH" ? { role: "SALES" } : undefined,
  });
const OUT_OF_REACH: ReachCase[] = [
  ...["GET", "PATCH", "DELETE"].flatMap((method) => [
    {
      name: `ORG_ADMIN of A: ${method} a user of sibling B through A -> 404`,
      actor: (t: MatrixTree) => t.users.ORG_ADMIN,
      call: userRow(
        method,
        (t) => t.subA,
        (t) => t.subB,
      ),
    },
    {
      name: `MANAGER of A: ${method} a user of another company through A -> 404`,
      actor: (t: MatrixTree) => t.users.MANAGER,
      call: userRow(
        method,
        (t) => t.subA,
        (t) => t.other,
      ),
    },
    {
      name: `PARENT_ORG_ADMIN: ${method} a user of another company through the parent org -> 404`,
      actor: (t: MatrixTree) => t.users.PARENT_ORG_ADMIN,
      call: userRow(
        method,
        (t) => t.parent,
        (t) => t.other,
      ),
    },
    {
      name: `PARENT_ORG_ADMIN: ${method} a user of B through sub-org A -> 404`,
      actor: (t: MatrixTree) => t.users.PARENT_ORG_ADMIN,
      call: userRow(
        method,
        (t) => t.subA,
        (t) => t.subB,
      ),
    },
    {
      name: `roving MANAGER of A (reaches B): ${method} a user of B through A -> 404`,
      actor: (t: MatrixTree) => t.roving.MANAGER,
      call: userRow(
        method,
        (t) => t.subA,
        (t) => t.subB,
      ),
    },
  ]),
  {
    name: "PARENT_ORG_ADMIN: DELETE another company's org as a sub-org -> 404",
    actor: (t) => t.users.PARENT_ORG_ADMIN,
    call: (t) => ({ method: "DELETE", path: `/api/orgs/${t.parent.id}/sub-orgs/${t.other.id}` }),
  },
  {
    name: "PARENT_ORG_ADMIN: DELETE the top-level org itself as a sub-org -> 404",
    actor: (t) => t.users.PARENT_ORG_ADMIN,
    call: (t) => ({ method: "DELETE", path: `/api/orgs/${t.parent.id}/sub-orgs/${t.parent.id}` }),
  },
  {
    name: "PARENT_ORG_ADMIN: a user id that does not exist -> 404",
    actor: (t) => t.users.PARENT_ORG_ADMIN,
    call: (t) => ({
      method: "PATCH",
      path: `/api/orgs/${t.parent.id}/users/${crypto.randomUUID()}`,
      body: { name: "X Y" },
    }),
  },
  {
    name: "another company's PARENT_ORG_ADMIN: GET a user of A through its own org -> 404",
    actor: (t) => t.outsiders.PARENT_ORG_ADMIN,
    call: (t) => ({ method: "GET", path: `/api/orgs/${t.other.id}/users/${t.targets[t.subA.id]?.id}` }),
  },
];

describe("rows outside the caller's reach", () => {
  it.each(OUT_OF_REACH.map((c) => [c.name, c] as const))("%s", async (_name, { actor, call }) => {
    const t = await createMatrixTree();
    const { method, path, body } = call(t);
    const cookie = await signIn(actor(t).id);
    const before = await orgsSnapshot(t.orgIds);
    const res = await api(path, { method, body, cookie });
    expectError(res, 404, "NOT_FOUND");
    expect(await orgsSnapshot(t.orgIds)).toEqual(before);
  });
});

const createUserIn = (orgId: string, role: Role) => createUser({ orgId, role });
