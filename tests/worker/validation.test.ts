/**
 * Every write route refuses bad input with 400 `{ error: { code, message, fields } }` naming the
 * field, never a 500, and writes nothing (row counts of every table and the org's rows unchanged).
 * The caller may do everything (a PARENT_ORG_ADMIN of a PRO org), so only the input is at fault.
 */
import { describe, expect, it } from "vitest";
import { api, createOrg, createUser, signIn, type TestOrg, type TestUser } from "./helpers";
import { invitationToken, orgsSnapshot, tableCounts, uniqueEmail } from "./support";

const long = (n: number) => "x".repeat(n);
const PASSWORD = "correct horse battery staple";

type Fixture = { org: TestOrg; admin: TestUser; tech: TestUser; cookie: string; invitation: string };
let fixture: Promise<Fixture> | undefined;
/** One company for the whole file: bad input must never change it, which every case checks. */
function setup() {
  fixture ??= (async () => {
    const org = await createOrg({ plan: "PRO" });
    const admin = await createUser({ orgId: org.id, role: "PARENT_ORG_ADMIN" });
    const tech = await createUser({ orgId: org.id, role: "TECHNICIAN" });
    const cookie = await signIn(admin.id);
    const invited = await api(`/api/orgs/${org.id}/users`, {
      cookie,
      body: { name: "Ivy Invitee", email: uniqueEmail("invitee"), role: "TECHNICIAN" },
    });
    expect(invited.status).toBe(201);
    return { org, admin, tech, cookie, invitation: invitationToken(invited.body.invitation.url) };
  })();
  return fixture;
}

type Route = {
  name: string;
  method: string;
  path: (f: Fixture) => string;
  /** A body the route accepts; each case breaks one thing about it. */
  valid: () => Record<string, unknown>;
  signedIn: boolean;
  required: string[];
  /** [field, bad value, why] */
  bad: [string, unknown, string][];
};

