/**
 * GET /api/orgs/:orgId/analytics: exact figures against rows arranged in two sub-orgs (and an
 * unrelated company whose rows must never count), the company view of a parent org admin against
 * the one-org view of everyone else, and who may ask.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  appointments,
  appointmentTechnicians,
  customers,
  cylinders,
  jobs,
  leakRates,
  leaks,
  locations,
  organizations,
  type transfers,
  transfers as transfersTable,
} from "../../db/schema";
import type { Analytics, OrgFigures } from "../../worker/analytics/schemas";
import { instantToZonedLocal, zonedLocalToInstant } from "../../worker/transfers/dates";
import { api, createTree, createUnitAtSite, createUser, signIn, type TestUser, type Tree, testDb } from "./helpers";
import { expectError } from "./support";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const id = () => crypto.randomUUID();

/** The first instant of today in New York (the factories' time zone). */
function todayStart(now = new Date()) {
  const start = zonedLocalToInstant(instantToZonedLocal(now, "America/New_York").slice(0, 10), "America/New_York");
  if (!start) throw new Error("no today");
  return start.getTime();
}

/** A site (customer + location) and a creator, to hang jobs on. */
async function site(orgId: string) {
  const db = testDb();
  const customer = await db.insert(customers).values({ id: id(), orgId, name: "Figures Co" }).returning().get();
  const location = await db
    .insert(locations)
    .values({
      id: id(),
      orgId,
      customerId: customer.id,
      name: "Plant",
      street: "1 Main St",
      city: "Albany",
      state: "NY",
      zip: "12207",
    })
    .returning()
    .get();
  return { customerId: customer.id, locationId: location.id };
}

let jobNumber = 1000;
async function job(orgId: string, createdById: string, status: (typeof jobs.$inferInsert)["status"], deleted = false) {
  const where = await site(orgId);
  return testDb()
    .insert(jobs)
    .values({
      id: id(),
      orgId,
      number: jobNumber++,
      ...where,
      description: "Figures job",
      status,
      createdById,
      deletedAt: deleted ? new Date() : null,
    })
    .returning()
    .get();
}

async function appointment(
  orgId: string,
  jobId: string,
  createdById: string,
  startsAt: number,
  minutes: number,
  technicianIds: string[],
  status: (typeof appointments.$inferInsert)["status"] = "SCHEDULED",
) {
  const db = testDb();
  const row = await db
    .insert(appointments)
    .values({ id: id(), orgId, jobId, startsAt: new Date(startsAt), durationMinutes: minutes, status, createdById })
    .returning()
    .get();
  for (const userId of technicianIds) {
    await db.insert(appointmentTechnicians).values({ appointmentId: row.id, userId, orgId });
  }
  return row;
}

type TransferInput = Partial<typeof transfers.$inferInsert> & {
  kind: (typeof transfers.$inferInsert)["kind"];
  refrigerant: string;
  amountLb: number;
};
async function transfer(orgId: string, tech: TestUser, input: TransferInput) {
  return testDb()
    .insert(transfersTable)
    .values({
      id: id(),
      orgId,
      performedAt: new Date(Date.now() - 1000),
      technicianId: tech.id,
      technicianName: tech.name,
      createdById: tech.id,
      status: "APPROVED",
      ...input,
    })
    .returning()
    .get();
}

async function cylinder(
  orgId: string,
  refrigerant: string,
  netContentsLb: number,
  extra: Partial<typeof cylinders.$inferInsert> = {},
) {
  await testDb()
    .insert(cylinders)
    .values({
      id: id(),
      orgId,
      tag: `CYL-${id().slice(0, 8)}`,
      refrigerant,
      kind: "VIRGIN",
      tareWeightLb: 15,
      waterCapacityLb: 50,
      netContentsLb,
      ...extra,
    });
}

async function leak(
  orgId: string,
  unitId: string,
  status: (typeof leaks.$inferInsert)["status"],
  repairDueAt: Date | null,
) {
  await testDb()
    .insert(leaks)
    .values({ id: id(), orgId, unitId, status, foundAt: new Date(Date.now() - 40 * DAY), repairDueAt });
}

