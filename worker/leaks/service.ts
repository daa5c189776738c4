/**
 * Leak cases (SPEC §5, §6): reported by a technician or opened by an approved charge whose leak
 * rate is over the threshold; then repair, initial and follow-up verification tests, and when the
 * repair fails a retrofit/retirement plan; closed as repaired or retired. Every deadline comes from
 * the compliance engine; this module only keeps the order of the steps.
 */
import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, or, type SQL } from "drizzle-orm";
import { leakRates, leaks, locations, transfers, units } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { repairDeadlines, retrofitDeadlines, verificationDeadlines } from "../compliance/engine";
import { newId } from "../db";
import { badRequest, conflict, notFound } from "../http/errors";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { boundOf, CLOCK_SKEW_MS } from "../transfers/dates";
import { FIELD_AUDIENCE, type LeakRateView, leakRateView } from "../transfers/shared";
import { DETECTION_LABELS, LEAK_STATUS_LABELS } from "./labels";

export { DETECTION_LABELS, LEAK_STATUS_LABELS };

import { dateTimeFormat } from "../intl";
import type {
  LeakCloseInput,
  LeakListQuery,
  LeakRepairInput,
  LeakReportInput,
  LeakRetrofitPlanInput,
  LeakVerificationInput,
} from "./schemas";

type Leak = typeof leaks.$inferSelect;
type LeakStatus = Leak["status"];
type Unit = typeof units.$inferSelect;
type Transfer = typeof transfers.$inferSelect;
type LeakRateRow = typeof leakRates.$inferSelect;

/** Cases with work or a deadline still ahead; a new over-threshold charge does not open another. */
export const OPEN_LEAK_STATUSES: LeakStatus[] = ["OPEN", "REPAIRED", "VERIFICATION_FAILED", "RETROFIT_PLANNED"];
const FINAL_STATUSES: LeakStatus[] = ["CLOSED", "RETIRED"];

const DAY_MS = 24 * 60 * 60 * 1000;
/** 00:00 UTC of `now`'s day: a deadline (a UTC day, per the engine) is overdue from the day after it. */
const todayStart = (now: Date) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// What can happen next, and what is due

/** The date the repair was found to have failed, from which the retrofit/retirement plan is due. */
const failedAt = (leak: Leak): Date | null =>
  leak.followUpTestPassed === false && leak.followUpTestAt
    ? leak.followUpTestAt
    : leak.initialTestPassed === false && leak.initialTestAt
      ? leak.initialTestAt
      : null;

/** Which steps the case allows now (the UI shows these forms, the service enforces the same). */
export function nextSteps(leak: Leak) {
  const s = leak.status;
  return {
    repair: s === "OPEN" || s === "VERIFICATION_FAILED",
    initialTest: s === "REPAIRED" && leak.initialTestAt === null,
    followUpTest: s === "REPAIRED" && leak.initialTestPassed === true && leak.followUpTestAt === null,
    retrofitPlan: s === "OPEN" || s === "VERIFICATION_FAILED" || s === "RETROFIT_PLANNED",
    close: {
      // A repair with an EPA deadline is closed once verified; one without (reported, not over
      // threshold) once repaired; a planned retrofit once it is done.
      REPAIRED: s === "VERIFIED" || s === "RETROFIT_PLANNED" || (s === "REPAIRED" && leak.repairDueAt === null),
      RETIRED: !FINAL_STATUSES.includes(s),
    },
  };
}

export type Deadline = {
  key: "REPAIR" | "FOLLOW_UP" | "RETROFIT_PLAN" | "RETROFIT_COMPLETE";
  label: string;
  dueAt: string;
  metAt: string | null;
  overdue: boolean;
  rule: string;
};

