/**
 * Analytics for the dashboards (issue 5): per org, and side by side for a parent org admin at the
 * top-level org, the figures an owner or a manager steers by — jobs by status, today's
 * appointments, refrigerant charged and recovered this month (lb and CO2e), leak repairs, units
 * over threshold, chronic leakers, cylinders on hand, pending approvals, and today's load per
 * technician.
 *
 * Every figure is one grouped SQL query over all the covered orgs at once (GROUP BY org), whatever
 * their number; "today" and "this month" are each org's own, in its time zone, passed to SQLite as
 * one JSON parameter. Units over threshold and chronic leakers are the compliance summary's own
 * (the engine's leak-status and 125% rules), so the dashboard and the compliance page agree.
 */
import { type AnyColumn, and, count, eq, inArray, isNull, ne, notInArray, type SQL, sql, sum } from "drizzle-orm";
import {
  appointments,
  appointmentTechnicians,
  cylinders,
  JOB_STATUSES,
  type JobStatus,
  jobs,
  leaks,
  refrigerants,
  transfers,
  userOrgAccess,
  users,
} from "../../db/schema";
import { OPEN_LEAK_STATUSES, overdueCondition } from "../leaks/service";
import { type Org, orgTree } from "../orgs/reach";
import type { OrgScope } from "../policy/guards";
import { complianceSummary, isCompanyView } from "../reports/service";
import { instantToZonedLocal, zonedLocalToInstant } from "../transfers/dates";
import type { Analytics, Figures, OrgFigures } from "./schemas";

/** Pounds to kilograms, exactly (the international avoirdupois pound). */
export const KG_PER_LB = 0.45359237;

/** Metric tonnes of CO2 equivalent of `lb` of a refrigerant with this GWP (lb × 0.45359237 × GWP / 1000). */
export const co2eTonnes = (lb: number, gwp: number | null) => (gwp === null ? 0 : (lb * KG_PER_LB * gwp) / 1000);

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const OPEN_JOB_STATUSES: readonly JobStatus[] = ["PENDING", "SCHEDULED", "IN_PROGRESS"];
const MINUTE_MS = 60_000;

