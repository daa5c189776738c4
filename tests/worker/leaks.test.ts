/**
 * Leak cases behind the API: reporting (with the EPA repair deadline when the unit's latest
 * approved leak rate is over its threshold), the order of repair → initial → follow-up
 * verification, failed verification → retrofit/retirement plan, closing, the engine's deadlines and
 * overdue cases, permissions and tenancy, bad input, and the audit trail of every write.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { cylinders, leaks } from "../../db/schema";
import { DEFAULT_EPA_CONFIG } from "../../worker/orgs/epa";
import { api, createOrg, createTree, createUnitAtSite, createUser, signIn, type Tree, testDb } from "./helpers";
import { auditOf, expectError, sqlAll, sqlCount } from "./support";

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const utcDay = (iso: string) => {
  const d = new Date(iso);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};
const isoAt = (ms: number) => new Date(ms).toISOString();

async function createCylinder(orgId: string, netContentsLb = 50) {
  return testDb()
    .insert(cylinders)
    .values({
      id: crypto.randomUUID(),
      orgId,
      tag: `CYL-${crypto.randomUUID().slice(0, 8)}`,
      refrigerant: "R-410A",
      kind: "VIRGIN",
      tareWeightLb: 15,
      waterCapacityLb: 100,
      netContentsLb,
    })
    .returning()
    .get();
}

let t: Tree;
let cookies: Record<
  "PARENT_ORG_ADMIN" | "ORG_ADMIN" | "MANAGER" | "TECHNICIAN" | "SALES" | "siblingAdmin" | "outsider",
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
    siblingAdmin: await signIn(t.sibling.ORG_ADMIN.id),
    outsider: await signIn(t.outsiders.ORG_ADMIN.id),
  };
});

const base = () => `/api/orgs/${t.subA.id}/leaks`;
const report = (unitId: string, extra: Record<string, unknown> = {}, cookie = cookies.TECHNICIAN) =>
  api(base(), {
    cookie,
    body: {
      unitId,
      foundAt: daysAgo(20),
      locationOnUnit: "Suction line braze joint",
      detectionMethod: "ELECTRONIC",
      ...extra,
    },
  });
const step = (id: string, path: string, body: unknown, cookie = cookies.TECHNICIAN) =>
  api(`${base()}/${id}/${path}`, { cookie, body });

/** Records and approves charges on the unit; returns the last charge. */
async function charges(
  orgId: string,
  unitId: string,
  list: { daysAgo: number; lb: number }[],
  cookie = cookies.MANAGER,
) {
  const cylinder = await createCylinder(orgId);
  let last: { id: string; performedAt: string; leakRate: { id: string; exceeded: boolean; percent: number } } | null =
    null;
  for (const entry of list) {
    const res = await api(`/api/orgs/${orgId}/transfers`, {
      cookie,
      body: {
        kind: "CHARGE",
        unitId,
        fromCylinderId: cylinder.id,
        amountLb: entry.lb,
        performedAt: daysAgo(entry.daysAgo),
      },
    });
    expect(res.status).toBe(201);
    last = res.body;
  }
  if (!last) throw new Error("no charge");
  return last;
}
const approve = (orgId: string, transferId: string, cookie = cookies.MANAGER) =>
  api(`/api/orgs/${orgId}/transfers/${transferId}/approve`, { cookie, body: {} });