/**
 * The arranged figures:
 * - subA: jobs 2 PENDING, 1 SCHEDULED, 1 COMPLETED (+1 deleted); today 2 appointments for its
 *   technician (2 h + 1.5 h) plus a canceled one, one on a deleted job and one yesterday; approved
 *   this month: CHARGE 10 + 16 lb R-410A on a 20 lb unit (the later one over threshold: 130% is a
 *   chronic leaker), RECOVER 5 lb R-410A and 2 lb R-22; not counted: pending 3 lb (a pending
 *   approval), voided 4 lb, rejected 1 lb, 7 lb last month; leaks: OPEN overdue, OPEN due later,
 *   CLOSED; cylinders 25 + 10.5 lb R-410A, an empty R-22 (on hand), SOLD, RETIRED, deleted ones not.
 * - subB: jobs IN_PROGRESS, CANCELED; 1 appointment today; CHARGE 4 lb R-404A, RECOVER 3 lb R-410A;
 *   1 OPEN leak without deadline; a FOR_SALE R-404A cylinder of 40 lb.
 * - the other company: a job, an appointment today, a charge, a leak, a cylinder, a pending transfer.
 */
async function arrange(t: Tree) {
  const db = testDb();
  const now = Date.now();
  const today = todayStart();
  const techA = t.users.TECHNICIAN;
  const managerA = t.users.MANAGER;
  const idleTech = await createUser({ orgId: t.subA.id, role: "TECHNICIAN" });
  await createUser({ orgId: t.subA.id, role: "TECHNICIAN", status: "DEACTIVATED" });
  const techB = t.sibling.TECHNICIAN;

  // subA jobs and appointments
  const [pending1] = await Promise.all([
    job(t.subA.id, managerA.id, "PENDING"),
    job(t.subA.id, managerA.id, "PENDING"),
    job(t.subA.id, managerA.id, "SCHEDULED"),
    job(t.subA.id, managerA.id, "COMPLETED"),
  ]);
  const deletedJob = await job(t.subA.id, managerA.id, "PENDING", true);
  if (!pending1) throw new Error("no job");
  // Mid-morning today, whatever the time now: the appointments overlap today in New York.
  await appointment(t.subA.id, pending1.id, managerA.id, today + 9 * HOUR, 120, [techA.id]);
  await appointment(t.subA.id, pending1.id, managerA.id, today + 13 * HOUR, 90, [techA.id]);
  await appointment(t.subA.id, pending1.id, managerA.id, today + 15 * HOUR, 60, [techA.id], "CANCELED");
  await appointment(t.subA.id, deletedJob.id, managerA.id, today + 10 * HOUR, 60, [techA.id]);
  await appointment(t.subA.id, pending1.id, managerA.id, today - 6 * HOUR, 120, [techA.id]);

  // subA refrigerant
  const unitA = await createUnitAtSite(t.subA.id, { refrigerant: "R-410A", fullChargeLb: 20 });
  await transfer(t.subA.id, techA, {
    kind: "CHARGE",
    unitId: unitA.id,
    refrigerant: "R-410A",
    amountLb: 10,
    performedAt: new Date(now - 2000),
  });
  const overCharge = await transfer(t.subA.id, techA, {
    kind: "CHARGE",
    unitId: unitA.id,
    refrigerant: "R-410A",
    amountLb: 16,
  });
  await db.insert(leakRates).values({
    id: id(),
    orgId: t.subA.id,
    unitId: unitA.id,
    transferId: overCharge.id,
    method: "ANNUALIZING",
    percent: 80,
    threshold: 10,
    alertLevel: 8,
    exceeded: true,
    alert: true,
    inputs: {},
    explanation: "arranged",
    ruleVersion: "test",
  });
  await transfer(t.subA.id, techA, { kind: "RECOVER", unitId: unitA.id, refrigerant: "R-410A", amountLb: 5 });
  await transfer(t.subA.id, techA, { kind: "RECOVER", refrigerant: "R-22", amountLb: 2 });
  await transfer(t.subA.id, techA, {
    kind: "CHARGE",
    unitId: unitA.id,
    refrigerant: "R-410A",
    amountLb: 3,
    status: "PENDING",
  });
  await transfer(t.subA.id, techA, {
    kind: "CHARGE",
    unitId: unitA.id,
    refrigerant: "R-410A",
    amountLb: 4,
    voidedAt: new Date(),
    voidReason: "typo",
  });
  await transfer(t.subA.id, techA, {
    kind: "CHARGE",
    unitId: unitA.id,
    refrigerant: "R-410A",
    amountLb: 1,
    status: "REJECTED",
  });
  await transfer(t.subA.id, techA, {
    kind: "CHARGE",
    unitId: unitA.id,
    refrigerant: "R-410A",
    amountLb: 7,
    performedAt: new Date(now - 40 * DAY),
  });

  // subA leaks (on another unit, so the over-threshold unit's badge stays about its rate)
  const unitA2 = await createUnitAtSite(t.subA.id);
  await leak(t.subA.id, unitA2.id, "OPEN", new Date(now - 3 * DAY));
  await leak(t.subA.id, unitA2.id, "OPEN", new Date(now + 20 * DAY));
  await leak(t.subA.id, unitA2.id, "CLOSED", new Date(now - 3 * DAY));

  // subA cylinders
  await cylinder(t.subA.id, "R-410A", 25);
  await cylinder(t.subA.id, "R-410A", 10.5, { status: "ASSIGNED", holderType: "TECHNICIAN", holderUserId: techA.id });
  await cylinder(t.subA.id, "R-22", 0, { status: "EMPTY" });
  await cylinder(t.subA.id, "R-410A", 20, { status: "SOLD" });
  await cylinder(t.subA.id, "R-410A", 0, { status: "RETIRED" });
  await cylinder(t.subA.id, "R-410A", 30, { deletedAt: new Date() });

  // subB
  const jobB = await job(t.subB.id, t.sibling.MANAGER.id, "IN_PROGRESS");
  await job(t.subB.id, t.sibling.MANAGER.id, "CANCELED");
  await appointment(t.subB.id, jobB.id, t.sibling.MANAGER.id, today + 8 * HOUR, 240, [techB.id], "IN_PROGRESS");
  await transfer(t.subB.id, techB, { kind: "CHARGE", refrigerant: "R-404A", amountLb: 4 });
  await transfer(t.subB.id, techB, { kind: "RECOVER", refrigerant: "R-410A", amountLb: 3 });
  const unitB = await createUnitAtSite(t.subB.id);
  await leak(t.subB.id, unitB.id, "OPEN", null);
  await cylinder(t.subB.id, "R-404A", 40, { status: "FOR_SALE" });

  // The other company: none of it may ever count.
  const outsider = t.outsiders.TECHNICIAN;
  const jobO = await job(t.other.id, t.outsiders.MANAGER.id, "PENDING");
  await appointment(t.other.id, jobO.id, t.outsiders.MANAGER.id, today + 9 * HOUR, 120, [outsider.id]);
  await transfer(t.other.id, outsider, { kind: "CHARGE", refrigerant: "R-410A", amountLb: 50 });
  await transfer(t.other.id, outsider, { kind: "CHARGE", refrigerant: "R-410A", amountLb: 5, status: "PENDING" });
  const unitO = await createUnitAtSite(t.other.id);
  await leak(t.other.id, unitO.id, "OPEN", new Date(now - 3 * DAY));
  await cylinder(t.other.id, "R-410A", 45);

  return { idleTech };
}