/** `column IN (ids)` with the ids as one JSON parameter (D1 binds at most 100 per statement). */
const inOrgs = (column: AnyColumn, ids: readonly string[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

type Window = { id: string; dayStart: number; dayEnd: number; monthStart: number; monthEnd: number };

/** Today and this month of each org, in its own time zone, as instants (ms). */
function windowsOf(orgs: Org[], now: Date) {
  return orgs.map((org) => {
    const local = instantToZonedLocal(now, org.timeZone);
    const today = local.slice(0, 10);
    const month = local.slice(0, 7);
    const [y = 1970, m = 1] = month.split("-").map(Number);
    const nextMonth = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
    const tomorrow = new Date(`${today}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const at = (day: string) => {
      const instant = zonedLocalToInstant(day, org.timeZone);
      // The days are computed here from a valid instant; null would be a bug, not bad input.
      if (!instant) throw new Error(`Unreadable day ${day} in ${org.timeZone}`);
      return instant.getTime();
    };
    return {
      org,
      today,
      month,
      window: {
        id: org.id,
        dayStart: at(today),
        dayEnd: at(tomorrow.toISOString().slice(0, 10)),
        monthStart: at(`${month}-01`),
        monthEnd: at(`${nextMonth}-01`),
      } satisfies Window,
    };
  });
}

const windowField = (key: keyof Window) => sql<number>`json_extract(w.value, ${`$.${key}`})`;

const emptyFigures = (): Figures => ({
  activeUsers: 0,
  jobs: {
    byStatus: Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>,
    total: 0,
    open: 0,
  },
  appointmentsToday: 0,
  refrigerant: { byRefrigerant: [], chargedLb: 0, recoveredLb: 0, chargedCo2eTonnes: 0, recoveredCo2eTonnes: 0 },
  leaks: { openRepairs: 0, overdueRepairs: 0, unitsOverThreshold: 0, chronicLeakers: 0 },
  cylinders: { onHand: 0, lb: 0, byRefrigerant: [] },
  pendingApprovals: 0,
});

type RefrigerantSums = Map<string, { gwp: number | null; chargedLb: number; recoveredLb: number }>;
type CylinderSums = Map<string, { count: number; lb: number }>;

/** The refrigerant and cylinder figures from raw sums: rounded once, CO2e from the summed lb. */
function settleRefrigerant(sums: RefrigerantSums): Figures["refrigerant"] {
  const byRefrigerant = [...sums.entries()]
    .map(([refrigerant, s]) => ({
      refrigerant,
      gwp: s.gwp,
      chargedLb: round(s.chargedLb),
      recoveredLb: round(s.recoveredLb),
      chargedCo2eTonnes: round(co2eTonnes(s.chargedLb, s.gwp)),
      recoveredCo2eTonnes: round(co2eTonnes(s.recoveredLb, s.gwp)),
    }))
    .sort(
      (a, b) =>
        b.chargedLb + b.recoveredLb - (a.chargedLb + a.recoveredLb) || a.refrigerant.localeCompare(b.refrigerant),
    );
  const total = (pick: (s: { gwp: number | null; chargedLb: number; recoveredLb: number }) => number) =>
    round([...sums.values()].reduce((acc, s) => acc + pick(s), 0));
  return {
    byRefrigerant,
    chargedLb: total((s) => s.chargedLb),
    recoveredLb: total((s) => s.recoveredLb),
    chargedCo2eTonnes: total((s) => co2eTonnes(s.chargedLb, s.gwp)),
    recoveredCo2eTonnes: total((s) => co2eTonnes(s.recoveredLb, s.gwp)),
  };
}

function settleCylinders(sums: CylinderSums): Figures["cylinders"] {
  const byRefrigerant = [...sums.entries()]
    .map(([refrigerant, s]) => ({ refrigerant, count: s.count, lb: round(s.lb) }))
    .sort((a, b) => b.lb - a.lb || a.refrigerant.localeCompare(b.refrigerant));
  return {
    onHand: byRefrigerant.reduce((acc, row) => acc + row.count, 0),
    lb: round([...sums.values()].reduce((acc, s) => acc + s.lb, 0)),
    byRefrigerant,
  };
}

/**
 * The analytics the caller may see from this org: a PARENT_ORG_ADMIN at the top-level org gets
 * every non-archived org of the company side by side and their total; anyone else this org only.
 */
export async function orgAnalytics(scope: OrgScope, now = new Date()): Promise<Analytics> {
  const { db } = scope;
  const company = isCompanyView(scope);
  const orgs = company ? await orgTree(db, scope.org.id) : [scope.org];
  const ids = orgs.map((org) => org.id);
  const zoned = windowsOf(orgs, now);
  const windows = zoned.map((entry) => entry.window);
  const windowsJson = JSON.stringify(windows);
  /** EXISTS a window `w` of the row's org for which `test` holds. */
  const within = (orgColumn: AnyColumn, test: SQL) =>
    sql`EXISTS (SELECT 1 FROM json_each(${windowsJson}) w WHERE ${windowField("id")} = ${orgColumn} AND ${test})`;
  const overlapsToday = within(
    appointments.orgId,
    sql`${appointments.startsAt} < ${windowField("dayEnd")}
      AND ${appointments.startsAt} + ${appointments.durationMinutes} * ${MINUTE_MS} > ${windowField("dayStart")}`,
  );
  const thisMonth = within(
    transfers.orgId,
    sql`${transfers.performedAt} >= ${windowField("monthStart")} AND ${transfers.performedAt} < ${windowField("monthEnd")}`,
  );
  const liveAppointmentToday = and(
    inOrgs(appointments.orgId, ids),
    ne(appointments.status, "CANCELED"),
    isNull(jobs.deletedAt),
    overlapsToday,
  );
  const hours = sql<number>`coalesce(sum(${appointments.durationMinutes}), 0)`;

  // The figures in one D1 batch (one round trip, one consistent snapshot), beside the compliance
  // summary's own reads.
  const [
    [
      jobRows,
      appointmentRows,
      refrigerantRows,
      leakRows,
      cylinderRows,
      pendingRows,
      userRows,
      loadRows,
      technicianRows,
    ],
    summary,
  ] = await Promise.all([
    db.batch([
      db
        .select({ orgId: jobs.orgId, status: jobs.status, n: count() })
        .from(jobs)
        .where(and(inOrgs(jobs.orgId, ids), isNull(jobs.deletedAt)))
        .groupBy(jobs.orgId, jobs.status),
      db
        .select({ orgId: appointments.orgId, n: count() })
        .from(appointments)
        .innerJoin(jobs, eq(jobs.id, appointments.jobId))
        .where(liveAppointmentToday)
        .groupBy(appointments.orgId),
      db
        .select({
          orgId: transfers.orgId,
          refrigerant: transfers.refrigerant,
          kind: transfers.kind,
          gwp: refrigerants.gwp,
          lb: sql<number>`sum(${transfers.amountLb})`.mapWith(Number),
        })
        .from(transfers)
        .leftJoin(refrigerants, eq(refrigerants.designation, transfers.refrigerant))
        .where(
          and(
            inOrgs(transfers.orgId, ids),
            eq(transfers.status, "APPROVED"),
            isNull(transfers.voidedAt),
            inArray(transfers.kind, ["CHARGE", "RECOVER"]),
            thisMonth,
          ),
        )
        .groupBy(transfers.orgId, transfers.refrigerant, transfers.kind),
      db
        .select({
          orgId: leaks.orgId,
          open: count(),
          overdue: sql<number>`coalesce(sum(CASE WHEN ${overdueCondition(now)} THEN 1 ELSE 0 END), 0)`.mapWith(Number),
        })
        .from(leaks)
        .where(and(inOrgs(leaks.orgId, ids), inArray(leaks.status, OPEN_LEAK_STATUSES)))
        .groupBy(leaks.orgId),
      db
        .select({
          orgId: cylinders.orgId,
          refrigerant: cylinders.refrigerant,
          n: count(),
          lb: sum(cylinders.netContentsLb).mapWith(Number),
        })
        .from(cylinders)
        .where(
          and(
            inOrgs(cylinders.orgId, ids),
            notInArray(cylinders.status, ["SOLD", "RETIRED"]),
            isNull(cylinders.deletedAt),
          ),
        )
        .groupBy(cylinders.orgId, cylinders.refrigerant),
      db
        .select({ orgId: transfers.orgId, n: count() })
        .from(transfers)
        .where(and(inOrgs(transfers.orgId, ids), eq(transfers.status, "PENDING"), isNull(transfers.voidedAt)))
        .groupBy(transfers.orgId),
      db
        .select({ orgId: users.orgId, n: count() })
        .from(users)
        .where(and(inOrgs(users.orgId, ids), eq(users.status, "ACTIVE")))
        .groupBy(users.orgId),
      // Today's load per (org, technician): whoever holds an appointment today, technician or not.
      db
        .select({
          orgId: appointments.orgId,
          userId: appointmentTechnicians.userId,
          name: users.name,
          n: count(),
          minutes: hours.mapWith(Number),
        })
        .from(appointmentTechnicians)
        .innerJoin(appointments, eq(appointments.id, appointmentTechnicians.appointmentId))
        .innerJoin(jobs, eq(jobs.id, appointments.jobId))
        .innerJoin(users, eq(users.id, appointmentTechnicians.userId))
        .where(liveAppointmentToday)
        .groupBy(appointments.orgId, appointmentTechnicians.userId),
      // The active technicians of each covered org: at home there, or granted access to it.
      db
        .select({ orgId: users.orgId, userId: users.id, name: users.name })
        .from(users)
        .where(and(inOrgs(users.orgId, ids), eq(users.role, "TECHNICIAN"), eq(users.status, "ACTIVE")))
        .union(
          db
            .select({ orgId: userOrgAccess.orgId, userId: users.id, name: users.name })
            .from(userOrgAccess)
            .innerJoin(users, eq(users.id, userOrgAccess.userId))
            .where(and(inOrgs(userOrgAccess.orgId, ids), eq(users.role, "TECHNICIAN"), eq(users.status, "ACTIVE"))),
        ),
    ]),
    complianceSummary(scope, now),
  ]);

  // Accumulate every grouped row into its org's figures.
  const perOrg = new Map(
    orgs.map((org) => [
      org.id,
      { figures: emptyFigures(), refrigerant: new Map() as RefrigerantSums, cylinders: new Map() as CylinderSums },
    ]),
  );
  const of = (orgId: string) => perOrg.get(orgId);
  for (const row of jobRows) {
    const entry = of(row.orgId);
    if (!entry) continue;
    entry.figures.jobs.byStatus[row.status] += row.n;
    entry.figures.jobs.total += row.n;
    if (OPEN_JOB_STATUSES.includes(row.status)) entry.figures.jobs.open += row.n;
  }
  for (const row of appointmentRows) {
    const entry = of(row.orgId);
    if (entry) entry.figures.appointmentsToday = row.n;
  }
  for (const row of refrigerantRows) {
    const entry = of(row.orgId);
    if (!entry) continue;
    const sums = entry.refrigerant.get(row.refrigerant) ?? { gwp: row.gwp, chargedLb: 0, recoveredLb: 0 };
    if (row.kind === "CHARGE") sums.chargedLb += row.lb;
    else sums.recoveredLb += row.lb;
    entry.refrigerant.set(row.refrigerant, sums);
  }
  for (const row of leakRows) {
    const entry = of(row.orgId);
    if (!entry) continue;
    entry.figures.leaks.openRepairs = row.open;
    entry.figures.leaks.overdueRepairs = row.overdue;
  }
  for (const item of summary.unitsOverThreshold) {
    const entry = of(item.orgId);
    if (entry) entry.figures.leaks.unitsOverThreshold += 1;
  }
  for (const item of summary.chronicLeakers) {
    const entry = of(item.orgId);
    if (entry) entry.figures.leaks.chronicLeakers += 1;
  }
  for (const row of cylinderRows) {
    of(row.orgId)?.cylinders.set(row.refrigerant, { count: row.n, lb: row.lb ?? 0 });
  }
  for (const row of pendingRows) {
    const entry = of(row.orgId);
    if (entry) entry.figures.pendingApprovals = row.n;
  }
  for (const row of userRows) {
    const entry = of(row.orgId);
    if (entry) entry.figures.activeUsers = row.n;
  }

  const orgFigures: OrgFigures[] = zoned.map(({ org, today, month }) => {
    const entry = perOrg.get(org.id);
    const figures = entry?.figures ?? emptyFigures();
    return {
      orgId: org.id,
      name: org.name,
      isParent: org.parentOrgId === null,
      timeZone: org.timeZone,
      today,
      month,
      ...figures,
      refrigerant: settleRefrigerant(entry?.refrigerant ?? new Map()),
      cylinders: settleCylinders(entry?.cylinders ?? new Map()),
    };
  });

  // The company total: counts added, refrigerant and cylinders summed by refrigerant, then rounded.
  const total = emptyFigures();
  const allRefrigerant: RefrigerantSums = new Map();
  const allCylinders: CylinderSums = new Map();
  for (const entry of perOrg.values()) {
    const f = entry.figures;
    total.activeUsers += f.activeUsers;
    for (const status of JOB_STATUSES) total.jobs.byStatus[status] += f.jobs.byStatus[status];
    total.jobs.total += f.jobs.total;
    total.jobs.open += f.jobs.open;
    total.appointmentsToday += f.appointmentsToday;
    total.leaks.openRepairs += f.leaks.openRepairs;
    total.leaks.overdueRepairs += f.leaks.overdueRepairs;
    total.leaks.unitsOverThreshold += f.leaks.unitsOverThreshold;
    total.leaks.chronicLeakers += f.leaks.chronicLeakers;
    total.pendingApprovals += f.pendingApprovals;
    for (const [refrigerant, s] of entry.refrigerant) {
      const sums = allRefrigerant.get(refrigerant) ?? { gwp: s.gwp, chargedLb: 0, recoveredLb: 0 };
      sums.chargedLb += s.chargedLb;
      sums.recoveredLb += s.recoveredLb;
      allRefrigerant.set(refrigerant, sums);
    }
    for (const [refrigerant, s] of entry.cylinders) {
      const sums = allCylinders.get(refrigerant) ?? { count: 0, lb: 0 };
      sums.count += s.count;
      sums.lb += s.lb;
      allCylinders.set(refrigerant, sums);
    }
  }
  total.refrigerant = settleRefrigerant(allRefrigerant);
  total.cylinders = settleCylinders(allCylinders);

  // Every technician of a covered org, with or without work today; the busiest first.
  const load = new Map(loadRows.map((row) => [`${row.orgId}:${row.userId}`, row]));
  const people = new Map<string, { orgId: string; userId: string; name: string }>();
  for (const row of [...technicianRows, ...loadRows]) people.set(`${row.orgId}:${row.userId}`, row);
  const orgOrder = new Map(ids.map((id, index) => [id, index]));
  const workload = [...people.entries()]
    .map(([key, person]) => {
      const row = load.get(key);
      return {
        orgId: person.orgId,
        userId: person.userId,
        name: person.name,
        appointments: row?.n ?? 0,
        hours: round((row?.minutes ?? 0) / 60, 2),
      };
    })
    .sort(
      (a, b) =>
        (orgOrder.get(a.orgId) ?? 0) - (orgOrder.get(b.orgId) ?? 0) ||
        b.hours - a.hours ||
        a.name.localeCompare(b.name, "en"),
    );

  return {
    view: company ? "company" : "org",
    generatedAt: now.toISOString(),
    chronicLeakerYears: summary.years,
    orgs: orgFigures,
    total,
    workload,
  };
}