describe("reporting", () => {
  it("reports a leak found by the technician, with no EPA deadline while the leak rate is under threshold", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const res = await report(unit.id, { notes: "Oil stain on the joint" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "OPEN",
      unit: { id: unit.id, name: unit.name, locationName: "Warehouse 4" },
      foundBy: { id: t.users.TECHNICIAN.id, name: t.users.TECHNICIAN.name },
      locationOnUnit: "Suction line braze joint",
      detectionMethod: "ELECTRONIC",
      notes: "Oil stain on the joint",
      repairDueAt: null,
      leakRate: null,
      deadlines: [],
      overdue: false,
      nextSteps: { repair: true, initialTest: false, followUpTest: false },
    });
    expect((await auditOf(res.body.id)).map((entry) => [entry.action, entry.actorId])).toEqual([
      ["leak.report", t.users.TECHNICIAN.id],
    ]);
  });

  it("starts the 30-day repair clock from the latest approved over-threshold charge", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20 });
    const over = await charges(t.subA.id, unit.id, [
      { daysAgo: 40, lb: 1 },
      { daysAgo: 10, lb: 2 },
    ]);
    expect(over.leakRate.exceeded).toBe(true);
    // Pending: not yet a reviewed record, so no deadline.
    expect((await report(unit.id, { foundAt: daysAgo(5) })).body.repairDueAt).toBeNull();
    await approve(t.subA.id, over.id);
    const res = await report(unit.id, { foundAt: daysAgo(5) });
    expect(res.body).toMatchObject({
      repairDueAt: isoAt(utcDay(over.performedAt) + 30 * DAY),
      leakRate: { id: over.leakRate.id, exceeded: true, percent: over.leakRate.percent },
    });
    expect(res.body.deadlines).toEqual([
      expect.objectContaining({ key: "REPAIR", dueAt: isoAt(utcDay(over.performedAt) + 30 * DAY), overdue: false }),
    ]);
  });

  it("refuses a found date in the future and decommissioned units", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const res = await report(unit.id, { foundAt: new Date(Date.now() + 3 * 60 * 60 * 1000).toISOString() });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(res.body.error.fields).toHaveProperty("foundAt");
    const old = await createUnitAtSite(t.subA.id, { status: "DECOMMISSIONED" });
    expectError(await report(old.id), 409, "UNIT_NOT_ACTIVE");
    expect(await sqlCount("SELECT count(*) AS n FROM leaks WHERE unit_id IN (?, ?)", unit.id, old.id)).toBe(0);
  });
});