const byStatus = (values: Partial<Record<string, number>>) => ({
  PENDING: 0,
  SCHEDULED: 0,
  IN_PROGRESS: 0,
  COMPLETED: 0,
  CANCELED: 0,
  ...values,
});

const SUB_A = {
  jobs: { byStatus: byStatus({ PENDING: 2, SCHEDULED: 1, COMPLETED: 1 }), total: 4, open: 3 },
  appointmentsToday: 2,
  refrigerant: {
    byRefrigerant: [
      {
        refrigerant: "R-410A",
        gwp: 2088,
        chargedLb: 26,
        recoveredLb: 5,
        chargedCo2eTonnes: 24.625,
        recoveredCo2eTonnes: 4.736,
      },
      {
        refrigerant: "R-22",
        gwp: 1810,
        chargedLb: 0,
        recoveredLb: 2,
        chargedCo2eTonnes: 0,
        recoveredCo2eTonnes: 1.642,
      },
    ],
    chargedLb: 26,
    recoveredLb: 7,
    chargedCo2eTonnes: 24.625,
    recoveredCo2eTonnes: 6.378,
  },
  leaks: { openRepairs: 2, overdueRepairs: 1, unitsOverThreshold: 1, chronicLeakers: 1 },
  cylinders: {
    onHand: 3,
    lb: 35.5,
    byRefrigerant: [
      { refrigerant: "R-410A", count: 2, lb: 35.5 },
      { refrigerant: "R-22", count: 1, lb: 0 },
    ],
  },
  pendingApprovals: 1,
};

