/**
 * The demo seed (issue 3, item 11): idempotent, complete (every unit category, every cylinder kind
 * and status) and consistent — cylinder contents follow from the transfers, every stored leak rate
 * is what the compliance engine computes from the seeded transfers, the dashboard scenarios hold as
 * the engine defines them, and no Polar North row points into another tenant.
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  appointments,
  appointmentTechnicians,
  CYLINDER_KINDS,
  CYLINDER_STATUSES,
  customers,
  cylinderMoves,
  cylinders,
  type EpaConfig,
  jobs,
  jobUnits,
  leakRates,
  leaks,
  locations,
  organizations,
  projects,
  refrigerants,
  transfers,
  UNIT_CATEGORIES,
  units,
  userOrgAccess,
  users,
} from "../../db/schema";
import { seedDemo } from "../../db/seed";
import { buildFieldDemo, DEMO_TRAY_JOBS } from "../../db/seed-field";
import { buildRefrigerantDemo, DEMO_SCENARIO_UNITS, demoChronicYear } from "../../db/seed-refrigerant";
import {
  chronicLeaker,
  coverage,
  leakRate,
  leakStatus,
  repairDeadlines,
  verificationDeadlines,
} from "../../worker/compliance/engine";
import { getDb } from "../../worker/db";

const db = getDb(env.DB);
const NOW = new Date("2026-07-15T17:30:00Z");
const NORTH = "org-polar-north";
const DAY = 86_400_000;
const TABLES = {
  customers,
  locations,
  units,
  cylinders,
  cylinderMoves,
  transfers,
  leakRates,
  leaks,
  users,
  organizations,
  projects,
  jobs,
  appointments,
};

async function snapshot() {
  const entries = await Promise.all(
    Object.entries(TABLES).map(async ([name, table]) => {
      const rows = (await db.select().from(table).all()) as { id?: string }[];
      return [name, rows.sort((a, b) => String(a.id).localeCompare(String(b.id)))] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function load() {
  const [unitRows, cylinderRows, transferRows, rateRows, leakRows, orgRows, catalogue] = await Promise.all([
    db.select().from(units).all(),
    db.select().from(cylinders).all(),
    db.select().from(transfers).all(),
    db.select().from(leakRates).all(),
    db.select().from(leaks).all(),
    db.select().from(organizations).all(),
    db.select().from(refrigerants).all(),
  ]);
  const config = (orgId: string) => orgRows.find((org) => org.id === orgId)?.epaConfig as EpaConfig;
  const unitById = new Map(unitRows.map((u) => [u.id, u]));
  const counts = (t: (typeof transferRows)[number]) => t.status !== "REJECTED" && t.voidedAt === null;
  const chargesOf = (unitId: string) =>
    transferRows
      .filter((t) => t.kind === "CHARGE" && t.unitId === unitId)
      .sort((a, b) => +a.performedAt - +b.performedAt);

  /** What the engine says about a charge, from the seeded rows alone (the app's rule for previous additions). */
  const engineRate = (t: (typeof transferRows)[number]) => {
    const unit = unitById.get(t.unitId ?? "");
    if (!unit) throw new Error(`no unit for ${t.id}`);
    const followUps = leakRows
      .filter((l) => l.unitId === unit.id && l.followUpTestPassed === true && l.followUpTestAt)
      .map((l) => Number(l.followUpTestAt))
      .filter((time) => time <= +t.performedAt);
    return leakRate({
      fullChargeLb: unit.fullChargeLb,
      addedLb: t.amountLb,
      performedAt: t.performedAt,
      previousAdditions: chargesOf(unit.id)
        .filter((other) => other.id !== t.id && counts(other) && +other.performedAt < +t.performedAt)
        .map((other) => ({ performedAt: other.performedAt, lb: other.amountLb })),
      lastSuccessfulFollowUpAt: followUps.length ? new Date(Math.max(...followUps)) : null,
      category: unit.category,
      config: config(unit.orgId),
    });
  };
  const latestApproved = (unitId: string) =>
    chargesOf(unitId)
      .filter((t) => t.status === "APPROVED" && t.voidedAt === null)
      .at(-1);
  const badge = (unitId: string) => {
    const latest = latestApproved(unitId);
    const rate = latest ? engineRate(latest) : null;
    return leakStatus({
      latest: latest && rate ? { exceeded: rate.exceeded, alert: rate.alert, performedAt: latest.performedAt } : null,
      repairs: leakRows
        .filter((l) => l.unitId === unitId && l.repairDueAt)
        .map((l) => ({ repairDueAt: l.repairDueAt, repairedAt: l.repairedAt })),
      now: NOW,
    }).level;
  };
  const isCovered = (unitId: string) => {
    const unit = unitById.get(unitId);
    const refrigerant = catalogue.find((r) => r.designation === unit?.refrigerant);
    if (!unit || !refrigerant) throw new Error(`no unit or refrigerant for ${unitId}`);
    return coverage({ refrigerant, fullChargeLb: unit.fullChargeLb }, config(unit.orgId));
  };
  return {
    unitRows,
    cylinderRows,
    transferRows,
    rateRows,
    leakRows,
    orgRows,
    catalogue,
    config,
    unitById,
    counts,
    chargesOf,
    engineRate,
    latestApproved,
    badge,
    isCovered,
  };
}