/** Every deadline of the case, from the engine; overdue when unmet after its due day. */
export function leakDeadlines(leak: Leak, unit: Pick<Unit, "category" | "repairNeedsShutdown">, now: Date): Deadline[] {
  const today = todayStart(now).getTime();
  const late = (due: Date, met: Date | null, pending: boolean) => pending && !met && due.getTime() < today;
  const list: Deadline[] = [];
  if (leak.repairDueAt) {
    const days = Math.round((leak.repairDueAt.getTime() - todayStart(leak.foundAt).getTime()) / DAY_MS);
    list.push({
      key: "REPAIR",
      label: "Repair",
      dueAt: leak.repairDueAt.toISOString(),
      metAt: leak.repairedAt?.toISOString() ?? null,
      overdue: late(leak.repairDueAt, leak.repairedAt, leak.status === "OPEN"),
      rule:
        unit.category === "INDUSTRIAL_PROCESS" && unit.repairNeedsShutdown && days > 30
          ? `${days} days after the leak rate exceeded the threshold (industrial process refrigeration needing a shutdown).`
          : `${days} days after the leak rate exceeded the threshold.`,
    });
  }
  if (leak.initialTestAt && leak.initialTestPassed) {
    const { followUpDueAt } = verificationDeadlines({ initialTestAt: leak.initialTestAt });
    list.push({
      key: "FOLLOW_UP",
      label: "Follow-up verification test",
      dueAt: followUpDueAt.toISOString(),
      metAt: leak.followUpTestAt?.toISOString() ?? null,
      overdue: late(followUpDueAt, leak.followUpTestAt, leak.status === "REPAIRED"),
      rule: "Within 10 days of the initial verification test.",
    });
  }
  const failed = failedAt(leak);
  if (failed || leak.retrofitPlanDueAt || leak.retrofitPlanAt) {
    const base = failed ?? leak.foundAt;
    const engine = retrofitDeadlines({ failedAt: base, planDatedAt: leak.retrofitPlanAt });
    const planDue = leak.retrofitPlanDueAt ?? engine.planDueAt;
    list.push({
      key: "RETROFIT_PLAN",
      label: "Retrofit or retirement plan",
      dueAt: planDue.toISOString(),
      metAt: leak.retrofitPlanAt?.toISOString() ?? null,
      overdue: late(planDue, leak.retrofitPlanAt, leak.status === "VERIFICATION_FAILED"),
      rule: failed ? "30 days after the failed verification test." : "30 days after the leak was found.",
    });
    const completeBy = leak.retrofitCompleteBy ?? engine.completeBy;
    list.push({
      key: "RETROFIT_COMPLETE",
      label: "Retrofit or retirement",
      dueAt: completeBy.toISOString(),
      metAt: leak.closedAt?.toISOString() ?? null,
      overdue: late(completeBy, leak.closedAt, leak.status === "RETROFIT_PLANNED"),
      rule: leak.retrofitPlanAt ? "Within one year of the plan." : "Within one year of the plan's due date.",
    });
  }
  return list;
}

/** SQL for "some deadline is past and unmet": the same rules as `leakDeadlines`. */
export function overdueCondition(now: Date): SQL {
  const today = todayStart(now);
  return or(
    and(eq(leaks.status, "OPEN"), isNotNull(leaks.repairDueAt), lt(leaks.repairDueAt, today)),
    and(
      eq(leaks.status, "REPAIRED"),
      eq(leaks.initialTestPassed, true),
      isNull(leaks.followUpTestAt),
      lt(leaks.followUpDueAt, today),
    ),
    and(eq(leaks.status, "VERIFICATION_FAILED"), isNull(leaks.retrofitPlanAt), lt(leaks.retrofitPlanDueAt, today)),
    and(eq(leaks.status, "RETROFIT_PLANNED"), lt(leaks.retrofitCompleteBy, today)),
  ) as SQL;
}

// ---------------------------------------------------------------------------------------------
// Reading

type Row = { leak: Leak; unit: Unit; locationName: string | null };