const SUB_B = {
  jobs: { byStatus: byStatus({ IN_PROGRESS: 1, CANCELED: 1 }), total: 2, open: 1 },
  appointmentsToday: 1,
  refrigerant: {
    byRefrigerant: [
      {
        refrigerant: "R-404A",
        gwp: 3922,
        chargedLb: 4,
        recoveredLb: 0,
        chargedCo2eTonnes: 7.116,
        recoveredCo2eTonnes: 0,
      },
      {
        refrigerant: "R-410A",
        gwp: 2088,
        chargedLb: 0,
        recoveredLb: 3,
        chargedCo2eTonnes: 0,
        recoveredCo2eTonnes: 2.841,
      },
    ],
    chargedLb: 4,
    recoveredLb: 3,
    chargedCo2eTonnes: 7.116,
    recoveredCo2eTonnes: 2.841,
  },
  leaks: { openRepairs: 1, overdueRepairs: 0, unitsOverThreshold: 0, chronicLeakers: 0 },
  cylinders: { onHand: 1, lb: 40, byRefrigerant: [{ refrigerant: "R-404A", count: 1, lb: 40 }] },
  pendingApprovals: 0,
};

const orgOf = (body: Analytics, orgId: string) => {
  const org = body.orgs.find((candidate) => candidate.orgId === orgId);
  if (!org) throw new Error(`org ${orgId} not in the answer`);
  return org;
};

