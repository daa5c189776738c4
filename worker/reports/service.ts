/**
 * Compliance reporting (SPEC §6) and the compliance dashboard.
 *
 * The report for a period holds the EPA service records (one per approved, non-voided transfer),
 * the leak repairs active in the period, and the chronic leakers of every calendar year the period
 * touches. It reads the tables directly. Every computed figure comes from the compliance engine
 * (`chronicLeaker`, `leakStatus`) or is a stored engine result (leak rates); a leak case's
 * deadlines and overdue state come from the leaks module's `leakDeadlines`, so the report, the
 * dashboard and the leak pages always agree.
 *
 * A PARENT_ORG_ADMIN at the top-level org sees the whole company (SPEC §4 "reports, analytics,
 * compliance: all orgs"); every row then carries the org it belongs to.
 */
import { aliasedTable, and, asc, desc, eq, gte, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import {
  customers,
  cylinders,
  leakRates,
  leaks,
  locations,
  organizations,
  refrigerants,
  transfers,
  units,
} from "../../db/schema";
import { chronicLeaker, coverage, type LeakStatus, leakStatus } from "../compliance/engine";
import { CATEGORY_LABELS } from "../compliance/rules";
import { type Deadline, LEAK_STATUS_LABELS, leakDeadlines, OPEN_LEAK_STATUSES } from "../leaks/service";
import type { Org } from "../orgs/reach";
import type { OrgScope } from "../policy/guards";
import { boundOf, instantToZonedLocal } from "../transfers/dates";
import type { ComplianceReportQuery } from "./schemas";

type Unit = typeof units.$inferSelect;
type Location = typeof locations.$inferSelect;
type Leak = typeof leaks.$inferSelect;
type LeakRateRow = typeof leakRates.$inferSelect;
type TransferKind = (typeof transfers.$inferSelect)["kind"];

export const SERVICE_KIND_LABELS: Record<TransferKind, string> = {
  CHARGE: "Charge (added)",
  RECOVER: "Recovery",
  CYLINDER_TO_CYLINDER: "Cylinder to cylinder",
};

export const METHOD_LABELS: Record<LeakRateRow["method"], string> = {
  ANNUALIZING: "Annualizing",
  ROLLING_AVERAGE: "Rolling average",
};

// ---------------------------------------------------------------------------------------------
// Which orgs, which period

export type ReportOrg = { id: string; name: string; archived: boolean };

/**
 * The orgs a report or the dashboard covers: the whole company for a PARENT_ORG_ADMIN at the
 * top-level org, else the org in the URL. Archived branches stay in period reports (their records
 * are kept) but leave the live dashboard.
 */
async function coveredOrgs(scope: OrgScope, { includeArchived }: { includeArchived: boolean }): Promise<Org[]> {
  if (!isCompanyView(scope)) return [scope.org];
  const rows = await scope.db
    .select()
    .from(organizations)
    .where(
      and(
        or(eq(organizations.id, scope.org.id), eq(organizations.parentOrgId, scope.org.id)),
        includeArchived ? undefined : isNull(organizations.archivedAt),
      ),
    )
    .all();
  return rows.sort((a, b) =>
    a.id === scope.org.id ? -1 : b.id === scope.org.id ? 1 : a.name.localeCompare(b.name, "en"),
  );
}

/** Whether the caller sees every org of the company from here. */
export const isCompanyView = (scope: OrgScope) =>
  scope.org.parentOrgId === null && scope.actor.role === "PARENT_ORG_ADMIN";

export type Period = {
  /** YYYY-MM-DD, first day, inclusive, in `timeZone`. */
  from: string;
  /** YYYY-MM-DD, last day, inclusive, in `timeZone`. */
  to: string;
  timeZone: string;
  /** The first instant of `from`. */
  start: string;
  /** The first instant after `to` (exclusive). */
  end: string;
};

/**
 * The period asked for, read in the org's time zone; by default the current calendar year. With
 * only one end given, the other is the same calendar year's first or last day.
 */
export function resolvePeriod(query: Pick<ComplianceReportQuery, "from" | "to">, timeZone: string, now: Date) {
  const thisYear = instantToZonedLocal(now, timeZone).slice(0, 4);
  const from = query.from ?? `${(query.to ?? thisYear).slice(0, 4)}-01-01`;
  const to = query.to ?? `${from.slice(0, 4)}-12-31`;
  const start = boundOf(from, timeZone, false);
  const end = boundOf(to, timeZone, true);
  // Both are validated days; a null here would be a bug, not bad input.
  if (!start || !end) throw new Error(`Unreadable period ${from}..${to} in ${timeZone}`);
  return { from, to, timeZone, start: start.toISOString(), end: end.toISOString(), startAt: start, endAt: end };
}

// ---------------------------------------------------------------------------------------------
// Views

const address = (location: Location) => `${location.street}, ${location.city}, ${location.state} ${location.zip}`;

const unitView = (unit: Unit) => ({
  id: unit.id,
  name: unit.name,
  manufacturer: unit.manufacturer,
  model: unit.model,
  serial: unit.serial,
  category: unit.category,
  categoryLabel: CATEGORY_LABELS[unit.category],
  refrigerant: unit.refrigerant,
  fullChargeLb: unit.fullChargeLb,
  status: unit.status,
});
export type ReportUnit = ReturnType<typeof unitView>;

const locationView = (location: Location | null, customerName: string | null) =>
  location
    ? {
        id: location.id,
        name: location.name,
        customerId: location.customerId,
        customerName,
        address: address(location),
      }
    : null;
export type ReportLocation = NonNullable<ReturnType<typeof locationView>>;

const leakRateView = (rate: LeakRateRow, performedAt: Date) => ({
  id: rate.id,
  transferId: rate.transferId,
  method: rate.method,
  methodLabel: METHOD_LABELS[rate.method],
  percent: rate.percent,
  threshold: rate.threshold,
  alertLevel: rate.alertLevel,
  exceeded: rate.exceeded,
  alert: rate.alert,
  explanation: rate.explanation,
  ruleVersion: rate.ruleVersion,
  performedAt: performedAt.toISOString(),
});

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Of a case's unmet deadlines, the one to act on: an overdue one first, else the nearest. */
function nextDeadline(leak: Leak, deadlines: Deadline[]): Deadline | null {
  if (leak.status === "CLOSED" || leak.status === "RETIRED") return null;
  const pending = deadlines.filter((deadline) => !deadline.metAt);
  return (
    pending.find((deadline) => deadline.overdue) ??
    [...pending].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0] ??
    null
  );
}