const ROUTES: Route[] = [
  {
    name: "POST /api/auth/signup",
    method: "POST",
    path: () => "/api/auth/signup",
    valid: () => ({
      name: "Sam Signup",
      email: uniqueEmail("signup"),
      password: PASSWORD,
      organizationName: "Sam HVAC",
    }),
    signedIn: false,
    required: ["name", "email", "password", "organizationName"],
    bad: [
      ["name", 42, "a number"],
      ["name", "   ", "only spaces"],
      ["name", long(101), "over 100 characters"],
      ["email", true, "a boolean"],
      ["email", "not-an-email", "not an address"],
      ["email", `${long(250)}@example.test`, "over 254 characters"],
      ["password", 12345678901, "a number"],
      ["password", "short", "under 10 characters"],
      ["password", long(129), "over 128 characters"],
      ["organizationName", ["Sam HVAC"], "an array"],
      ["organizationName", "S", "under 2 characters"],
      ["organizationName", long(121), "over 120 characters"],
    ],
  },
  {
    name: "POST /api/auth/login",
    method: "POST",
    path: () => "/api/auth/login",
    valid: () => ({ email: uniqueEmail("login"), password: PASSWORD }),
    signedIn: false,
    required: ["email", "password"],
    bad: [
      ["email", 7, "a number"],
      ["email", "nobody", "not an address"],
      ["email", `${long(250)}@example.test`, "over 254 characters"],
      ["password", { value: PASSWORD }, "an object"],
      ["password", "", "empty"],
      ["password", long(129), "over 128 characters"],
    ],
  },
  {
    name: "POST /api/invitations/:token/accept",
    method: "POST",
    path: (f) => `/api/invitations/${f.invitation}/accept`,
    valid: () => ({ password: PASSWORD }),
    signedIn: false,
    required: ["password"],
    bad: [
      ["password", 1234567890123, "a number"],
      ["password", "short", "under 10 characters"],
      ["password", long(129), "over 128 characters"],
    ],
  },
  {
    name: "PATCH /api/orgs/:orgId",
    method: "PATCH",
    path: (f) => `/api/orgs/${f.org.id}`,
    valid: () => ({ name: "Renamed Org" }),
    signedIn: true,
    required: [],
    bad: [
      ["name", 12, "a number"],
      ["name", null, "null"],
      ["name", long(121), "over 120 characters"],
      ["ein", "123456789", "not XX-XXXXXXX"],
      ["ein", 12_3456789, "a number"],
      ["brandLogoUrl", "javascript:alert(1)", "not http(s)"],
      ["brandLogoUrl", `https://example.test/${long(500)}`, "over 500 characters"],
      ["brandColor", "red", "not #rrggbb"],
      ["timeZone", "Mars/Olympus_Mons", "not a time zone"],
      ["timeZone", long(65), "over 64 characters"],
      ["epaConfig", "strict", "a string"],
      ["epaConfig.leakRateThresholds", { coverageThresholdLb: 50 }, "missing its thresholds"],
    ],
  },
  {
    name: "POST /api/orgs/:orgId/sub-orgs",
    method: "POST",
    path: (f) => `/api/orgs/${f.org.id}/sub-orgs`,
    valid: () => ({ name: "North Branch" }),
    signedIn: true,
    required: ["name"],
    bad: [
      ["name", 5, "a number"],
      ["name", long(121), "over 120 characters"],
      ["ein", "12-34", "not XX-XXXXXXX"],
      ["timeZone", "Nowhere/Special", "not a time zone"],
    ],
  },
  {
    name: "POST /api/orgs/:orgId/users",
    method: "POST",
    path: (f) => `/api/orgs/${f.org.id}/users`,
    valid: () => ({ name: "Nina New", email: uniqueEmail("new"), role: "TECHNICIAN" }),
    signedIn: true,
    required: ["name", "email", "role"],
    bad: [
      ["name", { first: "Nina" }, "an object"],
      ["name", long(101), "over 100 characters"],
      ["email", "nina at example", "not an address"],
      ["role", "ROOT", "not a role"],
      ["role", 3, "a number"],
      ["timeZone", "Atlantis/Central", "not a time zone"],
      ["certificationNumber", long(41), "over 40 characters"],
      ["certificationType", "IV", "not I, II, III or UNIVERSAL"],
    ],
  },
  {
    name: "PATCH /api/orgs/:orgId/users/:userId",
    method: "PATCH",
    path: (f) => `/api/orgs/${f.org.id}/users/${f.tech.id}`,
    valid: () => ({ name: "Tess Tech" }),
    signedIn: true,
    required: [],
    bad: [
      ["name", false, "a boolean"],
      ["name", long(101), "over 100 characters"],
      ["role", "OWNER", "not a role"],
      ["timeZone", 5, "a number"],
      ["certificationType", "ALL", "not a certification type"],
      ["accessibleOrgIds", "everything", "not a list"],
      ["accessibleOrgIds.0", 42, "a list of numbers"],
      ["accessibleOrgIds", Array.from({ length: 51 }, (_, i) => `org-${i}`), "over 50 ids"],
      ["accessibleOrgIds.0", long(65), "an id over 64 characters"],
    ],
  },
  {
    name: "PATCH /api/orgs/:orgId/billing",
    method: "PATCH",
    path: (f) => `/api/orgs/${f.org.id}/billing`,
    valid: () => ({ plan: "ENTERPRISE" }),
    signedIn: true,
    required: ["plan"],
    bad: [
      ["plan", "GOLD", "not a plan"],
      ["plan", "pro", "the wrong case"],
      ["plan", 1, "a number"],
    ],
  },
  {
    name: "POST /api/orgs/:orgId/support",
    method: "POST",
    path: (f) => `/api/orgs/${f.org.id}/support`,
    valid: () => ({ subject: "Labels are blank", message: "The QR label page prints nothing." }),
    signedIn: true,
    required: ["subject", "message"],
    bad: [
      ["subject", 404, "a number"],
      ["subject", "ab", "under 3 characters"],
      ["subject", long(151), "over 150 characters"],
      ["message", ["help"], "an array"],
      ["message", "help!", "under 10 characters"],
      ["message", long(5001), "over 5000 characters"],
    ],
  },
];

/** Sets `a.b.c` in a copy of `body`; the last segment of an array path replaces the array. */
function withField(body: Record<string, unknown>, path: string, value: unknown) {
  const [head, ...rest] = path.split(".");
  if (!head) return body;
  if (rest.length === 0) return { ...body, [head]: value };
  // "accessibleOrgIds.0" -> [value]; "epaConfig.leakRateThresholds" -> the value itself at epaConfig.
  if (/^\d+$/.test(rest[0] ?? "")) return { ...body, [head]: [value] };
  return { ...body, [head]: value };
}