describe("analytics figures", () => {
  it("adds up each sub-org side by side and the company total, for the parent org admin", async () => {
    const t = await createTree();
    const { idleTech } = await arrange(t);
    const res = await api<Analytics>(`/api/orgs/${t.parent.id}/analytics`, {
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
    });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.view).toBe("company");
    // The parent first, then its sub-orgs; never the other company.
    expect(body.orgs.map((org) => org.orgId)).toEqual([
      t.parent.id,
      ...[t.subA, t.subB].sort((a, b) => a.name.localeCompare(b.name)).map((o) => o.id),
    ]);
    expect(orgOf(body, t.parent.id)).toMatchObject({
      isParent: true,
      activeUsers: 1,
      appointmentsToday: 0,
      pendingApprovals: 0,
    });
    expect(orgOf(body, t.subA.id)).toMatchObject({
      ...SUB_A,
      isParent: false,
      name: t.subA.name,
      timeZone: "America/New_York",
    });
    // createTree's four staff plus the idle technician; the deactivated one does not count.
    expect(orgOf(body, t.subA.id).activeUsers).toBe(5);
    expect(orgOf(body, t.subB.id)).toMatchObject({ ...SUB_B, activeUsers: 4 });

    expect(body.total).toMatchObject({
      activeUsers: 10,
      jobs: {
        byStatus: byStatus({ PENDING: 2, SCHEDULED: 1, IN_PROGRESS: 1, COMPLETED: 1, CANCELED: 1 }),
        total: 6,
        open: 4,
      },
      appointmentsToday: 3,
      refrigerant: {
        chargedLb: 30,
        recoveredLb: 10,
        // (26 lb × 2088 + 4 lb × 3922) × 0.45359237 / 1000 and (8 × 2088 + 2 × 1810) × 0.45359237 / 1000
        chargedCo2eTonnes: 31.741,
        recoveredCo2eTonnes: 9.219,
      },
      leaks: { openRepairs: 3, overdueRepairs: 1, unitsOverThreshold: 1, chronicLeakers: 1 },
      cylinders: { onHand: 4, lb: 75.5 },
      pendingApprovals: 1,
    });
    expect(body.total.refrigerant.byRefrigerant).toEqual(
      expect.arrayContaining([
        {
          refrigerant: "R-410A",
          gwp: 2088,
          chargedLb: 26,
          recoveredLb: 8,
          chargedCo2eTonnes: 24.625,
          recoveredCo2eTonnes: 7.577,
        },
        {
          refrigerant: "R-404A",
          gwp: 3922,
          chargedLb: 4,
          recoveredLb: 0,
          chargedCo2eTonnes: 7.116,
          recoveredCo2eTonnes: 0,
        },
        {
          refrigerant: "R-22",
          gwp: 1810,
          chargedLb: 0,
          recoveredLb: 2,
          chargedCo2eTonnes: 0,
          recoveredCo2eTonnes: 1.642,
        },
      ]),
    );
    expect(body.total.cylinders.byRefrigerant).toEqual([
      { refrigerant: "R-404A", count: 1, lb: 40 },
      { refrigerant: "R-410A", count: 2, lb: 35.5 },
      { refrigerant: "R-22", count: 1, lb: 0 },
    ]);

    // Today's load: 2 h + 1.5 h for subA's technician, the idle one at zero, subB's at 4 h.
    expect(body.workload).toEqual(
      expect.arrayContaining([
        { orgId: t.subA.id, userId: t.users.TECHNICIAN.id, name: t.users.TECHNICIAN.name, appointments: 2, hours: 3.5 },
        { orgId: t.subA.id, userId: idleTech.id, name: idleTech.name, appointments: 0, hours: 0 },
        {
          orgId: t.subB.id,
          userId: t.sibling.TECHNICIAN.id,
          name: t.sibling.TECHNICIAN.name,
          appointments: 1,
          hours: 4,
        },
      ]),
    );
    expect(body.workload).toHaveLength(3);
    expect(body.workload.every((row) => row.orgId !== t.other.id)).toBe(true);
  });

  it("gives a sub-org's manager and org admin that org only, the same figures", async () => {
    const t = await createTree();
    await arrange(t);
    for (const role of ["MANAGER", "ORG_ADMIN"] as const) {
      const res = await api<Analytics>(`/api/orgs/${t.subA.id}/analytics`, { cookie: await signIn(t.users[role].id) });
      expect(res.status).toBe(200);
      expect(res.body.view).toBe("org");
      expect(res.body.orgs.map((org: OrgFigures) => org.orgId)).toEqual([t.subA.id]);
      expect(res.body.orgs[0]).toMatchObject(SUB_A);
      expect(res.body.total).toMatchObject(SUB_A);
      expect(res.body.workload.map((row) => row.orgId)).toEqual([t.subA.id, t.subA.id]);
      expect(res.body.workload[0]).toMatchObject({ userId: t.users.TECHNICIAN.id, appointments: 2, hours: 3.5 });
    }
    // The parent org admin inside a branch sees that branch only.
    const inBranch = await api<Analytics>(`/api/orgs/${t.subB.id}/analytics`, {
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
    });
    expect(inBranch.body.view).toBe("org");
    expect(inBranch.body.orgs.map((org) => org.orgId)).toEqual([t.subB.id]);
    expect(inBranch.body.total).toMatchObject(SUB_B);
  });

  it("counts each org's today and month in its own time zone", async () => {
    const t = await createTree();
    // UTC+14: its day starts before New York's.
    await testDb().update(organizations).set({ timeZone: "Pacific/Kiritimati" }).where(eq(organizations.id, t.subA.id));
    const res = await api<Analytics>(`/api/orgs/${t.parent.id}/analytics`, {
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
    });
    const now = new Date();
    expect(orgOf(res.body, t.subA.id)).toMatchObject({
      timeZone: "Pacific/Kiritimati",
      today: instantToZonedLocal(now, "Pacific/Kiritimati").slice(0, 10),
      month: instantToZonedLocal(now, "Pacific/Kiritimati").slice(0, 7),
    });
    expect(orgOf(res.body, t.subB.id).today).toBe(instantToZonedLocal(now, "America/New_York").slice(0, 10));
  });

  it("leaves archived sub-orgs out of the side-by-side view", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    expect((await api(`/api/orgs/${t.parent.id}/sub-orgs/${t.subB.id}`, { method: "DELETE", cookie })).status).toBe(
      204,
    );
    const res = await api<Analytics>(`/api/orgs/${t.parent.id}/analytics`, { cookie });
    expect(res.body.orgs.map((org) => org.orgId).sort()).toEqual([t.parent.id, t.subA.id].sort());
  });

  it("answers zeros for an org with nothing recorded", async () => {
    const t = await createTree();
    const res = await api<Analytics>(`/api/orgs/${t.subA.id}/analytics`, {
      cookie: await signIn(t.users.ORG_ADMIN.id),
    });
    expect(res.body.total).toMatchObject({
      jobs: { total: 0, open: 0, byStatus: byStatus({}) },
      appointmentsToday: 0,
      refrigerant: { byRefrigerant: [], chargedLb: 0, recoveredLb: 0, chargedCo2eTonnes: 0, recoveredCo2eTonnes: 0 },
      leaks: { openRepairs: 0, overdueRepairs: 0, unitsOverThreshold: 0, chronicLeakers: 0 },
      cylinders: { onHand: 0, lb: 0, byRefrigerant: [] },
      pendingApprovals: 0,
    });
  });
});

