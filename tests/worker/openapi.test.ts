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
  ["GET", "/api/orgs/{orgId}/analytics", null, true],
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
  // Refrigerant tracking (issue 3)
  ["GET", "/api/orgs/{orgId}/customers", null, true],
  ["POST", "/api/orgs/{orgId}/customers", "CustomerCreateInput", true],
  ["GET", "/api/orgs/{orgId}/customers/{customerId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/customers/{customerId}", "CustomerPatchInput", true],
  ["DELETE", "/api/orgs/{orgId}/customers/{customerId}", null, true],
  ["GET", "/api/orgs/{orgId}/locations", null, true],
  ["POST", "/api/orgs/{orgId}/locations", "LocationCreateInput", true],
  ["GET", "/api/orgs/{orgId}/locations/{locationId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/locations/{locationId}", "LocationPatchInput", true],
  ["DELETE", "/api/orgs/{orgId}/locations/{locationId}", null, true],
  ["GET", "/api/orgs/{orgId}/units", null, true],
  ["POST", "/api/orgs/{orgId}/units", "UnitCreateInput", true],
  ["GET", "/api/orgs/{orgId}/units/{unitId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/units/{unitId}", "UnitPatchInput", true],
  ["POST", "/api/orgs/{orgId}/units/{unitId}/decommission", "UnitDecommissionInput", true],
  ["DELETE", "/api/orgs/{orgId}/units/{unitId}", null, true],
  ["GET", "/api/orgs/{orgId}/refrigerants", null, true],
  ["GET", "/api/orgs/{orgId}/cylinders", null, true],
  ["POST", "/api/orgs/{orgId}/cylinders", "CylinderCreateInput", true],
  ["GET", "/api/orgs/{orgId}/cylinders/{cylinderId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/cylinders/{cylinderId}", "CylinderPatchInput", true],
  ["DELETE", "/api/orgs/{orgId}/cylinders/{cylinderId}", null, true],
  ["GET", "/api/orgs/{orgId}/cylinders/{cylinderId}/moves", null, true],
  ["POST", "/api/orgs/{orgId}/cylinders/{cylinderId}/moves", "CylinderMoveInput", true],
  ["GET", "/api/orgs/{orgId}/transfers", null, true],
  ["POST", "/api/orgs/{orgId}/transfers", "TransferCreateInput", true],
  ["GET", "/api/orgs/{orgId}/transfers/{transferId}", null, true],
  ["POST", "/api/orgs/{orgId}/transfers/{transferId}/approve", "TransferReviewInput", true],
  ["POST", "/api/orgs/{orgId}/transfers/{transferId}/reject", "TransferReviewInput", true],
  ["POST", "/api/orgs/{orgId}/transfers/{transferId}/void", "TransferVoidInput", true],
  ["GET", "/api/orgs/{orgId}/leaks", null, true],
  ["POST", "/api/orgs/{orgId}/leaks", "LeakReportInput", true],
  ["GET", "/api/orgs/{orgId}/leaks/{leakId}", null, true],
  ["POST", "/api/orgs/{orgId}/leaks/{leakId}/repair", "LeakRepairInput", true],
  ["POST", "/api/orgs/{orgId}/leaks/{leakId}/verification", "LeakVerificationInput", true],
  ["POST", "/api/orgs/{orgId}/leaks/{leakId}/retrofit-plan", "LeakRetrofitPlanInput", true],
  ["POST", "/api/orgs/{orgId}/leaks/{leakId}/close", "LeakCloseInput", true],
  ["GET", "/api/orgs/{orgId}/reports/compliance", null, true],
  ["GET", "/api/orgs/{orgId}/compliance/summary", null, true],
  // Field operations (issue 4)
  ["GET", "/api/orgs/{orgId}/jobs", null, true],
  ["POST", "/api/orgs/{orgId}/jobs", "JobCreateInput", true],
  ["GET", "/api/orgs/{orgId}/jobs/{jobId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/jobs/{jobId}", "JobPatchInput", true],
  ["DELETE", "/api/orgs/{orgId}/jobs/{jobId}", null, true],
  ["GET", "/api/orgs/{orgId}/jobs/{jobId}/notes", null, true],
  ["POST", "/api/orgs/{orgId}/jobs/{jobId}/notes", "JobNoteInput", true],
  ["GET", "/api/orgs/{orgId}/projects", null, true],
  ["POST", "/api/orgs/{orgId}/projects", "ProjectCreateInput", true],
  ["GET", "/api/orgs/{orgId}/projects/{projectId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/projects/{projectId}", "ProjectPatchInput", true],
  ["GET", "/api/orgs/{orgId}/appointments", null, true],
  ["POST", "/api/orgs/{orgId}/appointments", "AppointmentCreateInput", true],
  ["GET", "/api/orgs/{orgId}/appointments/{appointmentId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/appointments/{appointmentId}", "AppointmentPatchInput", true],
  ["POST", "/api/orgs/{orgId}/appointments/{appointmentId}/en-route", "AppointmentProgressInput", true],
  ["POST", "/api/orgs/{orgId}/appointments/{appointmentId}/start", "AppointmentProgressInput", true],
  ["POST", "/api/orgs/{orgId}/appointments/{appointmentId}/complete", "AppointmentCompleteInput", true],
  ["POST", "/api/orgs/{orgId}/appointments/{appointmentId}/cancel", "AppointmentCancelInput", true],
  ["GET", "/api/orgs/{orgId}/schedule", null, true],
  // Sales and billing (issue 5)
  ["GET", "/api/orgs/{orgId}/territories", null, true],
  ["POST", "/api/orgs/{orgId}/territories", "TerritoryCreateInput", true],
  ["GET", "/api/orgs/{orgId}/territories/{territoryId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/territories/{territoryId}", "TerritoryPatchInput", true],
  ["POST", "/api/orgs/{orgId}/territories/{territoryId}/archive", null, true],
  ["PUT", "/api/orgs/{orgId}/territories/{territoryId}/assignees", "TerritoryAssigneesInput", true],
  ["GET", "/api/orgs/{orgId}/sales/reps", null, true],
  ["GET", "/api/orgs/{orgId}/sales/inventory", null, true],
  ["GET", "/api/orgs/{orgId}/leads", null, true],
  ["POST", "/api/orgs/{orgId}/leads", "LeadCreateInput", true],
  ["GET", "/api/orgs/{orgId}/leads/{leadId}", null, true],
  ["PATCH", "/api/orgs/{orgId}/leads/{leadId}", "LeadPatchInput", true],
  ["POST", "/api/orgs/{orgId}/leads/{leadId}/convert", "LeadConvertInput", true],
  ["POST", "/api/orgs/{orgId}/cylinders/{cylinderId}/sell", "CylinderSellInput", true],
  ["POST", "/api/orgs/{orgId}/billing/checkout", "CheckoutInput", true],
  ["POST", "/api/billing/stripe/webhook", null, false],
];