describe("workflow", () => {
  it("keeps the order repair → initial test → follow-up test → close, with the follow-up due 10 days after the initial test", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const { body: leak } = await report(unit.id, { foundAt: daysAgo(20) });
    const order = async (path: string, body: unknown, message: RegExp) => {
      const res = await step(leak.id, path, body);
      expectError(res, 409, "LEAK_STEP_OUT_OF_ORDER");
      expect(res.body.error.message).toMatch(message);
    };
    await order("verification", { kind: "INITIAL", testedAt: daysAgo(12), passed: true }, /repair before/i);
    await order("verification", { kind: "FOLLOW_UP", testedAt: daysAgo(12), passed: true }, /repair before/i);
    await order("repair", { repairedAt: daysAgo(25), description: "Rebrazed joint" }, /before the leak was found/);

    const repairedAt = daysAgo(15);
    const repaired = await step(leak.id, "repair", { repairedAt, description: "Rebrazed joint" });
    expect(repaired.body).toMatchObject({ status: "REPAIRED", repairDescription: "Rebrazed joint", repairedAt });
    await order("repair", { repairedAt: daysAgo(14), description: "Again" }, /already recorded/);
    await order(
      "verification",
      { kind: "FOLLOW_UP", testedAt: daysAgo(12), passed: true },
      /initial verification test before/,
    );
    await order("verification", { kind: "INITIAL", testedAt: daysAgo(16), passed: true }, /before the repair/);

    const initialAt = daysAgo(12);
    const initial = await step(leak.id, "verification", { kind: "INITIAL", testedAt: initialAt, passed: true });
    expect(initial.body).toMatchObject({
      status: "REPAIRED",
      initialTest: { at: initialAt, passed: true },
      followUpDueAt: isoAt(utcDay(initialAt) + 10 * DAY),
    });
    expect(initial.body.deadlines).toContainEqual(
      expect.objectContaining({ key: "FOLLOW_UP", dueAt: isoAt(utcDay(initialAt) + 10 * DAY), metAt: null }),
    );
    await order("verification", { kind: "INITIAL", testedAt: daysAgo(11), passed: true }, /already recorded/);
    await order("verification", { kind: "FOLLOW_UP", testedAt: daysAgo(13), passed: true }, /before the initial test/);

    const followUp = await step(leak.id, "verification", { kind: "FOLLOW_UP", testedAt: daysAgo(5), passed: true });
    expect(followUp.body).toMatchObject({ status: "VERIFIED", followUpTest: { passed: true } });
    expectError(await step(leak.id, "close", { outcome: "REPAIRED" }), 403, "FORBIDDEN");
    const closed = await step(leak.id, "close", { outcome: "REPAIRED", note: "All good" }, cookies.MANAGER);
    expect(closed.body).toMatchObject({ status: "CLOSED", closedAt: expect.any(String) });
    expect(closed.body.notes).toMatch(/All good/);
    await order("repair", { repairedAt: daysAgo(1), description: "More" }, /closed/);
    expectError(await step(leak.id, "close", { outcome: "RETIRED" }, cookies.MANAGER), 409, "LEAK_STEP_OUT_OF_ORDER");

    expect((await auditOf(leak.id)).map((entry) => entry.action)).toEqual([
      "leak.report",
      "leak.repair",
      "leak.verify-initial",
      "leak.verify-follow-up",
      "leak.close",
    ]);
  });

  it("a failed follow-up test needs a retrofit or retirement plan within 30 days, done within a year", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const { body: leak } = await report(unit.id, { foundAt: daysAgo(30) });
    await step(leak.id, "repair", { repairedAt: daysAgo(25), description: "Replaced valve core" });
    await step(leak.id, "verification", { kind: "INITIAL", testedAt: daysAgo(24), passed: true });
    const failedAt = daysAgo(20);
    const failed = await step(leak.id, "verification", { kind: "FOLLOW_UP", testedAt: failedAt, passed: false });
    expect(failed.body).toMatchObject({
      status: "VERIFICATION_FAILED",
      retrofitPlanDueAt: isoAt(utcDay(failedAt) + 30 * DAY),
      nextSteps: { repair: true, retrofitPlan: true, close: { REPAIRED: false, RETIRED: true } },
    });
    expect(failed.body.deadlines).toContainEqual(
      expect.objectContaining({ key: "RETROFIT_PLAN", dueAt: isoAt(utcDay(failedAt) + 30 * DAY), overdue: false }),
    );
    expectError(await step(leak.id, "close", { outcome: "REPAIRED" }, cookies.MANAGER), 409, "LEAK_STEP_OUT_OF_ORDER");
    const plan = { plan: "Replace the condensing unit with an R-454B unit." };
    expectError(await step(leak.id, "retrofit-plan", plan), 403, "FORBIDDEN");
    const tooLate = new Date(Date.now() + 400 * DAY).toISOString().slice(0, 10);
    const late = await step(leak.id, "retrofit-plan", { ...plan, completeBy: tooLate }, cookies.MANAGER);
    expectError(late, 400, "VALIDATION_FAILED");
    expect(late.body.error.fields).toHaveProperty("completeBy");
    const planned = await step(leak.id, "retrofit-plan", plan, cookies.MANAGER);
    expect(planned.body).toMatchObject({ status: "RETROFIT_PLANNED", retrofitPlan: plan.plan });
    const completeBy = Date.parse(planned.body.retrofitCompleteBy);
    expect(completeBy - Date.now()).toBeGreaterThan(360 * DAY);
    expect(completeBy - Date.now()).toBeLessThan(367 * DAY);
    const retired = await step(leak.id, "close", { outcome: "RETIRED", note: "Unit replaced" }, cookies.ORG_ADMIN);
    expect(retired.body.status).toBe("RETIRED");
    expect((await auditOf(leak.id)).map((entry) => entry.action)).toEqual([
      "leak.report",
      "leak.repair",
      "leak.verify-initial",
      "leak.verify-follow-up",
      "leak.retrofit-plan",
      "leak.close",
    ]);
  });

  it("lists overdue cases first and filters them: a repair past its due day", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20 });
    const over = await charges(t.subA.id, unit.id, [
      { daysAgo: 70, lb: 1 },
      { daysAgo: 40, lb: 3 },
    ]);
    const approved = await approve(t.subA.id, over.id);
    const leakId = approved.body.openedLeakId as string;
    expect(leakId).toEqual(expect.any(String));
    const fresh = await report((await createUnitAtSite(t.subA.id)).id, { foundAt: daysAgo(1) });

    const overdue = await api(`${base()}?overdue=true`, { cookie: cookies.TECHNICIAN });
    const ids = overdue.body.leaks.map((leak: { id: string }) => leak.id);
    expect(ids).toContain(leakId);
    expect(ids).not.toContain(fresh.body.id);
    const detail = await api(`${base()}/${leakId}`, { cookie: cookies.TECHNICIAN });
    expect(detail.body).toMatchObject({
      overdue: true,
      detectionMethod: "LEAK_RATE",
      leakRate: { id: over.leakRate.id, exceeded: true, transferId: over.id },
      nextDeadline: { key: "REPAIR", overdue: true },
    });
    expect(detail.body.timeline).toContainEqual(
      expect.objectContaining({ kind: "deadline", title: "Repair due", overdue: true }),
    );
    // The full list puts overdue cases first.
    const all = await api(`${base()}?status=ACTIVE`, { cookie: cookies.TECHNICIAN });
    expect(all.body.leaks[0].overdue).toBe(true);
    // Repairing it ends the overdue state.
    await step(leakId, "repair", { repairedAt: daysAgo(0), description: "Replaced the coil" });
    // A repair the EPA rules require is closed as repaired only once verified.
    expectError(await step(leakId, "close", { outcome: "REPAIRED" }, cookies.MANAGER), 409, "LEAK_STEP_OUT_OF_ORDER");
    const after = await api(`${base()}?overdue=true`, { cookie: cookies.TECHNICIAN });
    expect(after.body.leaks.map((leak: { id: string }) => leak.id)).not.toContain(leakId);
    expect(
      (await api(`${base()}?unitId=${unit.id}&status=REPAIRED`, { cookie: cookies.TECHNICIAN })).body.leaks,
    ).toHaveLength(1);
  });

  it("restarts the rolling-average window after a successful follow-up verification test", async () => {
    const org = await createOrg({ epaConfig: { ...DEFAULT_EPA_CONFIG, calculationMethod: "ROLLING_AVERAGE" } });
    const manager = await createUser({ orgId: org.id, role: "MANAGER" });
    const cookie = await signIn(manager.id);
    const unit = await createUnitAtSite(org.id, { fullChargeLb: 100, category: "COMMERCIAL_REFRIGERATION" });
    await charges(org.id, unit.id, [{ daysAgo: 100, lb: 10 }], cookie);
    const leak = await api(`/api/orgs/${org.id}/leaks`, {
      cookie,
      body: { unitId: unit.id, foundAt: daysAgo(90), locationOnUnit: "Evaporator", detectionMethod: "BUBBLE" },
    });
    const path = (p: string) => `/api/orgs/${org.id}/leaks/${leak.body.id}/${p}`;
    await api(path("repair"), { cookie, body: { repairedAt: daysAgo(80), description: "Fixed" } });
    await api(path("verification"), { cookie, body: { kind: "INITIAL", testedAt: daysAgo(79), passed: true } });
    const ok = await api(path("verification"), {
      cookie,
      body: { kind: "FOLLOW_UP", testedAt: daysAgo(75), passed: true },
    });
    expect(ok.body.status).toBe("VERIFIED");
    const latest = await charges(org.id, unit.id, [{ daysAgo: 0, lb: 3 }], cookie);
    // The 10 lb added before the follow-up test no longer count: 3 / 100 × 100 = 3%.
    expect(latest.leakRate).toMatchObject({ percent: 3 });
  });
});