function leakSummary(row: Row, now: Date) {
  const { leak, unit } = row;
  const deadlines = leakDeadlines(leak, unit, now);
  const pending = deadlines.filter((deadline) => !deadline.metAt && !FINAL_STATUSES.includes(leak.status));
  const next =
    pending.find((deadline) => deadline.overdue) ?? pending.sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  return {
    id: leak.id,
    status: leak.status,
    statusLabel: LEAK_STATUS_LABELS[leak.status],
    unit: {
      id: unit.id,
      name: unit.name,
      category: unit.category,
      refrigerant: unit.refrigerant,
      fullChargeLb: unit.fullChargeLb,
      repairNeedsShutdown: unit.repairNeedsShutdown,
      locationId: unit.locationId,
      locationName: row.locationName,
    },
    foundAt: leak.foundAt.toISOString(),
    foundBy: leak.foundById || leak.foundByName ? { id: leak.foundById, name: leak.foundByName } : null,
    locationOnUnit: leak.locationOnUnit,
    detectionMethod: leak.detectionMethod,
    detectionLabel: leak.detectionMethod ? (DETECTION_LABELS[leak.detectionMethod] ?? leak.detectionMethod) : null,
    repairDueAt: leak.repairDueAt?.toISOString() ?? null,
    overdue: deadlines.some((deadline) => deadline.overdue),
    nextDeadline: next ?? null,
    createdAt: leak.createdAt.toISOString(),
  };
}

async function rowsWhere(scope: OrgScope, where: SQL[], limit: number): Promise<Row[]> {
  return scope.db
    .select({ leak: leaks, unit: units, locationName: locations.name })
    .from(leaks)
    .innerJoin(units, eq(units.id, leaks.unitId))
    .leftJoin(locations, eq(locations.id, units.locationId))
    .where(and(eq(leaks.orgId, scope.org.id), ...where))
    .orderBy(desc(leaks.foundAt))
    .limit(limit)
    .all();
}

export async function listLeaks(scope: OrgScope, query: LeakListQuery, now = new Date()) {
  const where: SQL[] = [];
  if (query.status === "ACTIVE") where.push(inArray(leaks.status, [...OPEN_LEAK_STATUSES, "VERIFIED"]));
  else if (query.status) where.push(eq(leaks.status, query.status));
  if (query.unitId) where.push(eq(leaks.unitId, query.unitId));
  if (query.overdue === "true") where.push(overdueCondition(now));
  const rows = await rowsWhere(scope, where, query.limit ?? 200);
  const list = rows.map((row) => leakSummary(row, now));
  // Overdue first, then by the nearest deadline, then newest; closed cases last.
  const rank = (leak: (typeof list)[number]) =>
    FINAL_STATUSES.includes(leak.status) ? 3 : leak.overdue ? 0 : leak.nextDeadline ? 1 : 2;
  return list.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.nextDeadline?.dueAt ?? "").localeCompare(b.nextDeadline?.dueAt ?? "") ||
      b.foundAt.localeCompare(a.foundAt),
  );
}

async function findRow(scope: OrgScope, id: string): Promise<Row> {
  const [row] = await rowsWhere(scope, [eq(leaks.id, id)], 1);
  if (!row) throw notFound("Leak");
  return row;
}

type TimelineItem = { at: string; kind: "event" | "deadline"; title: string; detail: string | null; overdue: boolean };