// ---------------------------------------------------------------------------------------------
// Queries shared by the report and the dashboard

const fromCylinders = aliasedTable(cylinders, "from_cylinders");
const toCylinders = aliasedTable(cylinders, "to_cylinders");

/** Approved, non-voided: the transfers that count (pending, rejected and voided ones do not). */
const countedTransfer = (orgIds: string[]) =>
  and(inArray(transfers.orgId, orgIds), eq(transfers.status, "APPROVED"), isNull(transfers.voidedAt));

async function leakRows(scope: OrgScope, orgIds: string[], where: SQL | undefined) {
  return scope.db
    .select({ leak: leaks, unit: units, location: locations, customerName: customers.name })
    .from(leaks)
    .innerJoin(units, and(eq(units.id, leaks.unitId), eq(units.orgId, leaks.orgId)))
    .leftJoin(locations, eq(locations.id, units.locationId))
    .leftJoin(customers, eq(customers.id, locations.customerId))
    .where(and(inArray(leaks.orgId, orgIds), where))
    .orderBy(asc(leaks.foundAt), asc(leaks.id))
    .all();
}

type LeakRow = Awaited<ReturnType<typeof leakRows>>[number];

function leakRepairView(row: LeakRow, orgName: string, now: Date) {
  const { leak, unit } = row;
  const deadlines = leakDeadlines(leak, unit, now);
  const next = nextDeadline(leak, deadlines);
  const repairedLate =
    leak.repairDueAt !== null &&
    leak.repairedAt !== null &&
    leak.repairedAt.toISOString().slice(0, 10) > leak.repairDueAt.toISOString().slice(0, 10);
  return {
    id: leak.id,
    orgId: leak.orgId,
    orgName,
    unit: unitView(unit),
    location: locationView(row.location, row.customerName),
    status: leak.status,
    statusLabel: LEAK_STATUS_LABELS[leak.status],
    open: OPEN_LEAK_STATUSES.includes(leak.status),
    foundAt: leak.foundAt.toISOString(),
    foundByName: leak.foundByName,
    detectionMethod: leak.detectionMethod,
    locationOnUnit: leak.locationOnUnit,
    repairDueAt: leak.repairDueAt?.toISOString() ?? null,
    repairedAt: leak.repairedAt?.toISOString() ?? null,
    /** Repaired after the repair's due day. */
    repairedLate,
    repairDescription: leak.repairDescription,
    initialTest: leak.initialTestAt ? { at: leak.initialTestAt.toISOString(), passed: !!leak.initialTestPassed } : null,
    followUpDueAt: leak.followUpDueAt?.toISOString() ?? null,
    followUpTest: leak.followUpTestAt
      ? { at: leak.followUpTestAt.toISOString(), passed: !!leak.followUpTestPassed }
      : null,
    retrofitPlanDueAt: leak.retrofitPlanDueAt?.toISOString() ?? null,
    retrofitPlanAt: leak.retrofitPlanAt?.toISOString() ?? null,
    retrofitCompleteBy: leak.retrofitCompleteBy?.toISOString() ?? null,
    closedAt: leak.closedAt?.toISOString() ?? null,
    /** Some deadline is past and unmet, as of the report's generation. */
    overdue: deadlines.some((deadline) => deadline.overdue),
    nextDeadline: next,
    deadlines,
  };
}
export type LeakRepair = ReturnType<typeof leakRepairView>;

