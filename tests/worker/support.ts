/**
 * Extra fixtures for the API tests (authorization matrix, auth, validation, users, orgs, OpenAPI).
 * Built on `helpers.ts`; nothing here bypasses the API except to arrange or inspect state.
 */
import { env, exports } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { expect } from "vitest";
import { buildOrg, buildUser } from "../../db/factories";
import {
  appointments,
  appointmentTechnicians,
  customers,
  cylinders,
  jobs,
  jobUnits,
  leads,
  leaks,
  locations,
  organizations,
  projects,
  type Role,
  territories,
  territoryAssignments,
  transfers,
  units,
  userOrgAccess,
  users,
} from "../../db/schema";
import { type ApiResponse, ORG_ROLES, type OrgRole, type TestOrg, type TestUser, testDb } from "./helpers";

export const ROLES: readonly Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];

let sequence = 0;
/** A string no other test in this run uses (emails, names, IPs). */
export const unique = (prefix = "t") => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`;
export const uniqueEmail = (prefix = "person") => `${unique(prefix)}@example.test`;
/** A fresh client address, so login throttling by IP never couples two tests. */
export const uniqueIp = () => `198.51.${Math.floor(Math.random() * 250)}.${sequence++ % 250}`;

export type MatrixTree = Awaited<ReturnType<typeof createMatrixTree>>;

/**
 * The company of `createTree()` (PRO `parent` with sub-orgs `subA`, `subB`; `users`: the parent
 * admin in `parent`, the org roles in `subA`; `sibling`: the org roles in `subB`; `other`: an
 * unrelated FREE company with `outsiders`), plus what a role x tenancy matrix needs:
 * - `roving`: the four org roles at home in `subA` with `subB` in their accessibleOrgIds;
 * - `targets`: per org id, a TECHNICIAN at home there, for the user routes to act on.
 * Written in one D1 batch: the matrix builds hundreds of these.
 */
export async function createMatrixTree() {
  const parent = buildOrg({ plan: "PRO" });
  const subA = buildOrg({ parentOrgId: parent.id, plan: "PRO" });
  const subB = buildOrg({ parentOrgId: parent.id, plan: "PRO" });
  const other = buildOrg({ plan: "FREE" });
  const staffOf = (orgId: string) =>
    Object.fromEntries(ORG_ROLES.map((role) => [role, buildUser({ orgId, role })])) as Record<
      OrgRole,
      ReturnType<typeof buildUser>
    >;
  const staff = { PARENT_ORG_ADMIN: buildUser({ orgId: parent.id, role: "PARENT_ORG_ADMIN" }), ...staffOf(subA.id) };
  const sibling = staffOf(subB.id);
  const outsiders = {
    PARENT_ORG_ADMIN: buildUser({ orgId: other.id, role: "PARENT_ORG_ADMIN" }),
    ...staffOf(other.id),
  };
  const roving = staffOf(subA.id);
  const orgs = [parent, subA, subB, other];
  const targets = Object.fromEntries(orgs.map((org) => [org.id, buildUser({ orgId: org.id, role: "TECHNICIAN" })]));
  const allUsers = [staff, sibling, outsiders, roving].flatMap((group) => Object.values(group));
  const db = testDb();
  const results = await db.batch([
    db.insert(organizations).values(orgs),
    // D1 binds at most 100 parameters per statement: one insert per user, in the same batch.
    ...[...allUsers, ...Object.values(targets)].map((user) => db.insert(users).values(user)),
    db.insert(userOrgAccess).values(ORG_ROLES.map((role) => ({ userId: roving[role].id, orgId: subB.id }))),
    db
      .select()
      .from(organizations)
      .where(
        inArray(
          organizations.id,
          orgs.map((org) => org.id),
        ),
      ),
    db
      .select()
      .from(users)
      .where(
        inArray(
          users.orgId,
          orgs.map((org) => org.id),
        ),
      ),
  ]);
  const orgRows = results.at(-2) as TestOrg[];
  const userRows = results.at(-1) as TestUser[];
  const org = (built: { id: string }) => find(orgRows, built.id);
  const user = (built: { id: string }) => find(userRows, built.id);
  const each = <K extends string>(group: Record<K, { id: string }>) =>
    Object.fromEntries(Object.entries<{ id: string }>(group).map(([key, built]) => [key, user(built)])) as Record<
      K,
      TestUser
    >;
  return {
    parent: org(parent),
    subA: org(subA),
    subB: org(subB),
    other: org(other),
    users: each(staff),
    sibling: each(sibling),
    outsiders: each(outsiders),
    roving: each(roving),
    targets: each(targets),
    orgIds: orgs.map((built) => built.id),
  };
}

function find<T extends { id: string }>(rows: T[], id: string): T {
  const row = rows.find((candidate) => candidate.id === id);
  if (!row) throw new Error(`row ${id} was not stored`);
  return row;
}

/** A single top-level org holding one user of every role (the common small-business setup). */
export async function createCompany(plan: TestOrg["plan"] = "FREE") {
  const built = buildOrg({ plan });
  const members = ROLES.map((role) => buildUser({ orgId: built.id, role }));
  const db = testDb();
  const [, , orgRow, userRows] = await db.batch([
    db.insert(organizations).values(built),
    db.insert(users).values(members),
    db.select().from(organizations).where(eq(organizations.id, built.id)),
    db.select().from(users).where(eq(users.orgId, built.id)),
  ]);
  const byRole = Object.fromEntries(ROLES.map((role, i) => [role, find(userRows, members[i]?.id ?? "")]));
  return { org: find(orgRow, built.id), users: byRole as Record<Role, TestUser> };
}

/** Fetches any URL of the Worker (e.g. a non-localhost host) and consumes the body. */
export async function fetchWorker(url: string, init: RequestInit = {}): Promise<ApiResponse> {
  const res = await exports.default.fetch(url, init);
  const text = await res.text();
  const body = res.headers.get("Content-Type")?.includes("json") && text !== "" ? JSON.parse(text) : text;
  return { status: res.status, body, headers: res.headers };
}

/** Asserts an error response: status, stable code, a human message. */
export function expectError(res: ApiResponse, status: number, code?: string) {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { error: { code: code ?? expect.any(String), message: expect.any(String) } },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: raw rows of any table.
export type Row = Record<string, any>;

export async function sqlAll(query: string, ...params: unknown[]): Promise<Row[]> {
  const { results } = await env.DB.prepare(query)
    .bind(...params)
    .all<Row>();
  return results;
}

export async function sqlRun(query: string, ...params: unknown[]) {
  await env.DB.prepare(query)
    .bind(...params)
    .run();
}

export async function sqlCount(query: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(query)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

const TABLES = [
  "organizations",
  "users",
  "user_org_access",
  "sessions",
  "invitations",
  "support_requests",
  "audit_log",
  "login_throttle",
  "projects",
  "jobs",
  "job_units",
  "job_notes",
  "appointments",
  "appointment_technicians",
  "territories",
  "territory_assignments",
  "leads",
  "billing_events",
] as const;

/** Row counts of every table: for "nothing was written" checks in tests that run one at a time. */
export async function tableCounts(): Promise<Record<string, number>> {
  const counts = await Promise.all(TABLES.map((table) => sqlCount(`SELECT count(*) AS n FROM ${table}`)));
  return Object.fromEntries(TABLES.map((table, i) => [table, counts[i] ?? 0]));
}

/**
 * Every row that belongs to the given orgs (their orgs and sub-orgs, users, grants, sessions,
 * invitations, support requests, audit entries, customers, locations, units, cylinders and their
 * moves, transfers, leak rates, leaks), for "a denied request changed nothing" checks.
 */
export async function orgsSnapshot(orgIds: string[]) {
  const marks = orgIds.map(() => "?").join(",");
  const usersIn = `SELECT id FROM users WHERE org_id IN (${marks})`;
  const queries: [string, string[]][] = [
    [
      `SELECT * FROM organizations WHERE id IN (${marks}) OR parent_org_id IN (${marks}) ORDER BY id`,
      [...orgIds, ...orgIds],
    ],
    [`SELECT * FROM users WHERE org_id IN (${marks}) ORDER BY id`, orgIds],
    [`SELECT * FROM user_org_access WHERE user_id IN (${usersIn}) ORDER BY user_id, org_id`, orgIds],
    [`SELECT id, expires_at FROM sessions WHERE user_id IN (${usersIn}) ORDER BY id`, orgIds],
    [`SELECT * FROM invitations WHERE org_id IN (${marks}) ORDER BY id`, orgIds],
    [`SELECT * FROM support_requests WHERE org_id IN (${marks}) ORDER BY id`, orgIds],
    [`SELECT * FROM audit_log WHERE org_id IN (${marks}) ORDER BY id`, orgIds],
    ...RECORD_TABLES.map((table): [string, string[]] => [
      `SELECT * FROM ${table} WHERE org_id IN (${marks}) ORDER BY ${ORDER_BY[table] ?? "id"}`,
      orgIds,
    ]),
    [
      `SELECT * FROM job_units WHERE job_id IN (SELECT id FROM jobs WHERE org_id IN (${marks})) ORDER BY job_id, unit_id`,
      orgIds,
    ],
  ];
  const results = await env.DB.batch<Row>(queries.map(([query, params]) => env.DB.prepare(query).bind(...params)));
  const rows = (i: number) => results[i]?.results ?? [];
  return {
    organizations: rows(0),
    users: rows(1),
    access: rows(2),
    sessions: rows(3),
    invitations: rows(4),
    support: rows(5),
    audit: rows(6),
    records: {
      ...Object.fromEntries(RECORD_TABLES.map((table, i) => [table, rows(7 + i)])),
      job_units: rows(7 + RECORD_TABLES.length),
    },
  };
}

/** Tables without an `id` column, and how to order their rows. */
const ORDER_BY: Partial<Record<(typeof RECORD_TABLES)[number], string>> = {
  appointment_technicians: "appointment_id, user_id",
  territory_assignments: "territory_id, user_id",
};

/** The records tables scoped by `org_id`: refrigerant, field operations, sales, billing (job_units: by its job). */
const RECORD_TABLES = [
  "customers",
  "locations",
  "units",
  "cylinders",
  "cylinder_moves",
  "transfers",
  "leak_rates",
  "leaks",
  "projects",
  "jobs",
  "job_notes",
  "appointments",
  "appointment_technicians",
  "territories",
  "territory_assignments",
  "leads",
  "billing_events",
] as const;

export type AuditRow = {
  id: string;
  orgId: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
};

/** Audit entries about one entity, oldest first, with before/after parsed. */
export async function auditOf(entityId: string): Promise<AuditRow[]> {
  const rows = await sqlAll("SELECT * FROM audit_log WHERE entity_id = ? ORDER BY created_at, rowid", entityId);
  return rows.map((row) => ({
    id: row.id,
    orgId: row.org_id,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  }));
}

/** The token at the end of an invitation link (`…/invite/<token>`). */
export function invitationToken(url: string): string {
  const token = new URL(url).pathname.split("/").pop();
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export type Records = Awaited<ReturnType<typeof createRecords>>;

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Job numbers of `createRecords`, unique across calls (they are unique per org) and counting down
 * from 1000: the API numbers a new job after the org's highest, from 1001, so the two never meet.
 */
let nextJobNumber = 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

/**
 * Refrigerant records of one org, written straight to D1 in one batch, for the routes that act on
 * a row: a customer with a service location and an ACTIVE unit (R-410A comfort cooling, 20 lb);
 * a VIRGIN R-410A cylinder in the warehouse and one marked FOR_SALE; a PENDING 2 lb charge from the
 * first cylinder into the unit (its contents already taken out, as recording does); and leak cases
 * on the unit: OPEN, REPAIRED (no verification test yet) and VERIFIED (follow-up test passed).
 * `member` is a user of the org who recorded the charge and found the leaks.
 * Field operations: a project holding a PENDING job (`jobId`, the unit, no appointment); a
 * SCHEDULED job (`assignedJobId`) with a SCHEDULED appointment tomorrow (`appointmentId`); an
 * IN_PROGRESS job with its started appointment (`startedJobId`, `startedAppointmentId`); both
 * appointments assigned to `technicianIds`.
 * Sales: the org's branch is in IL (so its warehouse cylinders are too) and a territory covering
 * IL is assigned to `salesIds`, so they see the FOR_SALE cylinder; each of them owns a WON lead.
 */
export async function createRecords(
  orgId: string,
  member: Pick<TestUser, "id" | "name">,
  technicianIds: readonly string[] = [member.id],
  salesIds: readonly string[] = [],
) {
  const id = () => crypto.randomUUID();
  const r = {
    projectId: id(),
    jobId: id(),
    assignedJobId: id(),
    appointmentId: id(),
    startedJobId: id(),
    startedAppointmentId: id(),
    territoryId: id(),
    /** One WON, not yet converted lead per sales rep, by owner id. */
    leadIds: Object.fromEntries(salesIds.map((userId) => [userId, id()])) as Record<string, string>,
    customerId: id(),
    locationId: id(),
    unitId: id(),
    cylinderId: id(),
    forSaleCylinderId: id(),
    transferId: id(),
    openLeakId: id(),
    repairedLeakId: id(),
    verifiedLeakId: id(),
  };
  const cylinder = {
    orgId,
    refrigerant: "R-410A",
    kind: "VIRGIN" as const,
    tareWeightLb: 15,
    waterCapacityLb: 50,
  };
  const leak = {
    orgId,
    unitId: r.unitId,
    foundById: member.id,
    foundByName: member.name,
    foundAt: daysAgo(5),
    locationOnUnit: "Condenser coil, return bend",
    detectionMethod: "ELECTRONIC",
  };
  const db = testDb();
  await db.batch([
    db.insert(customers).values({ id: r.customerId, orgId, name: unique("Customer ") }),
    db.insert(locations).values({
      id: r.locationId,
      orgId,
      customerId: r.customerId,
      name: "Main St store",
      street: "1 Main St",
      city: "Springfield",
      state: "IL",
      zip: "62701",
    }),
    db.insert(units).values({
      id: r.unitId,
      orgId,
      locationId: r.locationId,
      name: unique("RTU-"),
      category: "COMFORT_COOLING",
      refrigerant: "R-410A",
      fullChargeLb: 20,
      fullChargeMethod: "MANUFACTURER",
    }),
    db.insert(cylinders).values({ ...cylinder, id: r.cylinderId, tag: unique("CYL-"), netContentsLb: 23 }),
    db
      .insert(cylinders)
      .values({ ...cylinder, id: r.forSaleCylinderId, tag: unique("SALE-"), netContentsLb: 25, status: "FOR_SALE" }),
    db.insert(transfers).values({
      id: r.transferId,
      orgId,
      kind: "CHARGE",
      unitId: r.unitId,
      fromCylinderId: r.cylinderId,
      refrigerant: "R-410A",
      amountLb: 2,
      performedAt: daysAgo(1),
      technicianId: member.id,
      technicianName: member.name,
      createdById: member.id,
    }),
    db.insert(projects).values({ id: r.projectId, orgId, name: unique("Project "), createdById: member.id }),
    ...[
      { id: r.jobId, status: "PENDING" as const, projectId: r.projectId },
      { id: r.assignedJobId, status: "SCHEDULED" as const, projectId: null },
      { id: r.startedJobId, status: "IN_PROGRESS" as const, projectId: null },
    ].map((job) =>
      db.insert(jobs).values({
        ...job,
        orgId,
        number: nextJobNumber--,
        customerId: r.customerId,
        locationId: r.locationId,
        description: "Not cooling; check the condenser",
        createdById: member.id,
      }),
    ),
    db.insert(jobUnits).values({ jobId: r.jobId, unitId: r.unitId }),
    db.insert(appointments).values([
      { id: r.appointmentId, orgId, jobId: r.assignedJobId, startsAt: daysAgo(-1), createdById: member.id },
      {
        id: r.startedAppointmentId,
        orgId,
        jobId: r.startedJobId,
        startsAt: daysAgo(0.05),
        status: "IN_PROGRESS",
        startedAt: daysAgo(0.04),
        createdById: member.id,
      },
    ]),
    ...[r.appointmentId, r.startedAppointmentId].map((appointmentId) =>
      db.insert(appointmentTechnicians).values(technicianIds.map((userId) => ({ appointmentId, userId, orgId }))),
    ),
    db.update(organizations).set({ addressState: "IL", addressZip: "62701" }).where(eq(organizations.id, orgId)),
    db.insert(territories).values({ id: r.territoryId, orgId, name: unique("Illinois "), states: ["IL"] }),
    ...salesIds.map((userId) => db.insert(territoryAssignments).values({ territoryId: r.territoryId, userId, orgId })),
    ...Object.entries(r.leadIds).map(([ownerId, leadId]) =>
      db
        .insert(leads)
        .values({ id: leadId, orgId, ownerId, company: unique("Lead "), stage: "WON", valueCents: 120000 }),
    ),
    db.insert(leaks).values({ ...leak, id: r.openLeakId, status: "OPEN" }),
    db.insert(leaks).values({
      ...leak,
      id: r.repairedLeakId,
      status: "REPAIRED",
      repairedAt: daysAgo(4),
      repairDescription: "Brazed the return bend",
    }),
    db.insert(leaks).values({
      ...leak,
      id: r.verifiedLeakId,
      status: "VERIFIED",
      repairedAt: daysAgo(4),
      repairDescription: "Brazed the return bend",
      initialTestAt: daysAgo(4),
      initialTestPassed: true,
      followUpTestAt: daysAgo(2),
      followUpTestPassed: true,
    }),
  ]);
  return r;
}