/** Bodies a client may leave out altogether: a technician's "on my way", "start", "complete"; a cancel. */
const OPTIONAL_BODIES = new Set(["AppointmentProgressInput", "AppointmentCompleteInput", "AppointmentCancelInput"]);

/** Hand-written from the API's contract: which fields each body requires, and which it allows. */
const BODIES: Record<string, { required: string[]; properties: string[] }> = {
  SignupInput: { required: ["name", "email", "password", "organizationName"], properties: [] },
  LoginInput: { required: ["email", "password"], properties: [] },
  AcceptInvitationInput: { required: ["password"], properties: [] },
  OrgSettingsPatch: {
    required: [],
    // A sub-org may also hand a setting back to its parent (`inherit`); the branch address places
    // its warehouse cylinders in sales territories.
    properties: [
      "name",
      "ein",
      "brandLogoUrl",
      "brandColor",
      "timeZone",
      "epaConfig",
      "addressState",
      "addressZip",
      "inherit",
    ],
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
  // Issue 3. A customer is the billing entity; a location is a service address (name, street,
  // city, state, ZIP) and can be created inline with a customer or a unit.
  CustomerCreateInput: { required: ["name"], properties: ["email", "phone", "notes", "location"] },
  CustomerPatchInput: { required: [], properties: ["name", "email", "phone", "notes"] },
  LocationCreateInput: { required: ["customerId", "name", "street", "city", "state", "zip"], properties: [] },
  LocationPatchInput: { required: [], properties: ["name", "street", "city", "state", "zip"] },
  // A unit: name/tag, manufacturer, model, serial, category, refrigerant, full charge in lb with
  // the method that determined it, install date; at a location (an existing one or a new one: one
  // of the two, which JSON Schema's `required` cannot say). Industrial process refrigeration
  // needing a shutdown for its repair gets 120 days.
  UnitCreateInput: {
    required: ["name", "category", "refrigerant", "fullChargeLb", "fullChargeMethod"],
    properties: ["manufacturer", "model", "serial", "installDate", "repairNeedsShutdown", "locationId", "location"],
  },
  UnitPatchInput: {
    required: [],
    properties: [
      "name",
      "manufacturer",
      "model",
      "serial",
      "category",
      "refrigerant",
      "fullChargeLb",
      "fullChargeMethod",
      "repairNeedsShutdown",
      "installDate",
    ],
  },
  // Decommissioned "with reason and date".
  UnitDecommissionInput: { required: ["reason", "date"], properties: [] },
  // A cylinder: tag, refrigerant, kind, tare weight, water capacity, net contents; holder, status
  // and hydrostatic test date may be given. Contents change only through transfers afterwards,
  // and refrigerant and kind are fixed; moves go through their own route.
  CylinderCreateInput: {
    required: ["tag", "refrigerant", "kind", "tareWeightLb", "waterCapacityLb", "netContentsLb"],
    properties: ["holder", "status", "hydroTestDate", "priceCents"],
  },
  CylinderPatchInput: {
    required: [],
    properties: ["tag", "tareWeightLb", "waterCapacityLb", "hydroTestDate", "status", "note", "priceCents"],
  },
  CylinderMoveInput: { required: ["to"], properties: ["note"] },
  // A transfer: kind and amount in lb; the unit and cylinders it needs depend on the kind;
  // performedAt defaults to now; the technician defaults to the caller; the job is optional.
  TransferCreateInput: {
    required: ["kind", "amountLb"],
    properties: ["unitId", "fromCylinderId", "toCylinderId", "performedAt", "technicianId", "jobId", "notes"],
  },
  TransferReviewInput: { required: [], properties: ["note"] },
  // "an admin voids one with a reason".
  TransferVoidInput: { required: ["reason"], properties: [] },
  // A leak report: the unit, where on it, how it was detected, when; the finder is the caller.
  LeakReportInput: { required: ["unitId", "foundAt", "locationOnUnit", "detectionMethod"], properties: ["notes"] },
  LeakRepairInput: { required: ["repairedAt", "description"], properties: [] },
  LeakVerificationInput: { required: ["kind", "testedAt", "passed"], properties: [] },
  // A retrofit/retirement plan, done within one year (the engine's date unless an earlier one).
  LeakRetrofitPlanInput: { required: ["plan"], properties: ["completeBy"] },
  LeakCloseInput: { required: ["outcome"], properties: ["note"] },
  // Issue 4. A job (work order): customer, location, units, project, description, priority; a
  // manager changes its status by hand only to complete, cancel (with a reason) or reopen it.
  JobCreateInput: {
    required: ["customerId", "locationId", "description"],
    properties: ["unitIds", "projectId", "priority"],
  },
  JobPatchInput: {
    required: [],
    properties: ["description", "priority", "projectId", "unitIds", "status", "cancelReason"],
  },
  JobNoteInput: { required: ["body"], properties: [] },
  ProjectCreateInput: { required: ["name"], properties: ["description", "customerId", "dueDate"] },
  ProjectPatchInput: { required: [], properties: ["name", "description", "customerId", "dueDate", "status"] },
  // An appointment: job, start, duration (default 2 h), one or more technicians, note.
  AppointmentCreateInput: {
    required: ["jobId", "startsAt", "technicianIds"],
    properties: ["durationMinutes", "note"],
  },
  AppointmentPatchInput: { required: [], properties: ["startsAt", "durationMinutes", "technicianIds", "note"] },
  AppointmentProgressInput: { required: [], properties: ["note"] },
  // Complete: jobComplete false when a return visit is needed.
  AppointmentCompleteInput: { required: [], properties: ["note", "jobComplete"] },
  AppointmentCancelInput: { required: [], properties: ["reason"] },
  // Issue 5. A territory: US states and/or ZIP prefixes; its reps are replaced as a whole.
  TerritoryCreateInput: { required: ["name"], properties: ["states", "zipPrefixes"] },
  TerritoryPatchInput: { required: [], properties: ["name", "states", "zipPrefixes"] },
  TerritoryAssigneesInput: { required: ["userIds"], properties: [] },
  // A lead: company, contact, where, value (cents), next step, due date; the stage moves on a PATCH.
  LeadCreateInput: {
    required: ["company"],
    properties: ["contactName", "email", "phone", "state", "zip", "valueCents", "nextStep", "dueDate", "notes"],
  },
  LeadPatchInput: {
    required: [],
    properties: [
      "company",
      "contactName",
      "email",
      "phone",
      "state",
      "zip",
      "valueCents",
      "nextStep",
      "dueDate",
      "notes",
      "stage",
      "lostReason",
    ],
  },
  LeadConvertInput: { required: [], properties: ["name", "email", "phone", "location"] },
  CylinderSellInput: { required: ["customerId"], properties: ["note"] },
  CheckoutInput: { required: ["plan"], properties: [] },
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
      expect(op.requestBody?.required).toBe(!OPTIONAL_BODIES.has(body ?? ""));
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

  it("spells out the refrigerant-tracking enums and filters a client needs (issue 3, SPEC §5)", async () => {
    const { schemas } = (await loadDoc()).components;
    const enumOf = async (schema: { $ref?: string }) => (await resolve(schema)).schema.enum;
    expect(await enumOf(schemas.UnitCreateInput.properties.category)).toEqual([
      "COMFORT_COOLING",
      "COMMERCIAL_REFRIGERATION",
      "INDUSTRIAL_PROCESS",
      "REFRIGERATED_TRANSPORT",
      "OTHER",
    ]);
    expect(await enumOf(schemas.UnitCreateInput.properties.fullChargeMethod)).toEqual([
      "MANUFACTURER",
      "CALCULATION",
      "MEASUREMENT",
      "RANGE_MIDPOINT",
    ]);
    expect(await enumOf(schemas.CylinderCreateInput.properties.kind)).toEqual(["VIRGIN", "RECOVERY", "RECLAIMED"]);
    expect(await enumOf(schemas.CylinderCreateInput.properties.status)).toEqual([
      "IN_STOCK",
      "ASSIGNED",
      "EMPTY",
      "FOR_SALE",
      "SOLD",
      "RETIRED",
    ]);
    expect(await enumOf(schemas.TransferCreateInput.properties.kind)).toEqual([
      "CHARGE",
      "RECOVER",
      "CYLINDER_TO_CYLINDER",
    ]);
    expect(await enumOf(schemas.LeakVerificationInput.properties.kind)).toEqual(["INITIAL", "FOLLOW_UP"]);

    const queryOf = async (path: string) =>
      ((await operation("GET", path)).parameters ?? [])
        .filter((p: { in: string }) => p.in === "query")
        .map((p: { name: string }) => p.name);
    expect(await queryOf("/api/orgs/{orgId}/cylinders")).toEqual(expect.arrayContaining(["status", "kind", "holder"]));
    expect(await queryOf("/api/orgs/{orgId}/transfers")).toEqual(expect.arrayContaining(["status"]));
    expect(await queryOf("/api/orgs/{orgId}/leaks")).toEqual(expect.arrayContaining(["status", "overdue"]));
    // reports/compliance?from&to, as JSON, ?format=csv, and a PDF.
    const report = await operation("GET", "/api/orgs/{orgId}/reports/compliance");
    expect(await queryOf("/api/orgs/{orgId}/reports/compliance")).toEqual(
      expect.arrayContaining(["from", "to", "format"]),
    );
    const format = report.parameters.find((p: { name: string }) => p.name === "format");
    expect(format.schema.enum).toEqual(expect.arrayContaining(["csv", "pdf"]));
    expect(Object.keys(report.responses["200"].content)).toEqual(
      expect.arrayContaining(["application/json", "text/csv", "application/pdf"]),
    );
  });

  it("says a recorded CHARGE answers with its leak rate: method, percent, threshold, exceeded, alert", async () => {
    const op = await operation("POST", "/api/orgs/{orgId}/transfers");
    const { name, schema } = await resolve(op.responses["201"].content["application/json"].schema);
    expect(name).toBe("Transfer");
    const nullable = schema.properties.leakRate;
    const ref = nullable.$ref ? nullable : (nullable.anyOf ?? nullable.oneOf).find((s: { $ref?: string }) => s.$ref);
    const leakRate = (await resolve(ref)).schema;
    expect(leakRate.required).toEqual(expect.arrayContaining(["method", "percent", "threshold", "exceeded", "alert"]));
    expect(leakRate.properties.method.enum).toEqual(["ANNUALIZING", "ROLLING_AVERAGE"]);
  });

  it("is served the same to a signed-in user", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "SALES" });
    const res = await api("/api/openapi.json", { cookie: await signIn(user.id) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await loadDoc());
  });
});