describe("who may do what", () => {
  it("lets field roles view and report, managers and up plan and close; SALES nothing", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN"] as const) {
      expect((await api(base(), { cookie: cookies[role] })).status).toBe(200);
      expect((await report(unit.id, {}, cookies[role])).status).toBe(201);
    }
    const { body: leak } = await report(unit.id);
    expectError(await api(base(), { cookie: cookies.SALES }), 403, "FORBIDDEN");
    expectError(await api(`${base()}/${leak.id}`, { cookie: cookies.SALES }), 403, "FORBIDDEN");
    expectError(await report(unit.id, {}, cookies.SALES), 403, "FORBIDDEN");
    expectError(
      await step(leak.id, "repair", { repairedAt: daysAgo(1), description: "Fixed" }, cookies.SALES),
      403,
      "FORBIDDEN",
    );
    expectError(await step(leak.id, "retrofit-plan", { plan: "Retire the unit next spring." }), 403, "FORBIDDEN");
    expectError(await step(leak.id, "close", { outcome: "RETIRED" }), 403, "FORBIDDEN");
    expect((await step(leak.id, "close", { outcome: "RETIRED" }, cookies.PARENT_ORG_ADMIN)).status).toBe(200);
  });

  it("answers 404 for another company or branch, and for their units and leaks", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const { body: leak } = await report(unit.id);
    for (const cookie of [cookies.outsider, cookies.siblingAdmin]) {
      expectError(await api(base(), { cookie }), 404, "NOT_FOUND");
      expectError(await api(`${base()}/${leak.id}`, { cookie }), 404, "NOT_FOUND");
      expectError(await report(unit.id, {}, cookie), 404, "NOT_FOUND");
      expectError(
        await step(leak.id, "repair", { repairedAt: daysAgo(1), description: "Fixed" }, cookie),
        404,
        "NOT_FOUND",
      );
    }
    const own = `/api/orgs/${t.subB.id}/leaks`;
    expectError(await api(`${own}/${leak.id}`, { cookie: cookies.siblingAdmin }), 404, "NOT_FOUND");
    expectError(
      await api(`${own}/${leak.id}/close`, { cookie: cookies.siblingAdmin, body: { outcome: "RETIRED" } }),
      404,
      "NOT_FOUND",
    );
    expectError(
      await api(own, {
        cookie: cookies.siblingAdmin,
        body: { unitId: unit.id, foundAt: daysAgo(1), locationOnUnit: "Coil", detectionMethod: "VISUAL" },
      }),
      404,
      "NOT_FOUND",
    );
    const row = await testDb().select().from(leaks).where(eq(leaks.id, leak.id)).get();
    expect(row?.status).toBe("OPEN");
  });
});

