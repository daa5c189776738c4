/**
 * The OpenAPI document describes the API as it is served: every route with its method, resolvable
 * against the document's server, with the request body schemas that validate it.
 */
import { describe, expect, it } from "vitest";
import { api, createOrg, createUser, signIn } from "./helpers";

type Doc = {
  openapi: string;
  servers?: { url: string }[];
  // biome-ignore lint/suspicious/noExplicitAny: a JSON document, inspected structurally.
  paths: Record<string, Record<string, any>>;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  components: { schemas: Record<string, any> };
};

let cached: Promise<Doc> | undefined;
function loadDoc() {
  cached ??= api<Doc>("/api/openapi.json").then((res) => {
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    return res.body;
  });
  return cached;
}

/** `/api/...` as a client resolves it: the server URL (default "/") plus the documented path. */
async function documentedOperations() {
  const doc = await loadDoc();
  const base = (doc.servers?.[0]?.url ?? "").replace(/\/$/, "");
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({
      method: method.toUpperCase(),
      path: `${base}${path}`,
      operation: item[method],
    })),
  );
}

async function operation(method: string, path: string) {
  const found = (await documentedOperations()).find((op) => op.method === method && op.path === path);
  if (!found) throw new Error(`${method} ${path} is not documented`);
  return found.operation;
}

/** Follows a `$ref` to its component schema. */
async function resolve(schema: { $ref?: string }) {
  const doc = await loadDoc();
  const name = schema.$ref?.replace("#/components/schemas/", "");
  return name ? { name, schema: doc.components.schemas[name] } : { name: undefined, schema };
}

const ROUTES: [method: string, path: string, body: string | null, signedIn: boolean][] = [
  ["POST", "/api/auth/signup", "SignupInput", false],
  ["POST", "/api/auth/login", "LoginInput", false],
  ["POST", "/api/auth/logout", null, false],
  ["GET", "/api/me", null, true],
  ["GET", "/api/invitations/{token}", null, false],
  ["POST", "/api/invitations/{token}/accept", "AcceptInvitationInput", false],
  ["GET", "/api/orgs/{orgId}", null, true],
  ["PATCH", "/api/orgs/{orgId}", "OrgSettingsPatch", true],
  ["GET", "/api/orgs/{orgId}/sub-orgs", null, true],
  ["POST", "/api/orgs/{orgId}/sub-orgs", "SubOrgInput", true],
  ["DELETE", "/api/orgs/{orgId}/sub-orgs/{subOrgId}", null, true],
  ["GET", "/api/orgs/{orgId}/users", null, true],
  ["POST", "/api/orgs/{orgId}/users", "UserCreateInput", true],
  ["GET", "/api/orgs/{orgId}/users/{userId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/users/{userId}", "UserPatchInput", true],
  ["DELETE", "/api/orgs/{orgId}/users/{userId}", null, true],
  ["GET", "/api/orgs/{orgId}/audit-log", null, true],
  ["GET", "/api/orgs/{orgId}/billing", null, true],
  ["PATCH", "/api/orgs/{orgId}/billing", "PlanInput", true],
  ["POST", "/api/orgs/{orgId}/support", "SupportInput", true],
];