let data: Awaited<ReturnType<typeof load>>;

beforeAll(async () => {
  await seedDemo(db, NOW);
  data = await load();
});

describe("demo seed", () => {
  it("changes nothing when run again, even on a later day", async () => {
    const first = await snapshot();
    expect(first.transfers?.length).toBeGreaterThan(30);
    await seedDemo(db, NOW);
    expect(await snapshot()).toEqual(first);
    await seedDemo(db, new Date(NOW.getTime() + 3 * DAY));
    expect(await snapshot()).toEqual(first);
  });

  it("holds together whatever day it is seeded (every rule the builder checks)", async () => {
    const [orgRows, userRows, catalogue] = await Promise.all([
      db.select().from(organizations).all(),
      db.select().from(users).all(),
      db.select().from(refrigerants).all(),
    ]);
    const ctx = {
      epaConfigs: new Map(orgRows.map((org) => [org.id, org.epaConfig])),
      users: new Map(userRows.map((user) => [user.id, user])),
      refrigerants: new Map(catalogue.map((r) => [r.designation, r])),
    };
    // Every 5 days over two years, plus the turns of the year where the chronic year switches.
    const days = [
      ...Array.from({ length: 146 }, (_, i) => new Date(Date.UTC(2026, 0, 1, 18) + i * 5 * DAY)),
      new Date("2027-04-09T23:59:00Z"),
      new Date("2027-04-10T00:01:00Z"),
      new Date("2028-01-01T00:30:00Z"),
      new Date("2028-12-31T23:30:00Z"),
    ];
    for (const now of days) {
      const demo = buildRefrigerantDemo(now, ctx);
      const wic2 = demo.units.find((u) => u.id === DEMO_SCENARIO_UNITS.chronicLeaker);
      const additions = demo.transfers
        .filter((t) => t.unitId === wic2?.id && t.kind === "CHARGE" && t.status === "APPROVED" && !t.voidedAt)
        .map((t) => ({ performedAt: t.performedAt, lb: t.amountLb }));
      const result = chronicLeaker({ year: demoChronicYear(now), fullChargeLb: wic2?.fullChargeLb ?? 1, additions });
      expect(result.chronic, now.toISOString()).toBe(true);
      for (const t of demo.transfers) expect(+t.performedAt, t.id).toBeLessThan(+now);
      // A year of transfers: nothing older than 365 days, the oldest close to it.
      const oldest = Math.min(...demo.transfers.map((t) => +t.performedAt));
      expect(+now - oldest).toBeLessThanOrEqual(365 * DAY);
      expect(+now - oldest).toBeGreaterThan(300 * DAY);
    }
  });

  it("has units of every category and cylinders of every kind and status in Polar North", () => {
    const north = data.unitRows.filter((u) => u.orgId === NORTH);
    expect(new Set(north.map((u) => u.category))).toEqual(new Set(UNIT_CATEGORIES));
    const cyl = data.cylinderRows.filter((c) => c.orgId === NORTH);
    expect(new Set(cyl.map((c) => c.kind))).toEqual(new Set(CYLINDER_KINDS));
    expect(new Set(cyl.map((c) => c.status))).toEqual(new Set(CYLINDER_STATUSES));
    expect(cyl.filter((c) => c.status === "FOR_SALE").length).toBeGreaterThanOrEqual(3);
    for (const userId of ["user-tech1-north", "user-tech2-north"])
      expect(cyl.some((c) => c.status === "ASSIGNED" && c.holderUserId === userId)).toBe(true);
    // One cylinder out of its 5-year hydrostatic retest.
    const overdueHydro = cyl.filter(
      (c) =>
        c.hydroTestDate &&
        Date.parse(`${c.hydroTestDate}T00:00:00Z`) <
          Date.UTC(NOW.getUTCFullYear() - 5, NOW.getUTCMonth(), NOW.getUTCDate()),
    );
    expect(overdueHydro.length).toBeGreaterThanOrEqual(1);
    // Decommissioned units keep their reason and date.
    const decommissioned = north.filter((u) => u.status === "DECOMMISSIONED");
    expect(decommissioned.length).toBeGreaterThan(0);
    for (const u of decommissioned) expect([u.decommissionReason, u.decommissionedAt]).not.toContain(null);
    // Every cylinder has a history that starts where it entered the inventory and ends where it is.
    return Promise.all(
      cyl.map(async (c) => {
        const moves = await db.select().from(cylinderMoves).where(eq(cylinderMoves.cylinderId, c.id)).all();
        moves.sort((a, b) => +a.movedAt - +b.movedAt);
        expect(moves[0]?.fromHolderType, c.tag).toBeNull();
        const last = moves.at(-1);
        expect([last?.toHolderType, last?.toHolderUserId, last?.toHolderLocationId, last?.toStatus], c.tag).toEqual([
          c.holderType,
          c.holderUserId,
          c.holderLocationId,
          c.status,
        ]);
      }),
    );
  });

  it("keeps cylinder contents consistent with the transfers, never negative, recovery within 80%", async () => {
    const [orgRows, userRows, catalogue] = await Promise.all([
      db.select().from(organizations).all(),
      db.select().from(users).all(),
      db.select().from(refrigerants).all(),
    ]);
    const { openingContents } = buildRefrigerantDemo(NOW, {
      epaConfigs: new Map(orgRows.map((org) => [org.id, org.epaConfig])),
      users: new Map(userRows.map((user) => [user.id, user])),
      refrigerants: new Map(catalogue.map((r) => [r.designation, r])),
    });
    for (const c of data.cylinderRows) {
      expect(c.netContentsLb, c.tag).toBeGreaterThanOrEqual(0);
      expect(c.netContentsLb, c.tag).toBeLessThanOrEqual(c.waterCapacityLb);
      if (c.kind === "RECOVERY") expect(c.netContentsLb, c.tag).toBeLessThanOrEqual(c.waterCapacityLb * 0.8);
      if (c.status === "EMPTY") expect(c.netContentsLb, c.tag).toBe(0);
      const effective = data.transferRows.filter(data.counts);
      const out = effective.filter((t) => t.fromCylinderId === c.id).reduce((sum, t) => sum + t.amountLb, 0);
      const into = effective.filter((t) => t.toCylinderId === c.id).reduce((sum, t) => sum + t.amountLb, 0);
      expect(c.netContentsLb, c.tag).toBeCloseTo((openingContents.get(c.id) ?? Number.NaN) - out + into, 6);
    }
    // Transfers use matching refrigerants, and recoveries go into recovery cylinders.
    const byId = new Map(data.cylinderRows.map((c) => [c.id, c]));
    for (const t of data.transferRows) {
      for (const id of [t.fromCylinderId, t.toCylinderId])
        if (id) expect(byId.get(id)?.refrigerant, t.id).toBe(t.refrigerant);
      if (t.unitId) expect(data.unitById.get(t.unitId)?.refrigerant, t.id).toBe(t.refrigerant);
      if (t.kind === "RECOVER") expect(byId.get(t.toCylinderId ?? "")?.kind, t.id).toBe("RECOVERY");
    }
  });

  it("has a year of reviewed transfers with an approval queue, a rejection and a void", () => {
    const north = data.transferRows.filter((t) => t.orgId === NORTH);
    expect(new Set(north.map((t) => t.kind))).toEqual(new Set(["CHARGE", "RECOVER", "CYLINDER_TO_CYLINDER"]));
    const pendingByTech1 = north.filter(
      (t) => t.status === "PENDING" && t.technicianId === "user-tech1-north" && !t.voidedAt,
    );
    expect(pendingByTech1.length).toBeGreaterThanOrEqual(2);
    for (const t of pendingByTech1) expect(+NOW - +t.performedAt).toBeLessThan(7 * DAY);
    const rejected = north.filter((t) => t.status === "REJECTED");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reviewNote).toBeTruthy();
    const voided = north.filter((t) => t.voidedAt);
    expect(voided).toHaveLength(1);
    expect(voided[0]).toMatchObject({ voidedById: "user-admin-north", voidReason: expect.stringMatching(/\w/) });
    const approved = north.filter((t) => t.status === "APPROVED");
    expect(approved.length).toBeGreaterThan(north.length / 2);
    for (const t of [...approved, ...rejected])
      expect([t.reviewedById, t.reviewedByName]).toEqual(["user-manager-north", "Miles Manager"]);
    // The technician and their 608 certification, snapshotted from the users rows.
    expect(north.find((t) => t.technicianId === "user-tech1-north")).toMatchObject({
      technicianName: "Tess Tech",
      certificationNumber: "608-100200",
      certificationType: "UNIVERSAL",
    });
    expect(north.find((t) => t.technicianId === "user-tech2-north")).toMatchObject({
      certificationNumber: "608-100201",
      certificationType: "II",
    });
    for (const t of data.transferRows) expect(+t.performedAt, t.id).toBeLessThanOrEqual(+NOW);
  });

  it("stores for every charge exactly the leak rate the engine computes from the seeded transfers", () => {
    const charges = data.transferRows.filter((t) => t.kind === "CHARGE");
    expect(data.rateRows).toHaveLength(charges.length);
    for (const t of charges) {
      const stored = data.rateRows.find((r) => r.transferId === t.id);
      const rate = data.engineRate(t);
      expect(stored, t.id).toMatchObject({
        orgId: t.orgId,
        unitId: t.unitId,
        method: rate.method,
        percent: rate.percent,
        threshold: rate.threshold,
        alertLevel: rate.alertLevel,
        exceeded: rate.exceeded,
        alert: rate.alert,
        inputs: rate.inputs,
        explanation: rate.explanation,
        ruleVersion: rate.ruleVersion,
      });
    }
  });

  it("opens a leak repair for every approved charge over the threshold on a covered unit, and only then", () => {
    for (const t of data.transferRows.filter((t) => t.kind === "CHARGE" && t.status === "APPROVED" && !t.voidedAt)) {
      const rate = data.engineRate(t);
      const opened = data.leakRows.find((l) => l.leakRateId === `rate-${t.id}`);
      if (!rate.exceeded) {
        expect(opened, t.id).toBeUndefined();
        continue;
      }
      expect(data.isCovered(t.unitId ?? "").covered, t.id).toBe(true);
      const alreadyOpen = data.leakRows.some(
        (l) =>
          l.unitId === t.unitId &&
          l !== opened &&
          +l.createdAt <= Number(t.reviewedAt) &&
          !(l.followUpTestPassed && Number(l.followUpTestAt) <= Number(t.reviewedAt)) &&
          !(l.closedAt && +l.closedAt <= Number(t.reviewedAt)),
      );
      expect(Boolean(opened), t.id).toBe(!alreadyOpen);
      if (!opened) continue;
      const unit = data.unitById.get(t.unitId ?? "");
      const { repairDueAt } = repairDeadlines({
        detectedAt: t.performedAt,
        category: unit?.category ?? "OTHER",
        needsShutdown: unit?.repairNeedsShutdown,
      });
      expect(opened).toMatchObject({ foundAt: t.performedAt, repairDueAt, detectionMethod: "LEAK_RATE" });
    }
    for (const l of data.leakRows) {
      expect([l.foundByName, l.locationOnUnit, l.detectionMethod], l.id).not.toContain(null);
      if (l.initialTestPassed && l.initialTestAt)
        expect(l.followUpDueAt).toEqual(verificationDeadlines({ initialTestAt: l.initialTestAt }).followUpDueAt);
    }
  });

  it("shows one unit over its threshold with its repair due in the future", () => {
    const unitId = DEMO_SCENARIO_UNITS.overThreshold;
    const latest = data.latestApproved(unitId);
    expect(latest && data.engineRate(latest).exceeded).toBe(true);
    expect(data.isCovered(unitId).covered).toBe(true);
    const open = data.leakRows.filter((l) => l.unitId === unitId && l.status === "OPEN");
    expect(open).toHaveLength(1);
    expect(Number(open[0]?.repairDueAt)).toBeGreaterThan(+NOW);
    expect(data.badge(unitId)).toBe("OVER_THRESHOLD");
  });

  it("shows one overdue repair", () => {
    const overdue = data.leakRows.filter(
      (l) =>
        l.orgId === NORTH &&
        l.status === "OPEN" &&
        l.repairDueAt &&
        +l.repairDueAt < Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate()),
    );
    expect(overdue.map((l) => l.unitId)).toEqual([DEMO_SCENARIO_UNITS.overdueRepair]);
    expect(data.badge(DEMO_SCENARIO_UNITS.overdueRepair)).toBe("REPAIR_OVERDUE");
  });

  it("shows one chronic leaker in its calendar year, with its report due March 1", () => {
    const year = demoChronicYear(NOW);
    const chronic = data.unitRows
      .filter((u) => u.orgId === NORTH)
      .map((u) => ({
        unit: u,
        result: chronicLeaker({
          year,
          fullChargeLb: u.fullChargeLb,
          additions: data
            .chargesOf(u.id)
            .filter((t) => t.status === "APPROVED" && !t.voidedAt)
            .map((t) => ({ performedAt: t.performedAt, lb: t.amountLb })),
        }),
      }))
      .filter((entry) => entry.result.chronic);
    expect(chronic.map((entry) => entry.unit.id)).toEqual([DEMO_SCENARIO_UNITS.chronicLeaker]);
    expect(chronic[0]?.result.reportDueAt).toEqual(new Date(Date.UTC(year + 1, 2, 1)));
    // Its repair failed verification and a retrofit plan is in place.
    const cases = data.leakRows.filter((l) => l.unitId === DEMO_SCENARIO_UNITS.chronicLeaker);
    expect(cases.map((l) => l.status).sort()).toEqual(["CLOSED", "RETROFIT_PLANNED"]);
  });

  it("shows a unit at the alert level, a completed leak case, a Part 82 unit and uncovered units", () => {
    const alert = data.latestApproved(DEMO_SCENARIO_UNITS.alert);
    const rate = alert ? data.engineRate(alert) : null;
    expect([rate?.alert, rate?.exceeded]).toEqual([true, false]);
    expect(data.badge(DEMO_SCENARIO_UNITS.alert)).toBe("ALERT");

    const done = data.leakRows.find((l) => l.unitId === DEMO_SCENARIO_UNITS.completedCase);
    expect(done).toMatchObject({ status: "CLOSED", initialTestPassed: true, followUpTestPassed: true });
    expect(done?.repairedAt && done.closedAt && done.followUpTestAt && done.followUpDueAt).toBeTruthy();
    expect(Number(done?.followUpTestAt)).toBeLessThanOrEqual(Number(done?.followUpDueAt));
    expect(Number(done?.repairedAt)).toBeLessThanOrEqual(Number(done?.repairDueAt));
    expect(data.badge(DEMO_SCENARIO_UNITS.completedCase)).toBe("OK");

    const part82 = data.unitById.get(DEMO_SCENARIO_UNITS.part82);
    expect(data.isCovered(DEMO_SCENARIO_UNITS.part82).rule).toBe("PART_82_SUBPART_F");
    expect(part82).toMatchObject({ refrigerant: "R-22", category: "INDUSTRIAL_PROCESS", repairNeedsShutdown: true });
    const shutdownCase = data.leakRows.find((l) => l.unitId === DEMO_SCENARIO_UNITS.part82);
    expect((Number(shutdownCase?.repairDueAt) - Number(shutdownCase?.foundAt)) / DAY).toBeGreaterThan(119);

    for (const unitId of DEMO_SCENARIO_UNITS.notCovered) expect(data.isCovered(unitId).covered, unitId).toBe(false);
    const okUnits = data.unitRows.filter(
      (u) => u.orgId === NORTH && data.latestApproved(u.id) && data.badge(u.id) === "OK",
    );
    expect(okUnits.length).toBeGreaterThanOrEqual(6);
  });

  it("keeps every tenant's rows to itself", async () => {
    const [customerRows, locationRows, moveRows, grants] = await Promise.all([
      db.select().from(customers).all(),
      db.select().from(locations).all(),
      db.select().from(cylinderMoves).all(),
      db.select().from(userOrgAccess).all(),
    ]);
    const userRows = await db.select().from(users).all();
    const orgOf = new Map<string, string>([
      ...customerRows.map((r) => [r.id, r.orgId] as const),
      ...locationRows.map((r) => [r.id, r.orgId] as const),
      ...data.unitRows.map((r) => [r.id, r.orgId] as const),
      ...data.cylinderRows.map((r) => [r.id, r.orgId] as const),
      ...data.transferRows.map((r) => [r.id, r.orgId] as const),
      ...data.rateRows.map((r) => [r.id, r.orgId] as const),
    ]);
    const reaches = (userId: string | null, orgId: string) => {
      if (userId === null) return true;
      const user = userRows.find((u) => u.id === userId);
      return user?.orgId === orgId || grants.some((g) => g.userId === userId && g.orgId === orgId);
    };
    const same = (id: string | null, orgId: string) => id === null || orgOf.get(id) === orgId;
    const check = (what: string, orgId: string, ids: (string | null)[], people: (string | null)[]) => {
      for (const id of ids) expect(same(id, orgId), `${what} → ${id}`).toBe(true);
      for (const id of people) expect(reaches(id, orgId), `${what} → ${id}`).toBe(true);
    };
    for (const r of locationRows) check(r.id, r.orgId, [r.customerId], []);
    for (const r of data.unitRows) check(r.id, r.orgId, [r.locationId], []);
    for (const r of data.cylinderRows) check(r.id, r.orgId, [r.holderLocationId], [r.holderUserId]);
    for (const r of moveRows)
      check(
        r.id,
        r.orgId,
        [r.cylinderId, r.fromHolderLocationId, r.toHolderLocationId],
        [r.fromHolderUserId, r.toHolderUserId, r.movedById],
      );
    for (const r of data.transferRows)
      check(
        r.id,
        r.orgId,
        [r.unitId, r.fromCylinderId, r.toCylinderId],
        [r.technicianId, r.reviewedById, r.voidedById, r.createdById],
      );
    for (const r of data.rateRows) check(r.id, r.orgId, [r.unitId, r.transferId], []);
    for (const r of data.leakRows) check(r.id, r.orgId, [r.unitId, r.leakRateId], [r.foundById]);
    // Polar North's rows only name Polar North's own people (not even the roving South manager).
    const north = data.transferRows.filter((t) => t.orgId === NORTH);
    for (const t of north)
      for (const id of [t.technicianId, t.reviewedById, t.voidedById])
        if (id) expect(userRows.find((u) => u.id === id)?.orgId).toBe(NORTH);
    // The other tenants have a little data of their own.
    for (const orgId of ["org-polar-south", "org-frostline"]) {
      expect(data.unitRows.some((u) => u.orgId === orgId)).toBe(true);
      expect(data.cylinderRows.some((c) => c.orgId === orgId)).toBe(true);
      expect(data.transferRows.some((t) => t.orgId === orgId)).toBe(true);
    }
  });

  it("gives the schedule board a day: a double-booking, every open status, unassigned jobs, whatever day it is seeded", async () => {
    const [jobRows, appointmentRows, techRows, unitRows, userRows] = await Promise.all([
      db.select().from(jobs).all(),
      db.select().from(appointments).all(),
      db.select().from(appointmentTechnicians).all(),
      db.select().from(units).all(),
      db.select().from(users).all(),
    ]);
    const north = appointmentRows.filter((a) => a.orgId === NORTH);
    expect(new Set(north.map((a) => a.status))).toEqual(
      new Set(["SCHEDULED", "EN_ROUTE", "IN_PROGRESS", "COMPLETED", "CANCELED"]),
    );
    // Tess is double-booked: two open appointments of hers overlap.
    const tess = north.filter(
      (a) =>
        a.status !== "CANCELED" && techRows.some((t) => t.appointmentId === a.id && t.userId === "user-tech1-north"),
    );
    const overlapping = tess.some((a) =>
      tess.some(
        (b) =>
          a.id < b.id &&
          +a.startsAt < +b.startsAt + b.durationMinutes * 60_000 &&
          +b.startsAt < +a.startsAt + a.durationMinutes * 60_000,
      ),
    );
    expect(overlapping).toBe(true);
    // The tray: open jobs with no open appointment, including the two the browser tests assign.
    const open = new Set(["SCHEDULED", "EN_ROUTE", "IN_PROGRESS"]);
    const tray = jobRows.filter(
      (j) => j.orgId === NORTH && j.status === "PENDING" && !north.some((a) => a.jobId === j.id && open.has(a.status)),
    );
    expect(tray.map((j) => j.id)).toEqual(expect.arrayContaining(Object.values(DEMO_TRAY_JOBS)));
    expect(tray.length).toBeGreaterThanOrEqual(4);
    // Polar South has its own day, with its own technician; nobody works across tenants.
    expect(appointmentRows.some((a) => a.orgId === "org-polar-south")).toBe(true);
    for (const t of techRows) expect(userRows.find((u) => u.id === t.userId)?.orgId, t.appointmentId).toBe(t.orgId);
    for (const a of appointmentRows) expect(jobRows.find((j) => j.id === a.jobId)?.orgId, a.id).toBe(a.orgId);
    const jobUnitRows = await db.select().from(jobUnits).all();
    for (const ju of jobUnitRows)
      expect(unitRows.find((u) => u.id === ju.unitId)?.orgId, ju.jobId).toBe(
        jobRows.find((j) => j.id === ju.jobId)?.orgId,
      );

    // The story holds on any day, across daylight-saving changes (buildFieldDemo throws otherwise).
    const ctx = {
      timeZones: new Map([
        [NORTH, "America/Chicago"],
        ["org-polar-south", "America/Chicago"],
      ]),
      names: new Map(),
    };
    for (let i = 0; i < 61; i++) buildFieldDemo(new Date(Date.UTC(2026, 0, 1, 5) + i * 6 * DAY + i * 3_600_000), ctx);
  });
});