function timelineOf(leak: Leak, rate: (LeakRateView & { performedAt: string }) | null, deadlines: Deadline[]) {
  const items: TimelineItem[] = [];
  const event = (at: Date | string | null, title: string, detail: string | null = null) => {
    if (at)
      items.push({ at: typeof at === "string" ? at : at.toISOString(), kind: "event", title, detail, overdue: false });
  };
  if (rate) event(rate.performedAt, `Leak rate ${rate.percent}% (threshold ${rate.threshold}%)`, rate.explanation);
  event(
    leak.foundAt,
    leak.detectionMethod === "LEAK_RATE" ? "Leak repair opened" : "Leak found",
    [leak.foundByName, leak.locationOnUnit, leak.detectionMethod ? DETECTION_LABELS[leak.detectionMethod] : null]
      .filter(Boolean)
      .join(" · ") || null,
  );
  event(leak.repairedAt, "Repaired", leak.repairDescription);
  if (leak.initialTestAt)
    event(leak.initialTestAt, `Initial verification test ${leak.initialTestPassed ? "passed" : "failed"}`);
  if (leak.followUpTestAt)
    event(leak.followUpTestAt, `Follow-up verification test ${leak.followUpTestPassed ? "passed" : "failed"}`);
  event(leak.retrofitPlanAt, "Retrofit or retirement plan recorded", leak.retrofitPlan);
  if (leak.closedAt) event(leak.closedAt, leak.status === "RETIRED" ? "Closed: unit retired" : "Closed: repaired");
  for (const deadline of deadlines) {
    if (deadline.metAt) continue;
    items.push({
      at: deadline.dueAt,
      kind: "deadline",
      title: `${deadline.label} due`,
      detail: deadline.rule,
      overdue: deadline.overdue,
    });
  }
  // Same instant: events before deadlines, and in the order pushed (the leak rate before the case it opened).
  const rank = (item: TimelineItem) => (item.kind === "event" ? 0 : 1);
  return items.sort((a, b) => a.at.localeCompare(b.at) || rank(a) - rank(b));
}

export async function getLeak(scope: OrgScope, id: string, now = new Date()) {
  const row = await findRow(scope, id);
  const { leak, unit } = row;
  const rate = leak.leakRateId
    ? await scope.db
        .select({ rate: leakRates, performedAt: transfers.performedAt })
        .from(leakRates)
        .innerJoin(transfers, eq(transfers.id, leakRates.transferId))
        .where(and(eq(leakRates.id, leak.leakRateId), eq(leakRates.orgId, scope.org.id)))
        .get()
    : undefined;
  const leakRate = rate
    ? { ...leakRateView(rate.rate), transferId: rate.rate.transferId, performedAt: rate.performedAt.toISOString() }
    : null;
  const deadlines = leakDeadlines(leak, unit, now);
  return {
    ...leakSummary(row, now),
    notes: leak.notes,
    leakRate,
    repairedAt: leak.repairedAt?.toISOString() ?? null,
    repairDescription: leak.repairDescription,
    initialTest: leak.initialTestAt ? { at: leak.initialTestAt.toISOString(), passed: !!leak.initialTestPassed } : null,
    followUpDueAt: leak.followUpDueAt?.toISOString() ?? null,
    followUpTest: leak.followUpTestAt
      ? { at: leak.followUpTestAt.toISOString(), passed: !!leak.followUpTestPassed }
      : null,
    retrofitPlanDueAt: leak.retrofitPlanDueAt?.toISOString() ?? null,
    retrofitPlan: leak.retrofitPlan,
    retrofitPlanAt: leak.retrofitPlanAt?.toISOString() ?? null,
    retrofitCompleteBy: leak.retrofitCompleteBy?.toISOString() ?? null,
    closedAt: leak.closedAt?.toISOString() ?? null,
    deadlines,
    timeline: timelineOf(leak, leakRate, deadlines),
    nextSteps: nextSteps(leak),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The insert (and audit entry) of a repair opened by an approved over-threshold charge. */
export function openLeakFromRate(
  scope: OrgScope,
  { unit, rate, transfer, now }: { unit: Unit; rate: LeakRateRow; transfer: Transfer; now: Date },
) {
  const { db, org } = scope;
  const { repairDueAt } = repairDeadlines({
    detectedAt: transfer.performedAt,
    category: unit.category,
    needsShutdown: unit.repairNeedsShutdown,
  });
  const leak: typeof leaks.$inferInsert & { id: string } = {
    id: newId(),
    orgId: org.id,
    unitId: unit.id,
    status: "OPEN",
    foundById: transfer.technicianId,
    foundByName: transfer.technicianName,
    foundAt: transfer.performedAt,
    detectionMethod: "LEAK_RATE",
    notes: null,
    leakRateId: rate.id,
    repairDueAt,
    createdAt: now,
  };
  return {
    id: leak.id,
    statements: [
      db.insert(leaks).values(leak),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "leak.open",
        entityType: "leak",
        entityId: leak.id,
        after: { ...leak, transferId: transfer.id },
      }),
    ] as const,
  };
}