/** Chronic leakers (the engine's 125% rule) among the org's units, for each UTC calendar year given. */
async function chronicLeakers(scope: OrgScope, orgIds: string[], years: number[], orgNames: Map<string, string>) {
  if (years.length === 0) return [];
  const first = Math.min(...years);
  const last = Math.max(...years);
  const rows = await scope.db
    .select({
      unit: units,
      location: locations,
      customerName: customers.name,
      performedAt: transfers.performedAt,
      amountLb: transfers.amountLb,
    })
    .from(transfers)
    .innerJoin(units, and(eq(units.id, transfers.unitId), eq(units.orgId, transfers.orgId)))
    .leftJoin(locations, eq(locations.id, units.locationId))
    .leftJoin(customers, eq(customers.id, locations.customerId))
    .where(
      and(
        countedTransfer(orgIds),
        eq(transfers.kind, "CHARGE"),
        gte(transfers.performedAt, new Date(Date.UTC(first, 0, 1))),
        lt(transfers.performedAt, new Date(Date.UTC(last + 1, 0, 1))),
      ),
    )
    .all();
  const byUnit = new Map<
    string,
    { unit: Unit; row: (typeof rows)[number]; additions: { performedAt: Date; lb: number }[] }
  >();
  for (const row of rows) {
    const entry = byUnit.get(row.unit.id) ?? { unit: row.unit, row, additions: [] };
    entry.additions.push({ performedAt: row.performedAt, lb: row.amountLb });
    byUnit.set(row.unit.id, entry);
  }
  const list = [];
  for (const { unit, row, additions } of byUnit.values()) {
    for (const year of years) {
      const result = chronicLeaker({ year, fullChargeLb: unit.fullChargeLb, additions });
      if (!result.chronic) continue;
      list.push({
        orgId: unit.orgId,
        orgName: orgNames.get(unit.orgId) ?? "",
        unit: unitView(unit),
        location: locationView(row.location, row.customerName),
        year,
        lbAdded: result.lbAdded,
        fullChargeLb: unit.fullChargeLb,
        percentOfFullCharge: result.percentOfFullCharge,
        threshold: result.threshold,
        additionsCounted: result.additionsCounted,
        reportDueAt: result.reportDueAt.toISOString(),
        explanation: result.explanation,
        ruleVersion: result.ruleVersion,
      });
    }
  }
  return list.sort(
    (a, b) =>
      b.year - a.year || b.percentOfFullCharge - a.percentOfFullCharge || a.unit.name.localeCompare(b.unit.name),
  );
}
export type ChronicLeakerRow = Awaited<ReturnType<typeof chronicLeakers>>[number];