/** Hand-written from the API's contract: which fields each body requires, and which it allows. */
const BODIES: Record<string, { required: string[]; properties: string[] }> = {
  SignupInput: { required: ["name", "email", "password", "organizationName"], properties: [] },
  LoginInput: { required: ["email", "password"], properties: [] },
  AcceptInvitationInput: { required: ["password"], properties: [] },
  OrgSettingsPatch: {
    required: [],
    properties: ["name", "ein", "brandLogoUrl", "brandColor", "timeZone", "epaConfig"],
  },
  SubOrgInput: { required: ["name"], properties: ["ein", "timeZone"] },
  UserCreateInput: {
    required: ["name", "email", "role"],
    properties: ["timeZone", "certificationNumber", "certificationType"],
  },
  UserPatchInput: {
    required: [],
    properties: ["name", "role", "timeZone", "certificationNumber", "certificationType", "accessibleOrgIds"],
  },
  PlanInput: { required: ["plan"], properties: [] },
  SupportInput: { required: ["subject", "message"], properties: [] },
};

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document, public (no session needed)", async () => {
    const doc = await loadDoc();
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it("documents exactly the API's routes, each resolvable under /api", async () => {
    const documented = (await documentedOperations()).map((op) => `${op.method} ${op.path}`).sort();
    expect(documented).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
  });

  it.each(ROUTES.map((route) => [`${route[0]} ${route[1]}`, ...route] as const))(
    "%s: path parameters are declared and the route really answers there",
    async (_name, method, path, _body, signedIn) => {
      const op = await operation(method, path);
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (op.parameters ?? []).filter((p: { in: string }) => p.in === "path");
      expect(declared.map((p: { name: string }) => p.name).sort()).toEqual([...names].sort());
      expect(declared.every((p: { required: boolean }) => p.required)).toBe(true);
      if (signedIn) expect(Object.keys(op.responses)).toContain("401");

      // Calling the documented URL reaches the API (a JSON answer), not the UI's 404 page.
      const url = path.replace(/\{\w+\}/g, "00000000-0000-4000-8000-000000000000");
      const res = await api(url, { method, body: method === "GET" || method === "DELETE" ? undefined : {} });
      if (res.status !== 204) {
        expect(res.headers.get("Content-Type")).toContain("application/json");
        expect(res.body).not.toMatchObject({ error: { message: "No such API route." } });
      }
    },
  );

  it.each(ROUTES.filter((route) => route[2] !== null).map((route) => [`${route[0]} ${route[1]}`, ...route] as const))(
    "%s: documents its JSON request body schema",
    async (_name, method, path, body) => {
      const op = await operation(method, path);
      expect(op.requestBody?.required).toBe(true);
      const { name, schema } = await resolve(op.requestBody?.content?.["application/json"]?.schema ?? {});
      expect(name).toBe(body);
      const expected = BODIES[body ?? ""];
      expect(schema.type).toBe("object");
      expect([...(schema.required ?? [])].sort()).toEqual([...(expected?.required ?? [])].sort());
      expect(Object.keys(schema.properties ?? {}).sort()).toEqual(
        [...(expected?.required ?? []), ...(expected?.properties ?? [])].sort(),
      );
      // Unknown fields are refused (400), and the document says so.
      expect(schema.additionalProperties).toBe(false);
      expect(Object.keys(op.responses)).toContain("400");
    },
  );

  it("spells out enums and limits a client needs", async () => {
    const doc = await loadDoc();
    const { schemas } = doc.components;
    expect(schemas.UserCreateInput.properties.role.enum).toEqual([
      "PARENT_ORG_ADMIN",
      "ORG_ADMIN",
      "MANAGER",
      "TECHNICIAN",
      "SALES",
    ]);
    expect(schemas.PlanInput.properties.plan.enum).toEqual(["FREE", "PRO", "ENTERPRISE"]);
    expect(schemas.SignupInput.properties.password).toMatchObject({ minLength: 10, maxLength: 128 });
    expect(schemas.SupportInput.properties.message).toMatchObject({ maxLength: 5000 });
    expect(schemas.Error.properties.error.required).toEqual(expect.arrayContaining(["code", "message"]));
    const users = await operation("GET", "/api/orgs/{orgId}/users");
    expect(
      users.parameters.filter((p: { in: string }) => p.in === "query").map((p: { name: string }) => p.name),
    ).toEqual(expect.arrayContaining(["role", "format"]));
    const audit = await operation("GET", "/api/orgs/{orgId}/audit-log");
    expect(
      audit.parameters.filter((p: { in: string }) => p.in === "query").map((p: { name: string }) => p.name),
    ).toEqual(expect.arrayContaining(["before", "limit"]));
  });

  it("is served the same to a signed-in user", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "SALES" });
    const res = await api("/api/openapi.json", { cookie: await signIn(user.id) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await loadDoc());
  });
});