function notInFuture(date: Date, field: string, what: string, now: Date) {
  if (date.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw badRequest(`${what} cannot be in the future.`, { [field]: [`${what} cannot be in the future.`] });
}

/** A date as the signed-in user reads it, for messages. */
function when(date: Date, scope: OrgScope) {
  try {
    const zone = scope.user.timeZone;
    return dateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(date);
  } catch {
    return `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
  }
}

export async function reportLeak(scope: OrgScope, input: LeakReportInput, now = new Date()) {
  const { db, org } = scope;
  const foundAt = new Date(input.foundAt);
  notInFuture(foundAt, "foundAt", "The date found", now);
  const unit = await db
    .select()
    .from(units)
    .where(and(eq(units.id, input.unitId), eq(units.orgId, org.id), isNull(units.deletedAt)))
    .get();
  if (!unit) throw notFound("Unit");
  if (unit.status !== "ACTIVE")
    throw conflict(`${unit.name} is decommissioned: leaks are reported on active units.`, "UNIT_NOT_ACTIVE", {
      unitId: ["This unit is decommissioned."],
    });

  // The unit's latest approved leak rate: when over the threshold and not repaired since, the EPA
  // repair deadline runs from that charge.
  const latest = await db
    .select({ rate: leakRates, performedAt: transfers.performedAt })
    .from(leakRates)
    .innerJoin(transfers, eq(transfers.id, leakRates.transferId))
    .where(
      and(
        eq(leakRates.orgId, org.id),
        eq(leakRates.unitId, unit.id),
        eq(transfers.status, "APPROVED"),
        isNull(transfers.voidedAt),
      ),
    )
    .orderBy(desc(transfers.performedAt))
    .limit(1)
    .get();
  let deadline: { leakRateId: string; repairDueAt: Date } | null = null;
  if (latest?.rate.exceeded) {
    const repairedSince = await db
      .select({ id: leaks.id })
      .from(leaks)
      .where(and(eq(leaks.orgId, org.id), eq(leaks.unitId, unit.id), gte(leaks.repairedAt, latest.performedAt)))
      .get();
    if (!repairedSince) {
      const { repairDueAt } = repairDeadlines({
        detectedAt: latest.performedAt,
        category: unit.category,
        needsShutdown: unit.repairNeedsShutdown,
      });
      deadline = { leakRateId: latest.rate.id, repairDueAt };
    }
  }

  const leak: typeof leaks.$inferInsert & { id: string } = {
    id: newId(),
    orgId: org.id,
    unitId: unit.id,
    status: "OPEN",
    foundById: scope.user.id,
    foundByName: scope.user.name,
    foundAt,
    locationOnUnit: input.locationOnUnit,
    detectionMethod: input.detectionMethod,
    notes: input.notes || null,
    leakRateId: deadline?.leakRateId ?? null,
    repairDueAt: deadline?.repairDueAt ?? null,
    createdAt: now,
  };
  await db.batch([
    db.insert(leaks).values(leak),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "leak.report",
      entityType: "leak",
      entityId: leak.id,
      after: leak,
    }),
  ]);
  await publish(scope.env, org, { entity: "leak", action: "reported", id: leak.id, orgId: org.id }, FIELD_AUDIENCE);
  return getLeak(scope, leak.id, now);
}

/** Writes a step: the update (only if the case is still in the state read) and its audit entry. */
async function writeStep(
  scope: OrgScope,
  leak: Leak,
  action: string,
  changes: Partial<typeof leaks.$inferInsert>,
  now: Date,
) {
  const { db, org } = scope;
  const before = Object.fromEntries(Object.keys(changes).map((key) => [key, leak[key as keyof Leak] ?? null]));
  await db.batch([
    db
      .update(leaks)
      .set(changes)
      .where(and(eq(leaks.id, leak.id), eq(leaks.orgId, org.id), eq(leaks.status, leak.status))),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action,
      entityType: "leak",
      entityId: leak.id,
      before,
      after: changes,
    }),
  ]);
  await publish(
    scope.env,
    org,
    { entity: "leak", action: action.replace("leak.", ""), id: leak.id, orgId: org.id },
    FIELD_AUDIENCE,
  );
  return getLeak(scope, leak.id, now);
}

const stepConflict = (message: string) => conflict(message, "LEAK_STEP_OUT_OF_ORDER");

export async function recordRepair(scope: OrgScope, id: string, input: LeakRepairInput, now = new Date()) {
  const { leak } = await findRow(scope, id);
  const repairedAt = new Date(input.repairedAt);
  notInFuture(repairedAt, "repairedAt", "The repair date", now);
  if (!nextSteps(leak).repair)
    throw stepConflict(
      FINAL_STATUSES.includes(leak.status)
        ? "This leak case is closed."
        : leak.status === "RETROFIT_PLANNED"
          ? "A retrofit or retirement plan is in place: close the case when it is done."
          : "A repair is already recorded: record the verification tests next.",
    );
  if (repairedAt.getTime() < leak.foundAt.getTime())
    throw stepConflict(`The repair cannot be before the leak was found (${when(leak.foundAt, scope)}).`);
  return writeStep(
    scope,
    leak,
    "leak.repair",
    {
      status: "REPAIRED",
      repairedAt,
      repairDescription: input.description,
      // A new repair after a failed verification starts the tests again.
      initialTestAt: null,
      initialTestPassed: null,
      followUpDueAt: null,
      followUpTestAt: null,
      followUpTestPassed: null,
    },
    now,
  );
}

export async function recordVerification(scope: OrgScope, id: string, input: LeakVerificationInput, now = new Date()) {
  const { leak } = await findRow(scope, id);
  const testedAt = new Date(input.testedAt);
  notInFuture(testedAt, "testedAt", "The test date", now);
  const steps = nextSteps(leak);
  const failure = (): Partial<typeof leaks.$inferInsert> => ({
    status: "VERIFICATION_FAILED",
    // The first failure starts the 30 days for the plan; a later one does not extend them.
    retrofitPlanDueAt: leak.retrofitPlanDueAt ?? retrofitDeadlines({ failedAt: testedAt }).planDueAt,
  });

  if (input.kind === "INITIAL") {
    if (!steps.initialTest)
      throw stepConflict(
        leak.status === "OPEN" || leak.repairedAt === null
          ? "Record the repair before its verification tests."
          : leak.initialTestAt
            ? "The initial verification test is already recorded."
            : "This leak case does not take an initial verification test now.",
      );
    if (leak.repairedAt && testedAt.getTime() < leak.repairedAt.getTime())
      throw stepConflict(
        `The initial verification test cannot be before the repair (${when(leak.repairedAt, scope)}).`,
      );
    return writeStep(
      scope,
      leak,
      "leak.verify-initial",
      input.passed
        ? {
            initialTestAt: testedAt,
            initialTestPassed: true,
            followUpDueAt: verificationDeadlines({ initialTestAt: testedAt }).followUpDueAt,
          }
        : { initialTestAt: testedAt, initialTestPassed: false, ...failure() },
      now,
    );
  }

  if (!steps.followUpTest)
    throw stepConflict(
      leak.status === "OPEN" || leak.repairedAt === null
        ? "Record the repair before its verification tests."
        : leak.initialTestAt === null
          ? "Record the initial verification test before the follow-up test."
          : leak.followUpTestAt
            ? "The follow-up verification test is already recorded."
            : "This leak case does not take a follow-up verification test now.",
    );
  if (leak.initialTestAt && testedAt.getTime() < leak.initialTestAt.getTime())
    throw stepConflict(
      `The follow-up verification test cannot be before the initial test (${when(leak.initialTestAt, scope)}).`,
    );
  return writeStep(
    scope,
    leak,
    "leak.verify-follow-up",
    input.passed
      ? { followUpTestAt: testedAt, followUpTestPassed: true, status: "VERIFIED" }
      : { followUpTestAt: testedAt, followUpTestPassed: false, ...failure() },
    now,
  );
}

export async function recordRetrofitPlan(scope: OrgScope, id: string, input: LeakRetrofitPlanInput, now = new Date()) {
  const { leak } = await findRow(scope, id);
  if (!nextSteps(leak).retrofitPlan)
    throw stepConflict(
      FINAL_STATUSES.includes(leak.status)
        ? "This leak case is closed."
        : "A retrofit or retirement plan is for a leak that is open or whose repair failed verification.",
    );
  const failed = failedAt(leak);
  const engine = retrofitDeadlines({ failedAt: failed ?? leak.foundAt, planDatedAt: now });
  let completeBy = engine.completeBy;
  if (input.completeBy) {
    const chosen = boundOf(input.completeBy, scope.org.timeZone, false);
    if (!chosen) throw badRequest("Use a date.", { completeBy: ["Use a date."] });
    if (chosen.getTime() < todayStart(now).getTime())
      throw badRequest("The completion date cannot be in the past.", {
        completeBy: ["The completion date cannot be in the past."],
      });
    if (chosen.getTime() > engine.completeBy.getTime() + DAY_MS)
      throw badRequest(
        `The retrofit or retirement must be done within one year of the plan (by ${isoDay(engine.completeBy)}).`,
        {
          completeBy: [`Must be on or before ${isoDay(engine.completeBy)}.`],
        },
      );
    completeBy = chosen;
  }
  return writeStep(
    scope,
    leak,
    "leak.retrofit-plan",
    {
      status: "RETROFIT_PLANNED",
      retrofitPlan: input.plan,
      retrofitPlanAt: now,
      retrofitCompleteBy: completeBy,
      retrofitPlanDueAt: leak.retrofitPlanDueAt ?? engine.planDueAt,
    },
    now,
  );
}

export async function closeLeak(scope: OrgScope, id: string, input: LeakCloseInput, now = new Date()) {
  const { leak } = await findRow(scope, id);
  const steps = nextSteps(leak);
  if (FINAL_STATUSES.includes(leak.status)) throw stepConflict("This leak case is already closed.");
  if (input.outcome === "REPAIRED" && !steps.close.REPAIRED)
    throw stepConflict(
      leak.status === "OPEN"
        ? "Record the repair and its verification tests before closing the case as repaired."
        : leak.status === "VERIFICATION_FAILED"
          ? "The repair failed verification: repair again or record a retrofit or retirement plan."
          : "Record a passing follow-up verification test before closing the case as repaired.",
    );
  const note = input.note ? `Closed (${input.outcome === "REPAIRED" ? "repaired" : "retired"}): ${input.note}` : null;
  return writeStep(
    scope,
    leak,
    "leak.close",
    {
      status: input.outcome === "REPAIRED" ? "CLOSED" : "RETIRED",
      closedAt: now,
      ...(note ? { notes: leak.notes ? `${leak.notes}\n${note}` : note } : {}),
    },
    now,
  );
}