const orgHeader = (org: Org) => ({
  id: org.id,
  name: org.name,
  ein: org.ein,
  brandLogoUrl: org.brandLogoUrl,
  brandColor: org.brandColor,
  timeZone: org.timeZone,
});

// ---------------------------------------------------------------------------------------------
// The report

export async function complianceReport(
  scope: OrgScope,
  query: Pick<ComplianceReportQuery, "from" | "to">,
  now = new Date(),
) {
  const { db } = scope;
  const period = resolvePeriod(query, scope.org.timeZone, now);
  const orgs = await coveredOrgs(scope, { includeArchived: true });
  const orgIds = orgs.map((org) => org.id);
  const orgNames = new Map(orgs.map((org) => [org.id, org.name]));

  const [transferRows, repairRows] = await Promise.all([
    db
      .select({
        transfer: transfers,
        unit: units,
        location: locations,
        customerName: customers.name,
        rate: leakRates,
        fromCylinderTag: fromCylinders.tag,
        toCylinderTag: toCylinders.tag,
      })
      .from(transfers)
      .leftJoin(units, and(eq(units.id, transfers.unitId), eq(units.orgId, transfers.orgId)))
      .leftJoin(locations, eq(locations.id, units.locationId))
      .leftJoin(customers, eq(customers.id, locations.customerId))
      .leftJoin(leakRates, and(eq(leakRates.transferId, transfers.id), eq(leakRates.orgId, transfers.orgId)))
      .leftJoin(fromCylinders, eq(fromCylinders.id, transfers.fromCylinderId))
      .leftJoin(toCylinders, eq(toCylinders.id, transfers.toCylinderId))
      .where(
        and(
          countedTransfer(orgIds),
          gte(transfers.performedAt, period.startAt),
          lt(transfers.performedAt, period.endAt),
        ),
      )
      .orderBy(asc(transfers.performedAt), asc(transfers.id))
      .all(),
    // Cases active at some point in the period: found before its end, not closed before its start.
    leakRows(
      scope,
      orgIds,
      and(lt(leaks.foundAt, period.endAt), or(isNull(leaks.closedAt), gte(leaks.closedAt, period.startAt))),
    ),
  ]);

  const serviceRecords = transferRows.map((row) => {
    const { transfer, unit } = row;
    return {
      id: transfer.id,
      orgId: transfer.orgId,
      orgName: orgNames.get(transfer.orgId) ?? "",
      performedAt: transfer.performedAt.toISOString(),
      kind: transfer.kind,
      kindLabel: SERVICE_KIND_LABELS[transfer.kind],
      unit: unit ? unitView(unit) : null,
      location: locationView(row.location, row.customerName),
      technician: {
        id: transfer.technicianId,
        name: transfer.technicianName,
        certificationNumber: transfer.certificationNumber,
        certificationType: transfer.certificationType,
      },
      refrigerant: transfer.refrigerant,
      amountLb: transfer.amountLb,
      addedLb: transfer.kind === "CHARGE" ? transfer.amountLb : null,
      recoveredLb: transfer.kind === "RECOVER" ? transfer.amountLb : null,
      fromCylinderTag: row.fromCylinderTag,
      toCylinderTag: row.toCylinderTag,
      fullChargeLb: unit?.fullChargeLb ?? null,
      leakRate: row.rate ? leakRateView(row.rate, transfer.performedAt) : null,
      jobId: transfer.jobId,
      reviewedByName: transfer.reviewedByName,
      reviewedAt: transfer.reviewedAt?.toISOString() ?? null,
    };
  });

  const leakRepairs = repairRows.map((row) => leakRepairView(row, orgNames.get(row.leak.orgId) ?? "", now));

  // Chronic leakers are counted per UTC calendar year (EPA's rule); every year the period touches.
  const firstYear = Number(period.from.slice(0, 4));
  const lastYear = Number(period.to.slice(0, 4));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  const chronic = await chronicLeakers(scope, orgIds, years, orgNames);

  const sumBy = (kind: TransferKind) => {
    const totals: Record<string, number> = {};
    for (const record of serviceRecords)
      if (record.kind === kind) totals[record.refrigerant] = round((totals[record.refrigerant] ?? 0) + record.amountLb);
    return totals;
  };
  const unitsOverThreshold = new Set(
    serviceRecords.flatMap((record) => (record.leakRate?.exceeded && record.unit ? [record.unit.id] : [])),
  ).size;

  return {
    org: orgHeader(scope.org),
    aggregated: orgs.length > 1,
    orgs: orgs.map((org): ReportOrg => ({ id: org.id, name: org.name, archived: org.archivedAt !== null })),
    period: { from: period.from, to: period.to, timeZone: period.timeZone, start: period.start, end: period.end },
    generatedAt: now.toISOString(),
    serviceRecords,
    leakRepairs,
    chronicLeakers: chronic,
    summary: {
      serviceRecords: serviceRecords.length,
      lbAddedByRefrigerant: sumBy("CHARGE"),
      lbRecoveredByRefrigerant: sumBy("RECOVER"),
      /** Units with an approved leak rate over their threshold in the period. */
      unitsOverThreshold,
      /** Of the period's leak repairs, those still open now. */
      openRepairs: leakRepairs.filter((repair) => repair.open).length,
      overdueRepairs: leakRepairs.filter((repair) => repair.overdue).length,
      chronicLeakers: chronic.length,
    },
  };
}