describe("bad input", () => {
  it("answers 400 with fields on every write, writing nothing", async () => {
    const unit = await createUnitAtSite(t.subA.id);
    const { body: leak } = await report(unit.id);
    const good = { unitId: unit.id, foundAt: daysAgo(1), locationOnUnit: "Coil", detectionMethod: "UV_DYE" };
    const cases: [string, unknown, string][] = [
      ["", {}, "unitId"],
      ["", { ...good, foundAt: "last week" }, "foundAt"],
      ["", { ...good, detectionMethod: "SNIFFING" }, "detectionMethod"],
      ["", { ...good, locationOnUnit: "" }, "locationOnUnit"],
      ["", { ...good, locationOnUnit: "x".repeat(201) }, "locationOnUnit"],
      ["", { ...good, notes: "x".repeat(2001) }, "notes"],
      ["", { ...good, status: "CLOSED" }, "status"],
      ["/repair", {}, "repairedAt"],
      ["/repair", { repairedAt: daysAgo(0), description: "" }, "description"],
      ["/repair", { repairedAt: daysAgo(0), description: "Fixed", cost: 5 }, "cost"],
      ["/repair", { repairedAt: new Date(Date.now() + DAY).toISOString(), description: "Fixed" }, "repairedAt"],
      ["/verification", { kind: "FINAL", testedAt: daysAgo(0), passed: true }, "kind"],
      ["/verification", { kind: "INITIAL", testedAt: daysAgo(0), passed: "yes" }, "passed"],
      ["/verification", { kind: "INITIAL", passed: true }, "testedAt"],
      ["/retrofit-plan", { plan: "short" }, "plan"],
      ["/retrofit-plan", { plan: "Retire the unit in spring.", completeBy: "soon" }, "completeBy"],
      ["/retrofit-plan", { plan: "Retire the unit in spring.", completeBy: daysAgo(30).slice(0, 10) }, "completeBy"],
      ["/close", { outcome: "FIXED" }, "outcome"],
      ["/close", { outcome: "RETIRED", note: "x".repeat(1001) }, "note"],
    ];
    const before = await sqlAll("SELECT * FROM leaks WHERE org_id = ? ORDER BY id", t.subA.id);
    const audits = await sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", t.subA.id);
    for (const [path, body, field] of cases) {
      const url = path ? `${base()}/${leak.id}${path}` : base();
      const res = await api(url, { cookie: cookies.MANAGER, body });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.fields, `${path} ${JSON.stringify(body)}`).toHaveProperty([field]);
    }
    expect(await sqlAll("SELECT * FROM leaks WHERE org_id = ? ORDER BY id", t.subA.id)).toEqual(before);
    expect(await sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", t.subA.id)).toBe(audits);
    for (const bad of ["status=BROKEN", "overdue=maybe", "limit=0"]) {
      expectError(await api(`${base()}?${bad}`, { cookie: cookies.TECHNICIAN }), 400, "VALIDATION_FAILED");
    }
    expectError(await api(`${base()}/nope`, { cookie: cookies.TECHNICIAN }), 404, "NOT_FOUND");
  });
});