describe("analytics permissions", () => {
  it("refuses technicians and sales (403), hides other orgs (404), asks for a session (401)", async () => {
    const t = await createTree();
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(
        await api(`/api/orgs/${t.subA.id}/analytics`, { cookie: await signIn(t.users[role].id) }),
        403,
        "FORBIDDEN",
      );
    }
    // Another company, a sibling branch, the parent of a branch user: not reachable.
    expectError(
      await api(`/api/orgs/${t.subA.id}/analytics`, { cookie: await signIn(t.outsiders.PARENT_ORG_ADMIN.id) }),
      404,
      "NOT_FOUND",
    );
    expectError(
      await api(`/api/orgs/${t.subB.id}/analytics`, { cookie: await signIn(t.users.MANAGER.id) }),
      404,
      "NOT_FOUND",
    );
    expectError(
      await api(`/api/orgs/${t.parent.id}/analytics`, { cookie: await signIn(t.users.ORG_ADMIN.id) }),
      404,
      "NOT_FOUND",
    );
    expectError(await api(`/api/orgs/${t.parent.id}/analytics`, {}), 401, "UNAUTHENTICATED");
  });

  it("is in the OpenAPI document with its response shape", async () => {
    const res = await api("/api/openapi.json");
    expect(res.body.paths["/orgs/{orgId}/analytics"]?.get).toBeDefined();
    expect(Object.keys(res.body.components.schemas)).toEqual(
      expect.arrayContaining(["Analytics", "AnalyticsOrg", "AnalyticsFigures", "TechnicianWorkload"]),
    );
  });
});
