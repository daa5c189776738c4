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
 *
 * Refrigerant-tracking routes (customers, locations, units, refrigerants, cylinders, transfers,
 * leaks, reports) act on records arranged in the org of the URL (`createRecords`); a refused write
 * changes no row of the company, an allowed one is audited under the caller. Further down: rows of
 * another org named in a URL or in a body answer as if they did not exist.
 */
import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { api, createTree, createUser, signIn, type TestOrg, type TestUser } from "./helpers";
import {
  createCompany,
  createMatrixTree,
  createRecords,
  expectError,
  type MatrixTree,
  orgsSnapshot,
  type Records,
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
/** `records`: the route acts on rows of the org in its URL, arranged with `createRecords`. */
type RouteSpec = {
  write: boolean;
  records?: true;
  call: (t: MatrixTree, org: TestOrg, r: Records, actor: TestUser) => Call;
};

/** The sub-org a DELETE acts on: B, or A when the URL's org is B. */
const subOrgFor = (t: MatrixTree, org: TestOrg) => (org.id === t.subB.id ? t.subA.id : t.subB.id);

// Refrigerant tracking (issue 3). Each call acts on fresh records of the org in the URL; write
// bodies are the smallest valid ones, so an allowed cell really writes.
const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const at = (org: TestOrg, path: string) => `/api/orgs/${org.id}${path}`;
const read = (path: (r: Records) => string): RouteSpec => ({
  write: false,
  records: true,
  call: (_t, org, r) => ({ method: "GET", path: at(org, path(r)) }),
});
const write = (method: string, path: (r: Records) => string, body?: (r: Records) => unknown): RouteSpec => ({
  write: true,
  records: true,
  call: (_t, org, r) => ({ method, path: at(org, path(r)), body: body?.(r) }),
});
const customer = (r: Records) => `/customers/${r.customerId}`;
const location = (r: Records) => `/locations/${r.locationId}`;
const unit = (r: Records) => `/units/${r.unitId}`;
const cylinder = (r: Records) => `/cylinders/${r.cylinderId}`;
const forSale = (r: Records) => `/cylinders/${r.forSaleCylinderId}`;
const transfer = (r: Records) => `/transfers/${r.transferId}`;
const leak = (id: (r: Records) => string) => (r: Records) => `/leaks/${id(r)}`;
const job = (id: (r: Records) => string) => (r: Records) => `/jobs/${id(r)}`;
const appointment = (id: (r: Records) => string) => (r: Records) => `/appointments/${id(r)}`;

const RECORD_ROUTES = {
  "GET /api/orgs/:orgId/customers": read(() => "/customers"),
  "POST /api/orgs/:orgId/customers": write(
    "POST",
    () => "/customers",
    () => ({ name: unique("Customer ") }),
  ),
  "GET /api/orgs/:orgId/customers/:customerId": read(customer),
  "PATCH /api/orgs/:orgId/customers/:customerId": write("PATCH", customer, () => ({ phone: "555-0100" })),
  "DELETE /api/orgs/:orgId/customers/:customerId": write("DELETE", customer),
  "GET /api/orgs/:orgId/locations": read(() => "/locations"),
  "POST /api/orgs/:orgId/locations": write(
    "POST",
    () => "/locations",
    (r) => ({
      customerId: r.customerId,
      name: "Warehouse",
      street: "9 Dock Rd",
      city: "Peoria",
      state: "IL",
      zip: "61602",
    }),
  ),
  "GET /api/orgs/:orgId/locations/:locationId": read(location),
  "PATCH /api/orgs/:orgId/locations/:locationId": write("PATCH", location, () => ({ name: "Main St store (rear)" })),
  "DELETE /api/orgs/:orgId/locations/:locationId": write("DELETE", location),
  "GET /api/orgs/:orgId/units": read(() => "/units"),
  "POST /api/orgs/:orgId/units": write(
    "POST",
    () => "/units",
    (r) => ({
      locationId: r.locationId,
      name: unique("Walk-in "),
      category: "COMMERCIAL_REFRIGERATION",
      refrigerant: "R-404A",
      fullChargeLb: 35,
      fullChargeMethod: "MANUFACTURER",
    }),
  ),
  "GET /api/orgs/:orgId/units/:unitId": read(unit),
  "PATCH /api/orgs/:orgId/units/:unitId": write("PATCH", unit, () => ({ serial: "SN-4471" })),
  "POST /api/orgs/:orgId/units/:unitId/decommission": write(
    "POST",
    (r) => `${unit(r)}/decommission`,
    () => ({ reason: "Replaced by a new rooftop unit", date: ago(2).slice(0, 10) }),
  ),
  "DELETE /api/orgs/:orgId/units/:unitId": write("DELETE", unit),
  "GET /api/orgs/:orgId/refrigerants": read(() => "/refrigerants"),
  "GET /api/orgs/:orgId/cylinders": read(() => "/cylinders"),
  "POST /api/orgs/:orgId/cylinders": write(
    "POST",
    () => "/cylinders",
    () => ({
      tag: unique("NEW-"),
      refrigerant: "R-410A",
      kind: "RECOVERY",
      tareWeightLb: 17,
      waterCapacityLb: 48,
      netContentsLb: 0,
    }),
  ),
  "GET /api/orgs/:orgId/cylinders/:cylinderId": read(cylinder),
  "GET /api/orgs/:orgId/cylinders/:cylinderId (FOR_SALE)": read(forSale),
  "PATCH /api/orgs/:orgId/cylinders/:cylinderId": write("PATCH", cylinder, () => ({ status: "FOR_SALE" })),
  "DELETE /api/orgs/:orgId/cylinders/:cylinderId": write("DELETE", cylinder),
  "GET /api/orgs/:orgId/cylinders/:cylinderId/moves": read((r) => `${cylinder(r)}/moves`),
  "GET /api/orgs/:orgId/cylinders/:cylinderId/moves (FOR_SALE)": read((r) => `${forSale(r)}/moves`),
  "POST /api/orgs/:orgId/cylinders/:cylinderId/moves": write(
    "POST",
    (r) => `${cylinder(r)}/moves`,
    (r) => ({ to: { holderType: "SITE", holderLocationId: r.locationId } }),
  ),
  "GET /api/orgs/:orgId/transfers": read(() => "/transfers"),
  "POST /api/orgs/:orgId/transfers": write(
    "POST",
    () => "/transfers",
    (r) => ({ kind: "CHARGE", unitId: r.unitId, fromCylinderId: r.cylinderId, amountLb: 1.5 }),
  ),
  "GET /api/orgs/:orgId/transfers/:transferId": read(transfer),
  "POST /api/orgs/:orgId/transfers/:transferId/approve": write(
    "POST",
    (r) => `${transfer(r)}/approve`,
    () => ({}),
  ),
  "POST /api/orgs/:orgId/transfers/:transferId/reject": write(
    "POST",
    (r) => `${transfer(r)}/reject`,
    () => ({ note: "Wrong unit" }),
  ),
  "POST /api/orgs/:orgId/transfers/:transferId/void": write(
    "POST",
    (r) => `${transfer(r)}/void`,
    () => ({ reason: "Entered twice" }),
  ),
  "GET /api/orgs/:orgId/leaks": read(() => "/leaks"),
  "POST /api/orgs/:orgId/leaks": write(
    "POST",
    () => "/leaks",
    (r) => ({ unitId: r.unitId, foundAt: ago(0.1), locationOnUnit: "Service valve", detectionMethod: "BUBBLE" }),
  ),
  "GET /api/orgs/:orgId/leaks/:leakId": read(leak((r) => r.openLeakId)),
  "POST /api/orgs/:orgId/leaks/:leakId/repair": write(
    "POST",
    (r) => `${leak((r) => r.openLeakId)(r)}/repair`,
    () => ({ repairedAt: ago(1), description: "Replaced the Schrader core" }),
  ),
  "POST /api/orgs/:orgId/leaks/:leakId/verification": write(
    "POST",
    (r) => `${leak((r) => r.repairedLeakId)(r)}/verification`,
    () => ({ kind: "INITIAL", testedAt: ago(3), passed: true }),
  ),
  "POST /api/orgs/:orgId/leaks/:leakId/retrofit-plan": write(
    "POST",
    (r) => `${leak((r) => r.openLeakId)(r)}/retrofit-plan`,
    () => ({ plan: "Replace the condensing unit with an R-454B system." }),
  ),
  "POST /api/orgs/:orgId/leaks/:leakId/close": write(
    "POST",
    (r) => `${leak((r) => r.verifiedLeakId)(r)}/close`,
    () => ({ outcome: "REPAIRED" }),
  ),
  "GET /api/orgs/:orgId/reports/compliance": read(() => "/reports/compliance"),
  "GET /api/orgs/:orgId/reports/compliance?format=csv": read(() => "/reports/compliance?format=csv"),
  "GET /api/orgs/:orgId/reports/compliance?format=pdf": read(() => "/reports/compliance?format=pdf"),
  "GET /api/orgs/:orgId/compliance/summary": read(() => "/compliance/summary"),
  "GET /api/orgs/:orgId/analytics": read(() => "/analytics"),
  // Field operations (issue 4). The job and appointments of `createRecords` are assigned to every
  // technician of the tree; "(not assigned)" reads a job no technician is on.
  "GET /api/orgs/:orgId/jobs": read(() => "/jobs"),
  "POST /api/orgs/:orgId/jobs": write(
    "POST",
    () => "/jobs",
    (r) => ({ customerId: r.customerId, locationId: r.locationId, unitIds: [r.unitId], description: "No cooling" }),
  ),
  "GET /api/orgs/:orgId/jobs/:jobId": read(job((r) => r.assignedJobId)),
  "GET /api/orgs/:orgId/jobs/:jobId (not assigned)": read(job((r) => r.jobId)),
  "PATCH /api/orgs/:orgId/jobs/:jobId": write(
    "PATCH",
    job((r) => r.jobId),
    () => ({ priority: "HIGH" }),
  ),
  "DELETE /api/orgs/:orgId/jobs/:jobId": write(
    "DELETE",
    job((r) => r.jobId),
  ),
  "GET /api/orgs/:orgId/jobs/:jobId/notes": read((r) => `${job((r) => r.assignedJobId)(r)}/notes`),
  "POST /api/orgs/:orgId/jobs/:jobId/notes": write(
    "POST",
    (r) => `${job((r) => r.assignedJobId)(r)}/notes`,
    () => ({ body: "Customer asked us to use the side gate." }),
  ),
  "GET /api/orgs/:orgId/projects": read(() => "/projects"),
  "POST /api/orgs/:orgId/projects": write(
    "POST",
    () => "/projects",
    () => ({ name: unique("Project ") }),
  ),
  "GET /api/orgs/:orgId/projects/:projectId": read((r) => `/projects/${r.projectId}`),
  "PATCH /api/orgs/:orgId/projects/:projectId": write(
    "PATCH",
    (r) => `/projects/${r.projectId}`,
    () => ({ name: unique("Renamed ") }),
  ),
  "GET /api/orgs/:orgId/appointments": read(() => "/appointments"),
  "POST /api/orgs/:orgId/appointments": {
    write: true,
    records: true,
    call: (t, org, r) => ({
      method: "POST",
      path: at(org, "/appointments"),
      body: { jobId: r.jobId, startsAt: ago(-2), technicianIds: [t.targets[org.id]?.id] },
    }),
  },
  "GET /api/orgs/:orgId/appointments/:appointmentId": read(appointment((r) => r.appointmentId)),
  "PATCH /api/orgs/:orgId/appointments/:appointmentId": write(
    "PATCH",
    appointment((r) => r.appointmentId),
    () => ({
      durationMinutes: 90,
    }),
  ),
  "POST /api/orgs/:orgId/appointments/:appointmentId/en-route": write(
    "POST",
    (r) => `${appointment((r) => r.appointmentId)(r)}/en-route`,
    () => ({}),
  ),
  "POST /api/orgs/:orgId/appointments/:appointmentId/start": write(
    "POST",
    (r) => `${appointment((r) => r.appointmentId)(r)}/start`,
    () => ({}),
  ),
  "POST /api/orgs/:orgId/appointments/:appointmentId/complete": write(
    "POST",
    (r) => `${appointment((r) => r.startedAppointmentId)(r)}/complete`,
    () => ({ note: "Replaced the capacitor" }),
  ),
  "POST /api/orgs/:orgId/appointments/:appointmentId/cancel": write(
    "POST",
    (r) => `${appointment((r) => r.appointmentId)(r)}/cancel`,
    () => ({ reason: "Customer rescheduled" }),
  ),
  "GET /api/orgs/:orgId/schedule": read(() => "/schedule"),
  // Sales (issue 5): the records' territory covers the org's branch (IL) and is assigned to every
  // sales rep of the tree, each of whom owns a WON lead there.
  "GET /api/orgs/:orgId/territories": read(() => "/territories"),
  "POST /api/orgs/:orgId/territories": write(
    "POST",
    () => "/territories",
    () => ({ name: unique("Territory "), states: ["WI"], zipPrefixes: ["606"] }),
  ),
  "GET /api/orgs/:orgId/territories/:territoryId": read((r) => `/territories/${r.territoryId}`),
  "PATCH /api/orgs/:orgId/territories/:territoryId": write(
    "PATCH",
    (r) => `/territories/${r.territoryId}`,
    () => ({ states: ["IL", "IN"] }),
  ),
  "POST /api/orgs/:orgId/territories/:territoryId/archive": write(
    "POST",
    (r) => `/territories/${r.territoryId}/archive`,
    () => ({}),
  ),
  "PUT /api/orgs/:orgId/territories/:territoryId/assignees": write(
    "PUT",
    (r) => `/territories/${r.territoryId}/assignees`,
    () => ({ userIds: [] }),
  ),
  "GET /api/orgs/:orgId/sales/reps": read(() => "/sales/reps"),
  "GET /api/orgs/:orgId/sales/inventory": read(() => "/sales/inventory"),
  "GET /api/orgs/:orgId/leads": read(() => "/leads"),
  "POST /api/orgs/:orgId/leads": write(
    "POST",
    () => "/leads",
    () => ({ company: unique("Prospect "), valueCents: 50000 }),
  ),
  "GET /api/orgs/:orgId/leads/:leadId": {
    write: false,
    records: true,
    call: (_t, org, r, actor) => ({ method: "GET", path: at(org, `/leads/${leadOf(r, actor)}`) }),
  },
  "GET /api/orgs/:orgId/leads/:leadId (another rep's)": {
    write: false,
    records: true,
    call: (_t, org, r, actor) => ({ method: "GET", path: at(org, `/leads/${leadOf(r, actor, "another")}`) }),
  },
  "PATCH /api/orgs/:orgId/leads/:leadId": {
    write: true,
    records: true,
    call: (_t, org, r, actor) => ({
      method: "PATCH",
      path: at(org, `/leads/${leadOf(r, actor)}`),
      body: { nextStep: "Send the signed quote" },
    }),
  },
  "POST /api/orgs/:orgId/leads/:leadId/convert": {
    write: true,
    records: true,
    call: (_t, org, r, actor) => ({ method: "POST", path: at(org, `/leads/${leadOf(r, actor)}/convert`), body: {} }),
  },
  "POST /api/orgs/:orgId/cylinders/:cylinderId/sell": write(
    "POST",
    (r) => `${forSale(r)}/sell`,
    (r) => ({ customerId: r.customerId }),
  ),
} satisfies Record<string, RouteSpec>;

/** The actor's own lead, or (for `another`, and for anyone without one) another rep's. */
function leadOf(r: Records, actor: TestUser, whose: "own" | "another" = "own"): string {
  const own = r.leadIds[actor.id];
  if (whose === "own" && own) return own;
  const other = Object.entries(r.leadIds).find(([ownerId]) => ownerId !== actor.id);
  if (!other) throw new Error("the records hold no lead of another rep");
  return other[1];
}

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
  "POST /api/orgs/:orgId/billing/checkout": {
    write: true,
    call: (_t, org) => ({ method: "POST", path: `/api/orgs/${org.id}/billing/checkout`, body: { plan: "ENTERPRISE" } }),
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
  ...RECORD_ROUTES,
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

/**
 * Rows for routes whose answer depends only on the role, in every org the caller reaches; orgs it
 * does not reach answer 404 (UNREACHED).
 */
function rows(routes: RouteKey[], want: Record<Role, Want>): Row[] {
  const { PARENT_ORG_ADMIN, ...staff } = want;
  // Staff never reach their company's top-level org: that is the org check every route shares,
  // proven by the foundation rows; the sibling and other-company columns prove each route uses it.
  const { parentOrg: _sameForEveryRoute, ...unreached } = UNREACHED;
  return routes.map((route) => ({
    route,
    own: want,
    subOrg: { PARENT_ORG_ADMIN },
    granted: staff,
    ...unreached,
  }));
}

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
    // Without payment-provider keys (tests) a checkout applies the plan directly.
    route: "POST /api/orgs/:orgId/billing/checkout",
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

  // -------------------------------------------------------------------------------------------
  // Refrigerant tracking (SPEC §4, issue 3 "Permissions"). A role is the same in every org it
  // reaches: the parent admin in each sub-org, staff in an org granted through accessibleOrgIds
  // (roving supervisors, consultants: operational work, ADR 002), so these rows hold the same
  // answers in `own`, `subOrg` and `granted`.
  // -------------------------------------------------------------------------------------------
  // Customers and locations: view = everyone (SALES: "View customer information"); create/edit =
  // MANAGER and up; delete (archive) = the admins ("manage").
  ...rows(["GET /api/orgs/:orgId/customers", "GET /api/orgs/:orgId/customers/:customerId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 200,
  }),
  ...rows(["POST /api/orgs/:orgId/customers"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["PATCH /api/orgs/:orgId/customers/:customerId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["DELETE /api/orgs/:orgId/customers/:customerId"], {
    PARENT_ORG_ADMIN: 204,
    ORG_ADMIN: 204,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["GET /api/orgs/:orgId/locations", "GET /api/orgs/:orgId/locations/:locationId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 200,
  }),
  ...rows(["POST /api/orgs/:orgId/locations"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["PATCH /api/orgs/:orgId/locations/:locationId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["DELETE /api/orgs/:orgId/locations/:locationId"], {
    PARENT_ORG_ADMIN: 204,
    ORG_ADMIN: 204,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  // Units: view, create, edit = TECHNICIAN and up (SALES "cannot modify equipment" and has no
  // units); decommission = MANAGER and up; delete = the admins.
  ...rows(["GET /api/orgs/:orgId/units", "GET /api/orgs/:orgId/units/:unitId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/units"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 201,
    SALES: 403,
  }),
  ...rows(["PATCH /api/orgs/:orgId/units/:unitId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/units/:unitId/decommission"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["DELETE /api/orgs/:orgId/units/:unitId"], {
    PARENT_ORG_ADMIN: 204,
    ORG_ADMIN: 204,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  // The refrigerant catalogue is reference data: every member reads it.
  ...rows(["GET /api/orgs/:orgId/refrigerants"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 200,
  }),
  // Cylinders: everyone lists them (SALES: FOR_SALE only, so a cylinder not for sale does not
  // exist for SALES: 404); create/edit/mark FOR_SALE = MANAGER and up; moves = TECHNICIAN and up
  // ("move only"); delete = the admins.
  ...rows(["GET /api/orgs/:orgId/cylinders"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 200,
  }),
  ...rows(["GET /api/orgs/:orgId/cylinders/:cylinderId", "GET /api/orgs/:orgId/cylinders/:cylinderId/moves"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 404,
  }),
  ...rows(
    [
      "GET /api/orgs/:orgId/cylinders/:cylinderId (FOR_SALE)",
      "GET /api/orgs/:orgId/cylinders/:cylinderId/moves (FOR_SALE)",
    ],
    { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 200, SALES: 200 },
  ),
  ...rows(["POST /api/orgs/:orgId/cylinders"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["PATCH /api/orgs/:orgId/cylinders/:cylinderId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["DELETE /api/orgs/:orgId/cylinders/:cylinderId"], {
    PARENT_ORG_ADMIN: 204,
    ORG_ADMIN: 204,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/cylinders/:cylinderId/moves"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 201,
    SALES: 403,
  }),
  // Transfers: view and record = TECHNICIAN and up (SALES "cannot perform transfers");
  // approve/reject = MANAGER and up; void = the admins.
  ...rows(["GET /api/orgs/:orgId/transfers", "GET /api/orgs/:orgId/transfers/:transferId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/transfers"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 201,
    SALES: 403,
  }),
  ...rows(
    ["POST /api/orgs/:orgId/transfers/:transferId/approve", "POST /api/orgs/:orgId/transfers/:transferId/reject"],
    {
      PARENT_ORG_ADMIN: 200,
      ORG_ADMIN: 200,
      MANAGER: 200,
      TECHNICIAN: 403,
      SALES: 403,
    },
  ),
  ...rows(["POST /api/orgs/:orgId/transfers/:transferId/void"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  // Leaks: view, report, repair, verification tests = TECHNICIAN and up; the retrofit/retirement
  // plan and closing a case = MANAGER and up.
  ...rows(["GET /api/orgs/:orgId/leaks", "GET /api/orgs/:orgId/leaks/:leakId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/leaks"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 201,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/leaks/:leakId/repair", "POST /api/orgs/:orgId/leaks/:leakId/verification"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 200,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/leaks/:leakId/retrofit-plan", "POST /api/orgs/:orgId/leaks/:leakId/close"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  // Reports and compliance: MANAGER and up ("operational" for a manager); not TECHNICIAN, SALES.
  ...rows(
    [
      "GET /api/orgs/:orgId/reports/compliance",
      "GET /api/orgs/:orgId/reports/compliance?format=csv",
      "GET /api/orgs/:orgId/reports/compliance?format=pdf",
      "GET /api/orgs/:orgId/compliance/summary",
      "GET /api/orgs/:orgId/analytics",
    ],
    { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 403, SALES: 403 },
  ),
  // Jobs: everyone in the field sees them (a technician: only jobs they are assigned to, others do
  // not exist for them); create/edit/assign = MANAGER and up; delete = the admins (seed: managers
  // "cannot delete critical records (units, cylinders, jobs)"); SALES never sees a job.
  ...rows(
    [
      "GET /api/orgs/:orgId/jobs",
      "GET /api/orgs/:orgId/jobs/:jobId",
      "GET /api/orgs/:orgId/jobs/:jobId/notes",
      "GET /api/orgs/:orgId/appointments",
      "GET /api/orgs/:orgId/appointments/:appointmentId",
    ],
    { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 200, SALES: 403 },
  ),
  ...rows(["GET /api/orgs/:orgId/jobs/:jobId (not assigned)"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 200,
    TECHNICIAN: 404,
    SALES: 403,
  }),
  ...rows(["POST /api/orgs/:orgId/jobs", "POST /api/orgs/:orgId/projects", "POST /api/orgs/:orgId/appointments"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(
    [
      "PATCH /api/orgs/:orgId/jobs/:jobId",
      "GET /api/orgs/:orgId/projects",
      "GET /api/orgs/:orgId/projects/:projectId",
      "PATCH /api/orgs/:orgId/projects/:projectId",
      "PATCH /api/orgs/:orgId/appointments/:appointmentId",
      "POST /api/orgs/:orgId/appointments/:appointmentId/cancel",
      "GET /api/orgs/:orgId/schedule",
    ],
    { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 200, TECHNICIAN: 403, SALES: 403 },
  ),
  ...rows(["DELETE /api/orgs/:orgId/jobs/:jobId"], {
    PARENT_ORG_ADMIN: 204,
    ORG_ADMIN: 204,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  // Job notes: TECHNICIAN and up ("create job notes and documentation").
  ...rows(["POST /api/orgs/:orgId/jobs/:jobId/notes"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 201,
    SALES: 403,
  }),
  // On my way / start / complete: the assigned technician's own actions (SPEC §4: "—" for the
  // other roles, who dispatch rather than work appointments).
  ...rows(
    [
      "POST /api/orgs/:orgId/appointments/:appointmentId/en-route",
      "POST /api/orgs/:orgId/appointments/:appointmentId/start",
      "POST /api/orgs/:orgId/appointments/:appointmentId/complete",
    ],
    { PARENT_ORG_ADMIN: 403, ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 200, SALES: 403 },
  ),
  // Sales territories: the parent admin assigns them; an org admin reads them; a rep reads their
  // own (the records' territory is assigned to every rep); managers and technicians have none.
  ...rows(["GET /api/orgs/:orgId/territories", "GET /api/orgs/:orgId/territories/:territoryId"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 200,
  }),
  ...rows(["POST /api/orgs/:orgId/territories"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 403,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 403,
  }),
  ...rows(
    [
      "PATCH /api/orgs/:orgId/territories/:territoryId",
      "POST /api/orgs/:orgId/territories/:territoryId/archive",
      "PUT /api/orgs/:orgId/territories/:territoryId/assignees",
      "GET /api/orgs/:orgId/sales/reps",
    ],
    { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 403, MANAGER: 403, TECHNICIAN: 403, SALES: 403 },
  ),
  // The for-sale inventory: reps (theirs) and the admins; leads: reps own theirs, the admins view
  // every lead read-only (SPEC §4: "view"), managers and technicians have no part in sales.
  ...rows(
    ["GET /api/orgs/:orgId/sales/inventory", "GET /api/orgs/:orgId/leads", "GET /api/orgs/:orgId/leads/:leadId"],
    { PARENT_ORG_ADMIN: 200, ORG_ADMIN: 200, MANAGER: 403, TECHNICIAN: 403, SALES: 200 },
  ),
  ...rows(["GET /api/orgs/:orgId/leads/:leadId (another rep's)"], {
    PARENT_ORG_ADMIN: 200,
    ORG_ADMIN: 200,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 404,
  }),
  ...rows(["PATCH /api/orgs/:orgId/leads/:leadId"], {
    PARENT_ORG_ADMIN: 403,
    ORG_ADMIN: 403,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 200,
  }),
  ...rows(["POST /api/orgs/:orgId/leads", "POST /api/orgs/:orgId/leads/:leadId/convert"], {
    PARENT_ORG_ADMIN: 403,
    ORG_ADMIN: 403,
    MANAGER: 403,
    TECHNICIAN: 403,
    SALES: 201,
  }),
  // Selling a for-sale cylinder to a customer: MANAGER and up, like every other cylinder edit.
  ...rows(["POST /api/orgs/:orgId/cylinders/:cylinderId/sell"], {
    PARENT_ORG_ADMIN: 201,
    ORG_ADMIN: 201,
    MANAGER: 201,
    TECHNICIAN: 403,
    SALES: 403,
  }),
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

// Read-only cells share one tree. A write cell of the foundation routes gets a fresh tree (those
// writes change the tree itself: names, plans, users, sub-orgs); a write cell of a records route
// acts on fresh records in a tree shared by its row (its writes change only its own records).
let sharedTree: Promise<MatrixTree> | undefined;
const shared = () => {
  sharedTree ??= createMatrixTree();
  return sharedTree;
};
const rowTrees = new Map<RouteKey, Promise<MatrixTree>>();
function treeFor(route: RouteKey, spec: RouteSpec): Promise<MatrixTree> {
  if (!spec.write) return shared();
  if (!spec.records) return createMatrixTree();
  let tree = rowTrees.get(route);
  if (!tree) {
    tree = createMatrixTree();
    rowTrees.set(route, tree);
  }
  return tree;
}
const sharedRecords = new Map<string, Promise<Records>>();

/** A member of the org who records its charge and finds its leaks (see `createRecords`). */
function memberOf(t: MatrixTree, org: TestOrg): TestUser {
  if (org.id === t.parent.id) return t.users.PARENT_ORG_ADMIN;
  if (org.id === t.subA.id) return t.users.TECHNICIAN;
  if (org.id === t.subB.id) return t.sibling.TECHNICIAN;
  return t.outsiders.TECHNICIAN;
}

/** Every technician of the tree: the records' appointments are assigned to all of them. */
/** Every SALES user of the tree: the records' territory (holding its cylinders) is theirs. */
const salesOf = (t: MatrixTree) =>
  [t.users.SALES, t.roving.SALES, t.sibling.SALES, t.outsiders.SALES].map((user) => user.id);
const techniciansOf = (t: MatrixTree) =>
  [t.users.TECHNICIAN, t.roving.TECHNICIAN, t.sibling.TECHNICIAN, t.outsiders.TECHNICIAN].map((user) => user.id);

const noRecords = new Proxy({} as Records, {
  get: (_target, key) => {
    if (key === "then") return undefined; // not a thenable: it is awaited
    throw new Error(`this route declares no records (read ${String(key)})`);
  },
});

/**
 * Fresh records for a write that should succeed; otherwise the tree's records (one set per org),
 * which reads and refusals leave as they are.
 */
function recordsFor(spec: RouteSpec, t: MatrixTree, org: TestOrg, allowed: boolean): Promise<Records> {
  if (!spec.records) return Promise.resolve(noRecords);
  if (spec.write && allowed) return createRecords(org.id, memberOf(t, org), techniciansOf(t), salesOf(t));
  const key = `${t.parent.id}:${org.id}`;
  let records = sharedRecords.get(key);
  if (!records) {
    records = createRecords(org.id, memberOf(t, org), techniciansOf(t), salesOf(t));
    sharedRecords.set(key, records);
  }
  return records;
}

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

  it("covers every org route the API documents", async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>("/api/openapi.json");
    const documented = Object.entries(doc.body.paths)
      .filter(([path]) => path.startsWith("/orgs/"))
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} /api${path.replace(/\{(\w+)\}/g, ":$1")}`),
      );
    // A route may have several keys (a FOR_SALE cylinder, a report format): one is enough.
    const tested = Object.keys(ROUTES).map((route) => route.replace(/ \(.*\)$|\?.*$/, ""));
    expect(new Set(tested)).toEqual(new Set(documented));
  });

  it.each(cells.map((cell) => [cell.name, cell] as const))(
    "%s",
    async (_name, { route, context, role, status, code }) => {
      const spec: RouteSpec = ROUTES[route];
      const t = await treeFor(route, spec);
      const { actor, org } = actorAndOrg(t, context, role);
      const cookie = spec.write && !spec.records ? await signIn(actor.id) : await cookieOf(actor);
      const call = spec.call(t, org, await recordsFor(spec, t, org, status < 400), actor);
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

const unauthenticatedCall = async (route: string, t: MatrixTree): Promise<Call> => {
  if (route === "GET /api/me") return { method: "GET", path: "/api/me" };
  const spec: RouteSpec = ROUTES[route as RouteKey];
  return spec.call(t, t.parent, await recordsFor(spec, t, t.parent, false), t.users.PARENT_ORG_ADMIN);
};

describe("unauthenticated", () => {
  const routes = [["GET /api/me"], ...Object.keys(ROUTES).map((route) => [route])] as [string][];

  it.each(routes)("%s -> 401 without a session", async (route) => {
    const t = await shared();
    const call = await unauthenticatedCall(route, t);
    const before = await orgsSnapshot(t.orgIds);
    const res = await api(call.path, { method: call.method, body: call.body });
    expectError(res, 401, "UNAUTHENTICATED");
    expect(await orgsSnapshot(t.orgIds)).toEqual(before);
  });

  it.each(routes)("%s -> 401 with a forged session cookie, which is cleared", async (route) => {
    const t = await shared();
    const call = await unauthenticatedCall(route, t);
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

/** The shared tree with records in each of its orgs, for refusals only (they change nothing). */
async function withRecords() {
  const t = await shared();
  const orgs = [t.parent, t.subA, t.subB, t.other];
  const all = await Promise.all(orgs.map((org) => recordsFor(ROUTES["GET /api/orgs/:orgId/units"], t, org, false)));
  return { t, records: Object.fromEntries(orgs.map((org, i) => [org.id, all[i] as Records])) };
}

// Records: a row of another org, named in the URL of an org the caller reaches, answers
// 404 to a caller who may otherwise act on it (the admins hold every records permission).
const ROW_ROUTES: RouteKey[] = [
  ...(Object.keys(RECORD_ROUTES) as (keyof typeof RECORD_ROUTES)[]).filter((route) =>
    /:(customer|location|unit|cylinder|transfer|leak)Id/.test(route),
  ),
  // Field operations and sales rows the admins may act on.
  "GET /api/orgs/:orgId/jobs/:jobId",
  "PATCH /api/orgs/:orgId/jobs/:jobId",
  "DELETE /api/orgs/:orgId/jobs/:jobId",
  "GET /api/orgs/:orgId/jobs/:jobId/notes",
  "POST /api/orgs/:orgId/jobs/:jobId/notes",
  "GET /api/orgs/:orgId/projects/:projectId",
  "PATCH /api/orgs/:orgId/projects/:projectId",
  "GET /api/orgs/:orgId/appointments/:appointmentId",
  "PATCH /api/orgs/:orgId/appointments/:appointmentId",
  "POST /api/orgs/:orgId/appointments/:appointmentId/cancel",
  "GET /api/orgs/:orgId/territories/:territoryId",
  "GET /api/orgs/:orgId/leads/:leadId",
];
type RecordReach = {
  name: string;
  route: RouteKey;
  actor: (t: MatrixTree) => TestUser;
  via: (t: MatrixTree) => TestOrg;
  whose: (t: MatrixTree) => TestOrg;
};
const RECORDS_OUT_OF_REACH: RecordReach[] = ROW_ROUTES.flatMap((route) => [
  {
    name: `ORG_ADMIN of A: ${route}, a row of sibling B through A -> 404`,
    route,
    actor: (t) => t.users.ORG_ADMIN,
    via: (t) => t.subA,
    whose: (t) => t.subB,
  },
  {
    name: `PARENT_ORG_ADMIN: ${route}, a row of sub-org B through sub-org A -> 404`,
    route,
    actor: (t) => t.users.PARENT_ORG_ADMIN,
    via: (t) => t.subA,
    whose: (t) => t.subB,
  },
  {
    name: `PARENT_ORG_ADMIN: ${route}, a row of another company through the parent org -> 404`,
    route,
    actor: (t) => t.users.PARENT_ORG_ADMIN,
    via: (t) => t.parent,
    whose: (t) => t.other,
  },
]);

describe("records outside the caller's reach", () => {
  it.each(RECORDS_OUT_OF_REACH.map((c) => [c.name, c] as const))("%s", async (_name, { route, actor, via, whose }) => {
    const { t, records } = await withRecords();
    const spec: RouteSpec = ROUTES[route];
    const { method, path, body } = spec.call(t, via(t), records[whose(t).id] as Records, actor(t));
    const cookie = await cookieOf(actor(t));
    const before = await orgsSnapshot(t.orgIds);
    const res = await api(path, { method, body, cookie });
    expectError(res, 404, "NOT_FOUND");
    expect(await orgsSnapshot(t.orgIds)).toEqual(before);
  });
});

// A write in sub-org A that names a row of another org in its body answers exactly as for an id
// that does not exist (existence does not leak), and writes nothing.
type Ref = { records: Records; user: string };
type ReferenceCase = {
  name: string;
  call: (t: MatrixTree, own: Records, ref: Ref) => Call;
};
const inA = (t: MatrixTree, path: string) => at(t.subA, path);
const REFERENCES: ReferenceCase[] = [
  {
    name: "POST locations for its customer",
    call: (t, _own, ref) => ({
      method: "POST",
      path: inA(t, "/locations"),
      body: {
        customerId: ref.records.customerId,
        name: "Annex",
        street: "2 Main St",
        city: "Peoria",
        state: "IL",
        zip: "61602",
      },
    }),
  },
  {
    name: "POST units at its location",
    call: (t, _own, ref) => ({
      method: "POST",
      path: inA(t, "/units"),
      body: {
        locationId: ref.records.locationId,
        name: "RTU-9",
        category: "COMFORT_COOLING",
        refrigerant: "R-410A",
        fullChargeLb: 12,
        fullChargeMethod: "MANUFACTURER",
      },
    }),
  },
  {
    name: "POST units at a new location of its customer",
    call: (t, _own, ref) => ({
      method: "POST",
      path: inA(t, "/units"),
      body: {
        location: {
          customerId: ref.records.customerId,
          name: "Annex",
          street: "2 Main St",
          city: "Peoria",
          state: "IL",
          zip: "61602",
        },
        name: "RTU-9",
        category: "COMFORT_COOLING",
        refrigerant: "R-410A",
        fullChargeLb: 12,
        fullChargeMethod: "MANUFACTURER",
      },
    }),
  },
  {
    name: "POST cylinders held at its site",
    call: (t, _own, ref) => ({
      method: "POST",
      path: inA(t, "/cylinders"),
      body: {
        tag: unique("REF-"),
        refrigerant: "R-410A",
        kind: "VIRGIN",
        tareWeightLb: 15,
        waterCapacityLb: 50,
        netContentsLb: 25,
        holder: { holderType: "SITE", holderLocationId: ref.records.locationId },
      },
    }),
  },
  {
    name: "POST cylinders on its technician's truck",
    call: (t, _own, ref) => ({
      method: "POST",
      path: inA(t, "/cylinders"),
      body: {
        tag: unique("REF-"),
        refrigerant: "R-410A",
        kind: "VIRGIN",
        tareWeightLb: 15,
        waterCapacityLb: 50,
        netContentsLb: 25,
        holder: { holderType: "TECHNICIAN", holderUserId: ref.user },
      },
    }),
  },
  {
    name: "POST a cylinder move to its site",
    call: (t, own, ref) => ({
      method: "POST",
      path: inA(t, `/cylinders/${own.cylinderId}/moves`),
      body: { to: { holderType: "SITE", holderLocationId: ref.records.locationId } },
    }),
  },
  {
    name: "POST a cylinder move to its technician's truck",
    call: (t, own, ref) => ({
      method: "POST",
      path: inA(t, `/cylinders/${own.cylinderId}/moves`),
      body: { to: { holderType: "TECHNICIAN", holderUserId: ref.user } },
    }),
  },
  {
    name: "POST a charge into its unit",
    call: (t, own, ref) => ({
      method: "POST",
      path: inA(t, "/transfers"),
      body: { kind: "CHARGE", unitId: ref.records.unitId, fromCylinderId: own.cylinderId, amountLb: 1 },
    }),
  },
  {
    name: "POST a charge from its cylinder",
    call: (t, own, ref) => ({
      method: "POST",
      path: inA(t, "/transfers"),
      body: { kind: "CHARGE", unitId: own.unitId, fromCylinderId: ref.records.cylinderId, amountLb: 1 },
    }),
  },
  {
    name: "POST a cylinder-to-cylinder transfer into its cylinder",
    call: (t, own, ref) => ({
      method: "POST",
      path: inA(t, "/transfers"),
      body: {
        kind: "CYLINDER_TO_CYLINDER",
        fromCylinderId: own.cylinderId,
        toCylinderId: ref.records.cylinderId,
        amountLb: 1,
      },
    }),
  },
  {
    name: "POST a charge recorded for its technician",
    call: (t, own, ref) => ({
      method: "POST",
      path: inA(t, "/transfers"),
      body: { kind: "CHARGE", unitId: own.unitId, fromCylinderId: own.cylinderId, amountLb: 1, technicianId: ref.user },
    }),
  },
  {
    name: "POST a leak on its unit",
    call: (t, _own, ref) => ({
      method: "POST",
      path: inA(t, "/leaks"),
      body: {
        unitId: ref.records.unitId,
        foundAt: ago(0.1),
        locationOnUnit: "Service valve",
        detectionMethod: "BUBBLE",
      },
    }),
  },
];

/** Ids that exist nowhere, shaped like real ones. */
const missingRecords = (): Records => ({
  customerId: crypto.randomUUID(),
  locationId: crypto.randomUUID(),
  unitId: crypto.randomUUID(),
  cylinderId: crypto.randomUUID(),
  forSaleCylinderId: crypto.randomUUID(),
  transferId: crypto.randomUUID(),
  openLeakId: crypto.randomUUID(),
  repairedLeakId: crypto.randomUUID(),
  verifiedLeakId: crypto.randomUUID(),
  projectId: crypto.randomUUID(),
  jobId: crypto.randomUUID(),
  assignedJobId: crypto.randomUUID(),
  appointmentId: crypto.randomUUID(),
  startedJobId: crypto.randomUUID(),
  startedAppointmentId: crypto.randomUUID(),
  territoryId: crypto.randomUUID(),
  leadIds: {},
});

describe("references to another org's rows in a body", () => {
  const cases = REFERENCES.flatMap((c) => [
    { ...c, name: `ORG_ADMIN of A: ${c.name} of sibling B -> as for a missing id`, whose: "subB" as const },
    { ...c, name: `ORG_ADMIN of A: ${c.name} of another company -> as for a missing id`, whose: "other" as const },
  ]);
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, { call, whose }) => {
    const { t, records } = await withRecords();
    const own = records[t.subA.id] as Records;
    const foreign: Ref = { records: records[t[whose].id] as Records, user: memberOf(t, t[whose]).id };
    const missing: Ref = { records: missingRecords(), user: crypto.randomUUID() };
    const cookie = await cookieOf(t.users.ORG_ADMIN);
    const before = await orgsSnapshot(t.orgIds);

    const refused = await api(call(t, own, missing).path, { ...call(t, own, missing), cookie });
    const res = await api(call(t, own, foreign).path, { ...call(t, own, foreign), cookie });

    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expectError(res, refused.status, refused.body.error.code);
    // Word for word: no message or field tells the two apart.
    expect(res.body).toEqual(refused.body);
    expect(await orgsSnapshot(t.orgIds)).toEqual(before);
  });
});

const createUserIn = (orgId: string, role: Role) => createUser({ orgId, role });