type Case = { route: Route; label: string; body: (r: Route) => unknown; field: string | null };
const cases: Case[] = ROUTES.flatMap((route) => [
  ...route.required.map((field) => ({
    route,
    label: `missing ${field}`,
    field,
    body: (r: Route) => Object.fromEntries(Object.entries(r.valid()).filter(([key]) => key !== field)),
  })),
  ...route.bad.map(([field, value, why]) => ({
    route,
    label: `${field} ${why}`,
    field,
    body: (r: Route) => withField(r.valid(), field, value),
  })),
  { route, label: "an unknown field", field: "isAdmin", body: (r: Route) => ({ ...r.valid(), isAdmin: true }) },
  {
    route,
    label: "an unknown field named like an Object method",
    field: "constructor",
    body: (r: Route) => ({ ...r.valid(), constructor: "x" }),
  },
  {
    route,
    label: "an unknown field spelled __proto__",
    field: "__proto__",
    body: (r: Route) => `${JSON.stringify(r.valid()).slice(0, -1)},"__proto__":{"role":"PARENT_ORG_ADMIN"}}`,
  },
  { route, label: "malformed JSON", field: null, body: (r: Route) => JSON.stringify(r.valid()).slice(0, -1) },
  { route, label: "an empty body", field: null, body: () => "" },
  { route, label: "a JSON array", field: null, body: (r: Route) => [r.valid()] },
  { route, label: "JSON null", field: null, body: () => "null" },
]);

describe("bad input on every write route", () => {
  it.each(cases.map((c) => [`${c.route.name}: ${c.label}`, c] as const))(
    "%s -> 400, nothing written",
    async (_name, { route, body, field }) => {
      const f = await setup();
      const counts = await tableCounts();
      const rows = await orgsSnapshot([f.org.id]);

      const res = await api(route.path(f), {
        method: route.method,
        cookie: route.signedIn ? f.cookie : undefined,
        body: body(route),
        headers: { "CF-Connecting-IP": "203.0.113.7" },
      });

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(JSON.stringify(res.body)).not.toMatch(/ at .*\.(ts|js):\d+/);
      if (field !== null) {
        expect(res.body.error.code).toBe("VALIDATION_FAILED");
        expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
        expect(res.body.error.fields[field]).toEqual(expect.arrayContaining([expect.any(String)]));
      }
      expect(await tableCounts()).toEqual(counts);
      expect(await orgsSnapshot([f.org.id])).toEqual(rows);
    },
  );

  it.each(ROUTES.map((route) => [route.name, route] as const))(
    "%s: a body not sent as JSON is refused, not silently ignored",
    async (_name, route) => {
      const f = await setup();
      const counts = await tableCounts();
      const rows = await orgsSnapshot([f.org.id]);
      const res = await api(route.path(f), {
        method: route.method,
        cookie: route.signedIn ? f.cookie : undefined,
        body: JSON.stringify(route.valid()),
        headers: { "Content-Type": "text/plain", "CF-Connecting-IP": "203.0.113.8" },
      });
      expect([400, 415]).toContain(res.status);
      expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(await tableCounts()).toEqual(counts);
      expect(await orgsSnapshot([f.org.id])).toEqual(rows);
    },
  );

  it("accepts each route's valid body (the cases above break only one thing)", async () => {
    const f = await setup();
    // Harmless writes first, in an order that keeps the fixture usable for later cases.
    for (const route of ROUTES.filter((r) => r.signedIn)) {
      const res = await api(route.path(f), { method: route.method, cookie: f.cookie, body: route.valid() });
      expect({ route: route.name, status: res.status }).toEqual({
        route: route.name,
        status: route.method === "POST" ? 201 : 200,
      });
    }
  });
});

describe("bad query parameters", () => {
  it.each([
    ["users", "?role=ROOT", "role"],
    ["users", "?status=GONE", "status"],
    ["users", "?format=xml", "format"],
    ["audit-log", "?limit=0", "limit"],
    ["audit-log", "?limit=201", "limit"],
    ["audit-log", "?limit=ten", "limit"],
    ["audit-log", "?before=yesterday", "before"],
  ])("GET /api/orgs/:orgId/%s%s -> 400 naming %s", async (what, query, field) => {
    const f = await setup();
    const res = await api(`/api/orgs/${f.org.id}/${what}${query}`, { cookie: f.cookie });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: "VALIDATION_FAILED", message: expect.any(String) } });
    expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
  });
});