describe("pages", () => {
  it("lists an overdue repair with the word Overdue, and shows each step's form only with the permission", async () => {
    const unit = await createUnitAtSite(t.subA.id, { fullChargeLb: 20, name: "Overdue page unit" });
    const over = await charges(t.subA.id, unit.id, [
      { daysAgo: 80, lb: 1 },
      { daysAgo: 50, lb: 3 },
    ]);
    const leakId = (await approve(t.subA.id, over.id)).body.openedLeakId as string;
    const list = String((await api(`/o/${t.subA.id}/leaks?overdue=true`, { cookie: cookies.TECHNICIAN })).body);
    expect(list).toContain("Overdue page unit");
    expect(list).toMatch(/class="overdue-flag">Overdue</);
    expect(list).toContain("Repair was due");

    const asTech = String((await api(`/o/${t.subA.id}/leaks/${leakId}`, { cookie: cookies.TECHNICIAN })).body);
    expect(asTech).toContain("Record repair");
    expect(asTech).not.toContain("Record plan");
    expect(asTech).not.toContain("Close case");
    const asManager = String((await api(`/o/${t.subA.id}/leaks/${leakId}`, { cookie: cookies.MANAGER })).body);
    expect(asManager).toContain("Record plan");
    expect(asManager).toContain("Close case");
    expect((await api(`/o/${t.subA.id}/leaks/${leakId}`, { cookie: cookies.SALES })).status).toBe(403);
    expect((await api(`/o/${t.subA.id}/leaks/${leakId}`, { cookie: cookies.siblingAdmin })).status).toBe(404);
  });
});
