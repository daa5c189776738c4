/**
 * Refrigerant transfers behind the API: recording (refrigerants match, dates, contents that never
 * go below zero or past the 80% rule, even under concurrent requests), the leak rate of every
 * CHARGE, review (approve/reject only from PENDING; reject restores contents; an over-threshold
 * charge opens a leak repair), void (admins; records kept), permissions and tenancy, bad input,
 * and the audit trail of every write.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { cylinders, organizations, users } from "../../db/schema";
import { DEFAULT_EPA_CONFIG } from "../../worker/orgs/epa";
import {
  api,
  createOrg,
  createTree,
  createUnitAtSite,
  createUser,
  openLive,
  signIn,
  type Tree,
  testDb,
} from "./helpers";
import { auditOf, expectError, sqlAll, sqlCount } from "./support";

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const utcDay = (iso: string) =>
  Date.UTC(new Date(iso).getUTCFullYear(), new Date(iso).getUTCMonth(), new Date(iso).getUTCDate());

async function createCylinder(orgId: string, overrides: Partial<typeof cylinders.$inferInsert> = {}) {
  return testDb()
    .insert(cylinders)
    .values({
      id: crypto.randomUUID(),
      orgId,
      tag: `CYL-${crypto.randomUUID().slice(0, 8)}`,
      refrigerant: "R-410A",
      kind: "VIRGIN",
      tareWeightLb: 15,
      waterCapacityLb: 50,
      netContentsLb: 25,
      ...overrides,
    })
    .returning()
    .get();
}

const contentsOf = async (id: string) =>
  (await testDb().select({ lb: cylinders.netContentsLb }).from(cylinders).where(eq(cylinders.id, id)).get())?.lb;
const transfersOfCylinder = (id: string) =>
  sqlCount("SELECT count(*) AS n FROM transfers WHERE from_cylinder_id = ? OR to_cylinder_id = ?", id, id);
const transfersOfUnit = (id: string) => sqlCount("SELECT count(*) AS n FROM transfers WHERE unit_id = ?", id);

let t: Tree;
let cookies: Record<
  "PARENT_ORG_ADMIN" | "ORG_ADMIN" | "MANAGER" | "TECHNICIAN" | "SALES" | "siblingTech" | "outsider",
  string
>;

beforeAll(async () => {
  t = await createTree();
  cookies = {
    PARENT_ORG_ADMIN: await signIn(t.users.PARENT_ORG_ADMIN.id),
    ORG_ADMIN: await signIn(t.users.ORG_ADMIN.id),
    MANAGER: await signIn(t.users.MANAGER.id),
    TECHNICIAN: await signIn(t.users.TECHNICIAN.id),
    SALES: await signIn(t.users.SALES.id),
    siblingTech: await signIn(t.sibling.TECHNICIAN.id),
    outsider: await signIn(t.outsiders.ORG_ADMIN.id),
  };
});

const base = () => `/api/orgs/${t.subA.id}/transfers`;
const charge = (unitId: string, fromCylinderId: string, amountLb: number, extra: Record<string, unknown> = {}) => ({
  kind: "CHARGE",
  unitId,
  fromCylinderId,
  amountLb,
  ...extra,
});
const post = (body: unknown, cookie = cookies.TECHNICIAN) => api(base(), { body, cookie });
const review = (id: string, verb: "approve" | "reject" | "void", cookie: string | undefined, body: unknown = {}) =>
  api(`${base()}/${id}/${verb}`, { body, cookie });

describe("recording", () => {
  it("records a charge as PENDING, takes it out of the cylinder, snapshots the technician", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const res = await post(charge(unit.id, cylinder.id, 2.5, { notes: "Topped up after coil repair" }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: "CHARGE",
      status: "PENDING",
      refrigerant: "R-410A",
      amountLb: 2.5,
      technician: { id: t.users.TECHNICIAN.id, name: t.users.TECHNICIAN.name },
      unit: { id: unit.id, name: unit.name },
      fromCylinder: { id: cylinder.id, tag: cylinder.tag, netContentsLb: 7.5 },
      toCylinder: null,
      notes: "Topped up after coil repair",
      review: null,
      voided: null,
    });
    expect(await contentsOf(cylinder.id)).toBe(7.5);
    // performedAt defaults to now.
    expect(Math.abs(Date.parse(res.body.performedAt) - Date.now())).toBeLessThan(60_000);
  });

  it("recovers into a recovery cylinder of the same refrigerant; no leak rate", async () => {
    const unit = await createUnitAtSite(t.subA.id, { refrigerant: "R-22" });
    const recovery = await createCylinder(t.subA.id, { kind: "RECOVERY", refrigerant: "R-22", netContentsLb: 0 });
    const res = await post({ kind: "RECOVER", unitId: unit.id, toCylinderId: recovery.id, amountLb: 3.25 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "RECOVER", refrigerant: "R-22", leakRate: null });
    expect(await contentsOf(recovery.id)).toBe(3.25);
  });

  it("moves refrigerant between two cylinders", async () => {
    const from = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const to = await createCylinder(t.subA.id, { netContentsLb: 1 });
    const res = await post({ kind: "CYLINDER_TO_CYLINDER", fromCylinderId: from.id, toCylinderId: to.id, amountLb: 4 });
    expect(res.status).toBe(201);
    expect(res.body.leakRate).toBeNull();
    expect([await contentsOf(from.id), await contentsOf(to.id)]).toEqual([6, 5]);
  });

  it("refuses refrigerants that do not match, writing nothing", async () => {
    const unit = await createUnitAtSite(t.subA.id, { refrigerant: "R-22" });
    const cylinder = await createCylinder(t.subA.id, { refrigerant: "R-410A", netContentsLb: 10 });
    const res = await post(charge(unit.id, cylinder.id, 1));
    expectError(res, 409, "REFRIGERANT_MISMATCH");
    expect(res.body.error.message).toMatch(/R-410A.*R-22/);

    const recovery = await createCylinder(t.subA.id, { kind: "RECOVERY", refrigerant: "R-410A", netContentsLb: 0 });
    expectError(
      await post({ kind: "RECOVER", unitId: unit.id, toCylinderId: recovery.id, amountLb: 1 }),
      409,
      "REFRIGERANT_MISMATCH",
    );

    const other = await createCylinder(t.subA.id, { refrigerant: "R-134a", netContentsLb: 0 });
    expectError(
      await post({ kind: "CYLINDER_TO_CYLINDER", fromCylinderId: cylinder.id, toCylinderId: other.id, amountLb: 1 }),
      409,
      "REFRIGERANT_MISMATCH",
    );
    expect(await transfersOfUnit(unit.id)).toBe(0);
    expect(await transfersOfCylinder(cylinder.id)).toBe(0);
    expect([await contentsOf(cylinder.id), await contentsOf(recovery.id)]).toEqual([10, 0]);
  });

  it("recovers only into a recovery cylinder, and never recovered refrigerant into a virgin one", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const virgin = await createCylinder(t.subA.id, { kind: "VIRGIN", netContentsLb: 0 });
    expectError(
      await post({ kind: "RECOVER", unitId: unit.id, toCylinderId: virgin.id, amountLb: 1 }),
      409,
      "NOT_RECOVERY_CYLINDER",
    );
    const recovery = await createCylinder(t.subA.id, { kind: "RECOVERY", netContentsLb: 5 });
    expectError(
      await post({ kind: "CYLINDER_TO_CYLINDER", fromCylinderId: recovery.id, toCylinderId: virgin.id, amountLb: 1 }),
      409,
      "GRADE_MISMATCH",
    );
    expect(await contentsOf(virgin.id)).toBe(0);
  });

  it("refuses a date of service in the future (400), accepts one in the past", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const res = await post(charge(unit.id, cylinder.id, 1, { performedAt: future }));
    expectError(res, 400);
    expect(res.body.error.fields).toHaveProperty("performedAt");
    expect(await transfersOfUnit(unit.id)).toBe(0);
    expect(await contentsOf(cylinder.id)).toBe(10);

    const past = daysAgo(3);
    const ok = await post(charge(unit.id, cylinder.id, 1, { performedAt: past }));
    expect(ok.status).toBe(201);
    expect(ok.body.performedAt).toBe(past);
  });

  it("refuses inactive units and sold, retired or deleted cylinders", async () => {
    const retiredUnit = await createUnitAtSite(t.subA.id, { status: "DECOMMISSIONED", decommissionReason: "Replaced" });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    expectError(await post(charge(retiredUnit.id, cylinder.id, 1)), 409, "UNIT_NOT_ACTIVE");
    const unit = await createUnitAtSite(t.subA.id);
    for (const status of ["RETIRED", "SOLD"] as const) {
      const gone = await createCylinder(t.subA.id, { netContentsLb: 10, status });
      expectError(await post(charge(unit.id, gone.id, 1)), 409, "CYLINDER_UNAVAILABLE");
    }
    const deleted = await createCylinder(t.subA.id, { netContentsLb: 10, deletedAt: new Date() });
    expectError(await post(charge(unit.id, deleted.id, 1)), 404, "NOT_FOUND");
    expect(await transfersOfUnit(unit.id)).toBe(0);
  });

  it("refuses to take more than the cylinder holds", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 3 });
    const res = await post(charge(unit.id, cylinder.id, 3.5));
    expectError(res, 409, "INSUFFICIENT_CONTENTS");
    expect(await contentsOf(cylinder.id)).toBe(3);
    // Emptying exactly is fine, even through sums that drift in floating point (0.1 + 0.2).
    const small = await createCylinder(t.subA.id, { netContentsLb: 0.3 });
    expect((await post(charge(unit.id, small.id, 0.1))).status).toBe(201);
    expect((await post(charge(unit.id, small.id, 0.2))).status).toBe(201);
    expect(await contentsOf(small.id)).toBe(0);
  });

  it("keeps contents at or above zero under concurrent charges: exactly two of five 4 lb charges fit in 10 lb", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 200 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const results = await Promise.all(Array.from({ length: 5 }, () => post(charge(unit.id, cylinder.id, 4))));
    const statuses = results.map((res) => res.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409, 409]);
    for (const res of results.filter((r) => r.status === 409)) {
      expectError(res, 409, "INSUFFICIENT_CONTENTS");
    }
    expect(await contentsOf(cylinder.id)).toBe(2);
    // No orphan rows: one transfer, one leak rate and one audit entry per success.
    expect(await transfersOfCylinder(cylinder.id)).toBe(2);
    expect(await sqlCount("SELECT count(*) AS n FROM leak_rates WHERE unit_id = ?", unit.id)).toBe(2);
    expect(
      await sqlCount(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'transfer.create' AND entity_id IN (SELECT id FROM transfers WHERE unit_id = ?)",
        unit.id,
      ),
    ).toBe(2);
    expect(
      await sqlCount(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'transfer.create' AND after LIKE ?",
        `%${unit.id}%`,
      ),
    ).toBe(2);
  });

  it("keeps recovery cylinders at or under 80% of capacity, also under concurrent recoveries", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    // 50 lb water capacity: at most 40 lb. 30 lb in it: three 3 lb recoveries fit, two do not.
    const recovery = await createCylinder(t.subA.id, { kind: "RECOVERY", netContentsLb: 30, waterCapacityLb: 50 });
    const one = await post({ kind: "RECOVER", unitId: unit.id, toCylinderId: recovery.id, amountLb: 10.5 });
    expectError(one, 409, "RECOVERY_LIMIT");
    expect(one.body.error.message).toMatch(/80%/);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        post({ kind: "RECOVER", unitId: unit.id, toCylinderId: recovery.id, amountLb: 3 }),
      ),
    );
    expect(results.map((res) => res.status).sort()).toEqual([201, 201, 201, 409, 409]);
    for (const res of results.filter((r) => r.status === 409)) expectError(res, 409, "RECOVERY_LIMIT");
    expect(await contentsOf(recovery.id)).toBe(39);
    expect(await transfersOfCylinder(recovery.id)).toBe(3);
  });
});

describe("leak rate of a charge", () => {
  it("annualizes: 2 lb into a 20 lb unit, 30 days after the previous addition = 121.67%", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20, category: "COMFORT_COOLING" });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 20 });
    const now = new Date();
    const previous = new Date(now.getTime() - 30 * DAY).toISOString();
    const first = await post(charge(unit.id, cylinder.id, 1, { performedAt: previous }));
    expect(first.status).toBe(201);
    const res = await post(charge(unit.id, cylinder.id, 2, { performedAt: now.toISOString() }));
    expect(res.status).toBe(201);
    expect(res.body.leakRate).toMatchObject({
      method: "ANNUALIZING",
      percent: 121.67,
      threshold: 10,
      exceeded: true,
      alert: true,
      explanation: expect.stringContaining("121.67%"),
    });
    expect(res.body.leakRate.inputs).toMatchObject({ daysUsed: 30, addedLb: 2, fullChargeLb: 20 });
    // Stored with method, inputs, threshold and rule version.
    const [stored] = await sqlAll("SELECT * FROM leak_rates WHERE transfer_id = ?", res.body.id);
    expect(stored).toMatchObject({
      method: "ANNUALIZING",
      percent: 121.67,
      threshold: 10,
      alert_level: 8,
      exceeded: 1,
    });
    expect(stored?.rule_version).toMatch(/^epa-/);
    expect(JSON.parse(stored?.inputs)).toMatchObject({ previousAdditionAt: previous });
  });

  it("uses the rolling average for an org configured so", async () => {
    const org = await createOrg({ epaConfig: { ...DEFAULT_EPA_CONFIG, calculationMethod: "ROLLING_AVERAGE" } });
    const tech = await createUser({ orgId: org.id, role: "TECHNICIAN" });
    const cookie = await signIn(tech.id);
    const unit = await createUnitAtSite(org.id, { fullChargeLb: 100, category: "COMMERCIAL_REFRIGERATION" });
    const cylinder = await createCylinder(org.id, { netContentsLb: 40 });
    const at = (days: number, lb: number) =>
      api(`/api/orgs/${org.id}/transfers`, {
        cookie,
        body: charge(unit.id, cylinder.id, lb, { performedAt: daysAgo(days) }),
      });
    expect((await at(400, 6)).status).toBe(201); // outside the 365-day window
    expect((await at(200, 5)).status).toBe(201);
    const res = await at(0, 4);
    // (5 + 4 lb in the previous 365 days) / 100 lb × 100 = 9%, under the 20% threshold and its 16% alert level.
    expect(res.body.leakRate).toMatchObject({
      method: "ROLLING_AVERAGE",
      percent: 9,
      threshold: 20,
      exceeded: false,
      alert: false,
    });
    expect(res.body.leakRate.inputs).toMatchObject({ lbInWindow: 9 });
  });

  it("leaves rejected and voided charges out of later leak rates", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 20 });
    const rejected = await post(charge(unit.id, cylinder.id, 1, { performedAt: daysAgo(30) }));
    const voided = await post(charge(unit.id, cylinder.id, 1, { performedAt: daysAgo(20) }));
    expect((await review(rejected.body.id, "reject", cookies.MANAGER)).status).toBe(200);
    expect(
      (await review(voided.body.id, "void", cookies.ORG_ADMIN, { reason: "Entered on the wrong unit" })).status,
    ).toBe(200);
    const res = await post(charge(unit.id, cylinder.id, 2));
    // No previous addition counts: the first one, so 365 days: (2 / 20) × (365 / 365) × 100 = 10%.
    expect(res.body.leakRate).toMatchObject({ percent: 10, exceeded: false, alert: true });
    expect(res.body.leakRate.inputs).toMatchObject({ firstAddition: true, previousAdditionAt: null });
  });
});

describe("review", () => {
  it("approves a pending transfer (managers and up, not technicians), once", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 1));
    expectError(await review(body.id, "approve", cookies.TECHNICIAN), 403, "FORBIDDEN");
    expectError(await review(body.id, "approve", cookies.SALES), 403, "FORBIDDEN");
    const res = await review(body.id, "approve", cookies.MANAGER, { note: "Matches the work order" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "APPROVED",
      review: { byId: t.users.MANAGER.id, byName: t.users.MANAGER.name, note: "Matches the work order" },
    });
    expectError(await review(body.id, "approve", cookies.MANAGER), 409, "ALREADY_REVIEWED");
    expectError(await review(body.id, "reject", cookies.ORG_ADMIN), 409, "ALREADY_REVIEWED");
    // Approval does not move refrigerant again.
    expect(await contentsOf(cylinder.id)).toBe(9);
  });

  it("rejecting restores the contents, once; approving a rejected transfer is a conflict", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const recovery = await createCylinder(t.subA.id, { kind: "RECOVERY", netContentsLb: 5 });
    const from = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const charged = await post(charge(unit.id, from.id, 4));
    const recovered = await post({ kind: "RECOVER", unitId: unit.id, toCylinderId: recovery.id, amountLb: 2 });
    expect([await contentsOf(from.id), await contentsOf(recovery.id)]).toEqual([6, 7]);
    const res = await review(charged.body.id, "reject", cookies.MANAGER, { note: "Wrong cylinder" });
    expect(res.body).toMatchObject({ status: "REJECTED", review: { note: "Wrong cylinder" } });
    expect((await review(recovered.body.id, "reject", cookies.PARENT_ORG_ADMIN)).status).toBe(200);
    expect([await contentsOf(from.id), await contentsOf(recovery.id)]).toEqual([10, 5]);
    expectError(await review(charged.body.id, "reject", cookies.MANAGER), 409, "ALREADY_REVIEWED");
    expectError(await review(charged.body.id, "approve", cookies.MANAGER), 409, "ALREADY_REVIEWED");
    expect(await contentsOf(from.id)).toBe(10);
  });

  it("lets exactly one of a concurrent approve and reject win; contents restored at most once", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 4));
    const results = await Promise.all([
      review(body.id, "reject", cookies.MANAGER),
      review(body.id, "reject", cookies.ORG_ADMIN),
      review(body.id, "approve", cookies.PARENT_ORG_ADMIN),
    ]);
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    expect(results.filter((res) => res.status === 409)).toHaveLength(2);
    const final = await api(`${base()}/${body.id}`, { cookie: cookies.MANAGER });
    expect(await contentsOf(cylinder.id)).toBe(final.body.status === "REJECTED" ? 10 : 6);
    const reviews = (await auditOf(body.id)).filter((entry) => entry.action !== "transfer.create");
    expect(reviews).toHaveLength(1);
  });

  it("approving an over-threshold charge opens a leak repair due in 30 days, only one while it is open", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20, category: "COMFORT_COOLING" });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 20 });
    const first = await post(charge(unit.id, cylinder.id, 1, { performedAt: daysAgo(30) }));
    const over = await post(charge(unit.id, cylinder.id, 2, { performedAt: daysAgo(2) }));
    expect(over.body.leakRate.exceeded).toBe(true);
    // The first charge (first addition: 5%) is under the threshold: approving it opens nothing.
    expect((await review(first.body.id, "approve", cookies.MANAGER)).body.openedLeakId).toBeNull();
    expect(await sqlCount("SELECT count(*) AS n FROM leaks WHERE unit_id = ?", unit.id)).toBe(0);

    const res = await review(over.body.id, "approve", cookies.MANAGER);
    expect(res.status).toBe(200);
    const [leak] = await sqlAll("SELECT * FROM leaks WHERE unit_id = ?", unit.id);
    expect(res.body.openedLeakId).toBe(leak?.id);
    expect(leak).toMatchObject({
      status: "OPEN",
      leak_rate_id: over.body.leakRate.id,
      found_at: Date.parse(over.body.performedAt),
      repair_due_at: utcDay(over.body.performedAt) + 30 * DAY,
    });
    expect((await auditOf(leak?.id)).map((entry) => entry.action)).toEqual(["leak.open"]);

    const again = await post(charge(unit.id, cylinder.id, 2));
    expect(again.body.leakRate.exceeded).toBe(true);
    expect((await review(again.body.id, "approve", cookies.MANAGER)).body.openedLeakId).toBeNull();
    expect(await sqlCount("SELECT count(*) AS n FROM leaks WHERE unit_id = ?", unit.id)).toBe(1);
  });

  it("opens no leak repair for a unit the EPA rules do not cover (R-410A under 15 lb)", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 10, category: "COMFORT_COOLING" });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 20 });
    await post(charge(unit.id, cylinder.id, 1, { performedAt: daysAgo(30) }));
    const over = await post(charge(unit.id, cylinder.id, 2, { performedAt: daysAgo(2) }));
    // The rate is still computed and shown: (2 / 10) × (365 / 28) × 100 = 260.71% > 10%.
    expect(over.body.leakRate).toMatchObject({ percent: 260.71, exceeded: true });
    const res = await review(over.body.id, "approve", cookies.MANAGER);
    expect(res.body.openedLeakId).toBeNull();
    expect(await sqlCount("SELECT count(*) AS n FROM leaks WHERE unit_id = ?", unit.id)).toBe(0);
  });

  it("gives industrial process refrigeration needing a shutdown 120 days", async () => {
    const unit = await createUnitAtSite(t.subA.id, {
      fullChargeLb: 100,
      category: "INDUSTRIAL_PROCESS",
      repairNeedsShutdown: true,
    });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 40 });
    await post(charge(unit.id, cylinder.id, 1, { performedAt: daysAgo(10) }));
    const over = await post(charge(unit.id, cylinder.id, 5));
    // (5 / 100) × (365 / 10) × 100 = 182.5% > 30%.
    expect(over.body.leakRate).toMatchObject({ percent: 182.5, threshold: 30, exceeded: true });
    await review(over.body.id, "approve", cookies.ORG_ADMIN);
    const [leak] = await sqlAll("SELECT * FROM leaks WHERE unit_id = ?", unit.id);
    expect(leak?.repair_due_at).toBe(utcDay(over.body.performedAt) + 120 * DAY);
  });
});

describe("void", () => {
  it("is for admins only (a manager gets 403); restores the contents and keeps the record", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 4));
    await review(body.id, "approve", cookies.MANAGER);
    expectError(await review(body.id, "void", cookies.MANAGER, { reason: "Duplicate entry" }), 403, "FORBIDDEN");
    expectError(await review(body.id, "void", cookies.TECHNICIAN, { reason: "Duplicate entry" }), 403, "FORBIDDEN");
    const res = await review(body.id, "void", cookies.ORG_ADMIN, { reason: "Duplicate entry" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "APPROVED",
      voided: { byId: t.users.ORG_ADMIN.id, byName: t.users.ORG_ADMIN.name, reason: "Duplicate entry" },
    });
    expect(await contentsOf(cylinder.id)).toBe(10);
    expectError(await review(body.id, "void", cookies.ORG_ADMIN, { reason: "Again" }), 409, "ALREADY_VOIDED");
    expect(await contentsOf(cylinder.id)).toBe(10);
    // Still listed, marked voided; voided transfers cannot be reviewed.
    const list = await api(`${base()}?unitId=${unit.id}`, { cookie: cookies.TECHNICIAN });
    expect(list.body.transfers).toEqual([expect.objectContaining({ id: body.id, voided: expect.any(Object) })]);
    expectError(await review(body.id, "approve", cookies.MANAGER), 409, "TRANSFER_VOIDED");
  });

  it("does not restore the contents of a rejected transfer twice", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 4));
    await review(body.id, "reject", cookies.MANAGER);
    expect((await review(body.id, "void", cookies.PARENT_ORG_ADMIN, { reason: "Test entry" })).status).toBe(200);
    expect(await contentsOf(cylinder.id)).toBe(10);
  });

  it("needs a reason of 3 to 500 characters", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 1));
    for (const bad of [
      {},
      { reason: "" },
      { reason: "ab" },
      { reason: "x".repeat(501) },
      { reason: 42 },
      { reason: "Fine reason", extra: 1 },
    ]) {
      const res = await review(body.id, "void", cookies.ORG_ADMIN, bad);
      expectError(res, 400, "VALIDATION_FAILED");
      expect(Object.keys(res.body.error.fields ?? {}).length).toBeGreaterThan(0);
    }
    const row = await api(`${base()}/${body.id}`, { cookie: cookies.ORG_ADMIN });
    expect(row.body.voided).toBeNull();
    expect(await contentsOf(cylinder.id)).toBe(9);
  });
});

describe("who may do what", () => {
  it("lets field roles see and record transfers; SALES neither", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 50 });
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN"] as const) {
      expect((await api(base(), { cookie: cookies[role] })).status).toBe(200);
      expect((await post(charge(unit.id, cylinder.id, 1), cookies[role])).status).toBe(201);
    }
    expectError(await api(base(), { cookie: cookies.SALES }), 403, "FORBIDDEN");
    expectError(await post(charge(unit.id, cylinder.id, 1), cookies.SALES), 403, "FORBIDDEN");
    const { body } = await api(base(), { cookie: cookies.MANAGER });
    expectError(await api(`${base()}/${body.transfers[0].id}`, { cookie: cookies.SALES }), 403, "FORBIDDEN");
    expect(await api(base(), {})).toMatchObject({ status: 401 });
  });

  it("answers 404 for another company or another branch, and for their records", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 1));
    for (const cookie of [cookies.outsider, cookies.siblingTech]) {
      expectError(await api(base(), { cookie }), 404, "NOT_FOUND");
      expectError(await post(charge(unit.id, cylinder.id, 1), cookie), 404, "NOT_FOUND");
      expectError(await api(`${base()}/${body.id}`, { cookie }), 404, "NOT_FOUND");
      expectError(await review(body.id, "approve", cookie), 404, "NOT_FOUND");
    }
    // Through their own org's URL: the record of another org does not exist there.
    const own = `/api/orgs/${t.subB.id}/transfers`;
    const siblingManager = await signIn(t.sibling.MANAGER.id);
    expectError(await api(`${own}/${body.id}`, { cookie: siblingManager }), 404, "NOT_FOUND");
    expectError(await api(`${own}/${body.id}/approve`, { cookie: siblingManager, body: {} }), 404, "NOT_FOUND");
    // Units and cylinders of another org cannot be used.
    expectError(
      await api(own, { cookie: await signIn(t.sibling.TECHNICIAN.id), body: charge(unit.id, cylinder.id, 1) }),
      404,
      "NOT_FOUND",
    );
    expect(await contentsOf(cylinder.id)).toBe(9);
  });

  it("records for another technician only when the caller is a manager or up", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const forTech = await post(
      charge(unit.id, cylinder.id, 1, { technicianId: t.users.TECHNICIAN.id }),
      cookies.MANAGER,
    );
    expect(forTech.status).toBe(201);
    expect(forTech.body).toMatchObject({ technician: { id: t.users.TECHNICIAN.id }, createdById: t.users.MANAGER.id });
    expectError(
      await post(charge(unit.id, cylinder.id, 1, { technicianId: t.users.MANAGER.id }), cookies.TECHNICIAN),
      403,
      "FORBIDDEN",
    );
    for (const stranger of [t.outsiders.TECHNICIAN.id, t.sibling.TECHNICIAN.id, t.users.SALES.id, "nobody"]) {
      const res = await post(charge(unit.id, cylinder.id, 1, { technicianId: stranger }), cookies.MANAGER);
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields).toHaveProperty("technicianId");
    }
    expect(await contentsOf(cylinder.id)).toBe(9);
  });

  it("keeps the technician's 608 certification as it was when the transfer was recorded", async () => {
    const tech = await createUser({
      orgId: t.subA.id,
      role: "TECHNICIAN",
      certificationNumber: "608-OLD-1",
      certificationType: "II",
    });
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const res = await post(charge(unit.id, cylinder.id, 1), await signIn(tech.id));
    expect(res.body.technician).toMatchObject({ certificationNumber: "608-OLD-1", certificationType: "II" });
    await testDb()
      .update(users)
      .set({ certificationNumber: "608-NEW-2", certificationType: "UNIVERSAL", name: "Renamed Tech" })
      .where(eq(users.id, tech.id));
    const later = await api(`${base()}/${res.body.id}`, { cookie: cookies.MANAGER });
    expect(later.body.technician).toEqual({
      id: tech.id,
      name: tech.name,
      certificationNumber: "608-OLD-1",
      certificationType: "II",
    });
  });
});

describe("listing and detail", () => {
  it("filters by status, kind, unit, cylinder, technician and date", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 20 });
    const recovery = await createCylinder(t.subA.id, { kind: "RECOVERY", netContentsLb: 0 });
    const old = await post(charge(unit.id, cylinder.id, 1, { performedAt: daysAgo(40) }));
    const recent = await post(charge(unit.id, cylinder.id, 1, { performedAt: daysAgo(1) }), cookies.MANAGER);
    const recovered = await post({ kind: "RECOVER", unitId: unit.id, toCylinderId: recovery.id, amountLb: 1 });
    await review(recent.body.id, "approve", cookies.MANAGER);
    const ids = async (query: string) =>
      (await api(`${base()}?${query}`, { cookie: cookies.TECHNICIAN })).body.transfers.map((x: { id: string }) => x.id);
    expect(await ids(`unitId=${unit.id}`)).toEqual([recovered.body.id, recent.body.id, old.body.id]);
    expect(await ids(`unitId=${unit.id}&status=APPROVED`)).toEqual([recent.body.id]);
    expect(await ids(`unitId=${unit.id}&kind=RECOVER`)).toEqual([recovered.body.id]);
    expect(await ids(`cylinderId=${recovery.id}`)).toEqual([recovered.body.id]);
    expect(await ids(`unitId=${unit.id}&technicianId=${t.users.MANAGER.id}`)).toEqual([recent.body.id]);
    expect(await ids(`unitId=${unit.id}&to=${daysAgo(30)}`)).toEqual([old.body.id]);
    expect(await ids(`unitId=${unit.id}&from=${daysAgo(30).slice(0, 10)}&kind=CHARGE`)).toEqual([recent.body.id]);
    for (const bad of ["status=DONE", "kind=LEAK", "from=yesterday", "limit=0", "limit=9999"]) {
      expectError(await api(`${base()}?${bad}`, { cookie: cookies.TECHNICIAN }), 400, "VALIDATION_FAILED");
    }
  });

  it("shows a transfer with its unit, cylinders, leak rate, review and void details", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    // A job at the unit's site, assigned to the technician (a transfer links only such a job).
    const [jobId, appointmentId] = [crypto.randomUUID(), crypto.randomUUID()];
    await sqlAll(
      `INSERT INTO jobs (id, org_id, number, customer_id, location_id, description, created_by_id)
       SELECT ?, org_id, 1042, customer_id, id, 'Charge', ? FROM locations WHERE id = ?`,
      jobId,
      t.users.MANAGER.id,
      unit.locationId,
    );
    await sqlAll(
      "INSERT INTO appointments (id, org_id, job_id, starts_at, created_by_id) VALUES (?, ?, ?, ?, ?)",
      appointmentId,
      t.subA.id,
      jobId,
      Date.now(),
      t.users.MANAGER.id,
    );
    await sqlAll(
      "INSERT INTO appointment_technicians (appointment_id, user_id, org_id) VALUES (?, ?, ?)",
      appointmentId,
      t.users.TECHNICIAN.id,
      t.subA.id,
    );
    const { body } = await post(charge(unit.id, cylinder.id, 1, { jobId }));
    await review(body.id, "reject", cookies.MANAGER, { note: "Duplicate" });
    await review(body.id, "void", cookies.ORG_ADMIN, { reason: "Entered twice" });
    const res = await api(`${base()}/${body.id}`, { cookie: cookies.TECHNICIAN });
    expect(res.body).toMatchObject({
      id: body.id,
      jobId,
      unit: { id: unit.id, fullChargeLb: 20, category: "COMFORT_COOLING" },
      fromCylinder: { id: cylinder.id, tag: cylinder.tag },
      leakRate: { method: "ANNUALIZING", percent: 5, explanation: expect.any(String) },
      review: { byName: t.users.MANAGER.name, note: "Duplicate" },
      voided: { byName: t.users.ORG_ADMIN.name, reason: "Entered twice" },
    });
    expectError(await api(`${base()}/no-such-transfer`, { cookie: cookies.TECHNICIAN }), 404, "NOT_FOUND");
  });

  it("publishes live events for the transfer and the cylinder", async () => {
    const live = await openLive(t.subA.id, cookies.MANAGER);
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 1));
    expect(await live.event(body.id)).toMatchObject({ entity: "transfer", action: "created" });
    expect(await live.event(cylinder.id)).toMatchObject({ entity: "cylinder" });
  });
});

describe("bad input", () => {
  it("answers 400 with fields for every malformed transfer, writing nothing", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const good = charge(unit.id, cylinder.id, 1);
    const bad: [unknown, string][] = [
      [{}, "kind"],
      [{ ...good, kind: "LEAK" }, "kind"],
      [{ ...good, amountLb: undefined }, "amountLb"],
      [{ ...good, amountLb: "2" }, "amountLb"],
      [{ ...good, amountLb: 0 }, "amountLb"],
      [{ ...good, amountLb: -1 }, "amountLb"],
      [{ ...good, amountLb: 10_001 }, "amountLb"],
      [{ ...good, amountLb: 1.0001 }, "amountLb"],
      [{ ...good, unitId: undefined }, "unitId"],
      [{ ...good, fromCylinderId: undefined }, "fromCylinderId"],
      [{ ...good, toCylinderId: cylinder.id }, "toCylinderId"],
      [{ kind: "RECOVER", unitId: unit.id, amountLb: 1 }, "toCylinderId"],
      [
        { kind: "CYLINDER_TO_CYLINDER", fromCylinderId: cylinder.id, toCylinderId: cylinder.id, amountLb: 1 },
        "toCylinderId",
      ],
      [{ ...good, performedAt: "yesterday" }, "performedAt"],
      [{ ...good, performedAt: "2026-11-01" }, "performedAt"],
      [{ ...good, notes: "x".repeat(2001) }, "notes"],
      [{ ...good, unitId: 12 }, "unitId"],
      [{ ...good, status: "APPROVED" }, "status"],
      [{ ...good, technicianName: "Someone" }, "technicianName"],
    ];
    const before = await sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", t.subA.id);
    for (const [body, field] of bad) {
      const res = await post(body);
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    expectError(await post("not json"), 400);
    expect(await transfersOfCylinder(cylinder.id)).toBe(0);
    expect(await contentsOf(cylinder.id)).toBe(10);
    expect(await sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", t.subA.id)).toBe(before);
  });

  it("answers 400 for malformed reviews", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const { body } = await post(charge(unit.id, cylinder.id, 1));
    for (const verb of ["approve", "reject"] as const) {
      for (const bad of [{ note: 5 }, { note: "x".repeat(501) }, { approved: true }]) {
        expectError(await review(body.id, verb, cookies.MANAGER, bad), 400, "VALIDATION_FAILED");
      }
    }
    expect((await api(`${base()}/${body.id}`, { cookie: cookies.MANAGER })).body.status).toBe("PENDING");
  });
});

describe("audit", () => {
  it("records every write with who did it", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const a = await post(charge(unit.id, cylinder.id, 1));
    const b = await post(charge(unit.id, cylinder.id, 2));
    await review(a.body.id, "approve", cookies.MANAGER);
    await review(b.body.id, "reject", cookies.MANAGER, { note: "No work order" });
    await review(a.body.id, "void", cookies.ORG_ADMIN, { reason: "Wrong unit" });
    const ofA = await auditOf(a.body.id);
    expect(ofA.map((entry) => [entry.action, entry.actorId])).toEqual([
      ["transfer.create", t.users.TECHNICIAN.id],
      ["transfer.approve", t.users.MANAGER.id],
      ["transfer.void", t.users.ORG_ADMIN.id],
    ]);
    expect(ofA[0]).toMatchObject({ orgId: t.subA.id, entityType: "transfer", after: { amountLb: 1, kind: "CHARGE" } });
    expect(ofA[2]?.after).toMatchObject({ voidReason: "Wrong unit" });
    const ofB = await auditOf(b.body.id);
    expect(ofB.map((entry) => entry.action)).toEqual(["transfer.create", "transfer.reject"]);
    expect(ofB[1]).toMatchObject({
      before: { status: "PENDING" },
      after: { status: "REJECTED", reviewNote: "No work order" },
    });
    const org = await testDb().select().from(organizations).where(eq(organizations.id, t.subA.id)).get();
    expect(org?.id).toBe(t.subA.id);
  });
});

describe("pages", () => {
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });

  it("renders the quick transfer form with its labels for field roles, not for SALES", async () => {
    const page = `/o/${t.subA.id}/transfers/new`;
    const res = await api(page, { cookie: cookies.TECHNICIAN });
    expect(res.status).toBe(200);
    const html = String(res.body);
    for (const label of [
      "Cylinder",
      "Unit",
      "Pounds",
      "Ounces",
      "Date of service",
      "Record transfer",
      "Charge a unit",
    ]) {
      expect(html).toContain(`>${label}<`);
    }
    expect((await api(page, { cookie: cookies.SALES })).status).toBe(403);
  });

  it("records a charge typed as lb + oz in the user's time zone and answers with the leak rate", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20 });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    const res = await api(`/o/${t.subA.id}/transfers/new`, {
      method: "POST",
      cookie: cookies.TECHNICIAN,
      ...form({
        kind: "CHARGE",
        cylinderId: cylinder.id,
        unitId: unit.id,
        pounds: "2",
        ounces: "8",
        performedAt: "2026-01-15T09:30",
      }),
    });
    expect(res.status).toBe(200);
    const html = String(res.body);
    expect(html).toContain("Transfer recorded");
    expect(html).toContain("Pending approval");
    expect(html).toContain("12.5%"); // (2.5 / 20) × (365 / 365) × 100, the first addition
    const [row] = await sqlAll("SELECT * FROM transfers WHERE unit_id = ?", unit.id);
    // 09:30 in America/New_York (the user's zone) is 14:30 UTC in January.
    expect(row).toMatchObject({ amount_lb: 2.5, performed_at: Date.parse("2026-01-15T14:30:00Z") });
    expect(await contentsOf(cylinder.id)).toBe(7.5);
  });

  it("reports every missing field of the quick form at once, writing nothing", async () => {
    const res = await api(`/o/${t.subA.id}/transfers/new`, {
      method: "POST",
      cookie: cookies.TECHNICIAN,
      ...form({ kind: "CHARGE", pounds: "", ounces: "17" }),
    });
    expect(res.status).toBe(400);
    const html = String(res.body);
    expect(html.match(/aria-invalid="true"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain("16 oz make a pound");
  });

  it("shows reviewers the approval queue with buttons named after each transfer", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 500, name: "Queue unit" });
    const cylinder = await createCylinder(t.subA.id, { netContentsLb: 10 });
    await post(charge(unit.id, cylinder.id, 1.5));
    const res = await api(`/o/${t.subA.id}/transfers`, { cookie: cookies.MANAGER });
    const html = String(res.body);
    expect(html).toContain("Pending approval");
    expect(html).toContain(
      `aria-label="Approve transfer: Charge of 1.5 lb R-410A into Queue unit from ${cylinder.tag} by ${t.users.TECHNICIAN.name}"`,
    );
    expect(html).toContain('aria-label="Reject transfer: Charge of 1.5 lb R-410A into Queue unit');
    const tech = String((await api(`/o/${t.subA.id}/transfers`, { cookie: cookies.TECHNICIAN })).body);
    expect(tech).not.toContain("Approve transfer");
    expect(tech).not.toContain('id="pending-heading"');
  });
});