export type ComplianceReport = Awaited<ReturnType<typeof complianceReport>>;
export type ServiceRecord = ComplianceReport["serviceRecords"][number];

// ---------------------------------------------------------------------------------------------
// The dashboard

function coverageOf(unit: Unit, refrigerant: typeof refrigerants.$inferSelect | null, org: Org, now: Date) {
  if (!refrigerant) return { covered: false, rule: null, reason: `${unit.refrigerant} is not in the catalogue.` };
  const result = coverage({ refrigerant, fullChargeLb: unit.fullChargeLb, asOf: now }, org.epaConfig);
  return { covered: result.covered, rule: result.rule, reason: result.reason };
}

export async function complianceSummary(scope: OrgScope, now = new Date()) {
  const { db } = scope;
  const orgs = await coveredOrgs(scope, { includeArchived: false });
  const orgIds = orgs.map((org) => org.id);
  const orgNames = new Map(orgs.map((org) => [org.id, org.name]));
  const orgById = new Map(orgs.map((org) => [org.id, org]));
  const thisYear = now.getUTCFullYear();

  const [allLeaks, rateRows, chronic] = await Promise.all([
    leakRows(scope, orgIds, undefined),
    // Approved leak rates of units in service, newest service first: the first per unit is its latest.
    db
      .select({
        rate: leakRates,
        performedAt: transfers.performedAt,
        unit: units,
        location: locations,
        customerName: customers.name,
        refrigerant: refrigerants,
      })
      .from(leakRates)
      .innerJoin(transfers, and(eq(transfers.id, leakRates.transferId), eq(transfers.orgId, leakRates.orgId)))
      .innerJoin(units, and(eq(units.id, leakRates.unitId), eq(units.orgId, leakRates.orgId)))
      .leftJoin(locations, eq(locations.id, units.locationId))
      .leftJoin(customers, eq(customers.id, locations.customerId))
      .leftJoin(refrigerants, eq(refrigerants.designation, units.refrigerant))
      .where(and(countedTransfer(orgIds), eq(units.status, "ACTIVE"), isNull(units.deletedAt)))
      .orderBy(desc(transfers.performedAt), desc(leakRates.computedAt))
      .all(),
    chronicLeakers(scope, orgIds, [thisYear - 1, thisYear], orgNames),
  ]);

  const openRepairs = allLeaks
    .filter((row) => OPEN_LEAK_STATUSES.includes(row.leak.status))
    .map((row) => leakRepairView(row, orgNames.get(row.leak.orgId) ?? "", now))
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        (a.nextDeadline?.dueAt ?? "9999").localeCompare(b.nextDeadline?.dueAt ?? "9999") ||
        a.foundAt.localeCompare(b.foundAt),
    );

  const repairsByUnit = new Map<string, { repairDueAt: Date | null; repairedAt: Date | null }[]>();
  for (const { leak } of allLeaks) {
    const list = repairsByUnit.get(leak.unitId) ?? [];
    // A case closed without a repair (the unit retired) is no longer an open repair for the badge.
    list.push({ repairDueAt: leak.repairDueAt, repairedAt: leak.repairedAt ?? leak.closedAt });
    repairsByUnit.set(leak.unitId, list);
  }

  type UnitLeakRate = {
    orgId: string;
    orgName: string;
    unit: ReportUnit;
    location: ReportLocation | null;
    leakRate: ReturnType<typeof leakRateView>;
    leakStatus: LeakStatus;
    /** Whether the EPA leak-repair rules cover the appliance (the engine, with its org's EPA config). */
    coverage: { covered: boolean; rule: string | null; reason: string };
  };
  const seen = new Set<string>();
  const alerts: UnitLeakRate[] = [];
  const overThreshold: UnitLeakRate[] = [];
  for (const row of rateRows) {
    if (seen.has(row.unit.id)) continue;
    seen.add(row.unit.id);
    if (!row.rate.alert) continue;
    const status = leakStatus({
      latest: { exceeded: row.rate.exceeded, alert: row.rate.alert, performedAt: row.performedAt },
      repairs: repairsByUnit.get(row.unit.id) ?? [],
      now,
    });
    // Repaired since that rate: nothing to act on until the next charge.
    if (status.level === "OK") continue;
    const item = {
      orgId: row.unit.orgId,
      orgName: orgNames.get(row.unit.orgId) ?? "",
      unit: unitView(row.unit),
      location: locationView(row.location, row.customerName),
      leakRate: leakRateView(row.rate, row.performedAt),
      leakStatus: status,
      coverage: coverageOf(row.unit, row.refrigerant, orgById.get(row.unit.orgId) ?? scope.org, now),
    };
    (row.rate.exceeded ? overThreshold : alerts).push(item);
  }
  const byPercent = (a: UnitLeakRate, b: UnitLeakRate) => b.leakRate.percent - a.leakRate.percent;

  return {
    org: orgHeader(scope.org),
    aggregated: orgs.length > 1,
    orgs: orgs.map((org) => ({ id: org.id, name: org.name })),
    generatedAt: now.toISOString(),
    years: [thisYear - 1, thisYear],
    openRepairs,
    /** Units whose latest approved leak rate is at or above the alert level but not over the threshold. */
    alerts: alerts.sort(byPercent),
    /** Units whose latest approved leak rate is over the threshold, not repaired since. */
    unitsOverThreshold: overThreshold.sort(byPercent),
    chronicLeakers: chronic,
    counts: {
      openRepairs: openRepairs.length,
      overdueRepairs: openRepairs.filter((repair) => repair.overdue).length,
      alerts: alerts.length,
      unitsOverThreshold: overThreshold.length,
      chronicLeakers: chronic.length,
    },
  };
}

export type ComplianceSummary = Awaited<ReturnType<typeof complianceSummary>>;
