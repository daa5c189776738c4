/**
 * Refrigerant transfers (SPEC §5): CHARGE (cylinder → unit), RECOVER (unit → recovery cylinder),
 * CYLINDER_TO_CYLINDER. Contents change in the same batch as the record; the database's CHECK
 * constraints keep them within the rules under concurrent writes. Every CHARGE gets its leak rate
 * from the compliance engine. Records are never deleted: reviewed (PENDING → APPROVED/REJECTED)
 * and, when wrong, voided with a reason.
 */
import {
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  cylinders,
  type EpaConfig,
  leakRates,
  leaks,
  locations,
  refrigerants,
  transfers,
  units,
  users,
} from "../../db/schema";
import { auditEntry } from "../audit/log";
import { ComplianceInputError, coverage, type LeakRateResult, leakRate } from "../compliance/engine";
import { cylinderAudienceOf } from "../cylinders/service";
import { newId } from "../db";
import { badRequest, conflict, forbidden, notFound } from "../http/errors";
import { requireLinkableJob } from "../jobs/service";
import { OPEN_LEAK_STATUSES, openLeakFromRate } from "../leaks/service";
import { publish } from "../live/publish";
import { reachableOrgs } from "../orgs/reach";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { can } from "../policy/permissions";
import { brokenConstraint } from "./constraints";
import { boundOf, CLOCK_SKEW_MS } from "./dates";
import type { TransferCreateInput, TransferListQuery, TransferReviewInput, TransferVoidInput } from "./schemas";
import { FIELD_AUDIENCE, type LeakRateView, leakRateView } from "./shared";

type Transfer = typeof transfers.$inferSelect;
type Unit = typeof units.$inferSelect;
type Cylinder = typeof cylinders.$inferSelect;

export const KIND_LABELS = {
  CHARGE: "Charge",
  RECOVER: "Recovery",
  CYLINDER_TO_CYLINDER: "Cylinder to cylinder",
} as const;

const lbText = (lb: number) => `${Number(lb.toFixed(3))} lb`;

// ---------------------------------------------------------------------------------------------
// Reading

const unitRef = (unit: Unit) => ({
  id: unit.id,
  name: unit.name,
  category: unit.category,
  refrigerant: unit.refrigerant,
  fullChargeLb: unit.fullChargeLb,
  status: unit.status,
  locationId: unit.locationId,
});
const cylinderRef = (cylinder: Cylinder) => ({
  id: cylinder.id,
  tag: cylinder.tag,
  kind: cylinder.kind,
  refrigerant: cylinder.refrigerant,
  netContentsLb: cylinder.netContentsLb,
  status: cylinder.status,
});

export type TransferView = {
  id: string;
  kind: Transfer["kind"];
  status: Transfer["status"];
  refrigerant: string;
  amountLb: number;
  performedAt: string;
  technician: {
    id: string;
    name: string;
    certificationNumber: string | null;
    certificationType: Transfer["certificationType"];
  };
  unit: ReturnType<typeof unitRef> | null;
  fromCylinder: ReturnType<typeof cylinderRef> | null;
  toCylinder: ReturnType<typeof cylinderRef> | null;
  jobId: string | null;
  notes: string | null;
  review: { byId: string | null; byName: string | null; at: string | null; note: string | null } | null;
  voided: { at: string; byId: string | null; byName: string | null; reason: string | null } | null;
  leakRate: LeakRateView | null;
  /** The leak repair this charge opened when it was approved, if any. */
  openedLeakId: string | null;
  createdById: string;
  createdAt: string;
};

/** Adds units, cylinders, leak rates and people to transfer rows, with one query per table. */
async function hydrate(scope: OrgScope, rows: Transfer[]): Promise<TransferView[]> {
  if (rows.length === 0) return [];
  const { db } = scope;
  const ids = rows.map((row) => row.id);
  const unitIds = [...new Set(rows.flatMap((row) => (row.unitId ? [row.unitId] : [])))];
  const cylinderIds = [
    ...new Set(rows.flatMap((row) => [row.fromCylinderId, row.toCylinderId].filter((id): id is string => !!id))),
  ];
  const voiderIds = [...new Set(rows.flatMap((row) => (row.voidedById ? [row.voidedById] : [])))];
  const [unitRows, cylinderRows, rateRows, voiders] = await Promise.all([
    unitIds.length
      ? db
          .select()
          .from(units)
          .where(and(eq(units.orgId, scope.org.id), inArray(units.id, unitIds)))
          .all()
      : [],
    cylinderIds.length
      ? db
          .select()
          .from(cylinders)
          .where(and(eq(cylinders.orgId, scope.org.id), inArray(cylinders.id, cylinderIds)))
          .all()
      : [],
    db
      .select()
      .from(leakRates)
      .where(and(eq(leakRates.orgId, scope.org.id), inArray(leakRates.transferId, ids)))
      .all(),
    voiderIds.length
      ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, voiderIds)).all()
      : [],
  ]);
  const rateIds = rateRows.map((rate) => rate.id);
  const opened = rateIds.length
    ? await db
        .select({ id: leaks.id, leakRateId: leaks.leakRateId })
        .from(leaks)
        .where(and(eq(leaks.orgId, scope.org.id), inArray(leaks.leakRateId, rateIds)))
        .all()
    : [];
  const unitById = new Map(unitRows.map((unit) => [unit.id, unit]));
  const cylinderById = new Map(cylinderRows.map((cylinder) => [cylinder.id, cylinder]));
  const rateByTransfer = new Map(rateRows.map((rate) => [rate.transferId, rate]));
  const voiderName = new Map(voiders.map((user) => [user.id, user.name]));
  return rows.map((row) => {
    const unit = row.unitId ? unitById.get(row.unitId) : undefined;
    const from = row.fromCylinderId ? cylinderById.get(row.fromCylinderId) : undefined;
    const to = row.toCylinderId ? cylinderById.get(row.toCylinderId) : undefined;
    const rate = rateByTransfer.get(row.id);
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      refrigerant: row.refrigerant,
      amountLb: row.amountLb,
      performedAt: row.performedAt.toISOString(),
      technician: {
        id: row.technicianId,
        name: row.technicianName,
        certificationNumber: row.certificationNumber,
        certificationType: row.certificationType,
      },
      unit: unit ? unitRef(unit) : null,
      fromCylinder: from ? cylinderRef(from) : null,
      toCylinder: to ? cylinderRef(to) : null,
      jobId: row.jobId,
      notes: row.notes,
      review: row.reviewedAt
        ? {
            byId: row.reviewedById,
            byName: row.reviewedByName,
            at: row.reviewedAt.toISOString(),
            note: row.reviewNote,
          }
        : null,
      voided: row.voidedAt
        ? {
            at: row.voidedAt.toISOString(),
            byId: row.voidedById,
            byName: row.voidedById ? (voiderName.get(row.voidedById) ?? null) : null,
            reason: row.voidReason,
          }
        : null,
      leakRate: rate ? leakRateView(rate) : null,
      openedLeakId: rate ? (opened.find((leak) => leak.leakRateId === rate.id)?.id ?? null) : null,
      createdById: row.createdById,
      createdAt: row.createdAt.toISOString(),
    };
  });
}

export async function listTransfers(scope: OrgScope, query: TransferListQuery) {
  const conditions: SQL[] = [eq(transfers.orgId, scope.org.id)];
  if (query.status) conditions.push(eq(transfers.status, query.status));
  if (query.kind) conditions.push(eq(transfers.kind, query.kind));
  if (query.unitId) conditions.push(eq(transfers.unitId, query.unitId));
  if (query.technicianId) conditions.push(eq(transfers.technicianId, query.technicianId));
  if (query.cylinderId) {
    const either = or(eq(transfers.fromCylinderId, query.cylinderId), eq(transfers.toCylinderId, query.cylinderId));
    if (either) conditions.push(either);
  }
  if (query.voided === "true") conditions.push(isNotNull(transfers.voidedAt));
  if (query.voided === "false") conditions.push(isNull(transfers.voidedAt));
  const from = query.from ? boundOf(query.from, scope.org.timeZone, false) : null;
  const to = query.to ? boundOf(query.to, scope.org.timeZone, true) : null;
  if (from) conditions.push(gte(transfers.performedAt, from));
  // A day bound ends at the next midnight (exclusive); an instant is included.
  if (to) conditions.push(query.to?.length === 10 ? lt(transfers.performedAt, to) : lte(transfers.performedAt, to));
  const limit = query.limit ?? 100;
  const rows = await scope.db
    .select()
    .from(transfers)
    .where(and(...conditions))
    .orderBy(desc(transfers.performedAt), desc(transfers.createdAt))
    .limit(limit)
    .all();
  return hydrate(scope, rows);
}

async function findTransfer(scope: OrgScope, id: string) {
  const row = await scope.db
    .select()
    .from(transfers)
    .where(and(eq(transfers.id, id), eq(transfers.orgId, scope.org.id)))
    .get();
  if (!row) throw notFound("Transfer");
  return row;
}

export async function getTransfer(scope: OrgScope, id: string): Promise<TransferView> {
  const [view] = await hydrate(scope, [await findTransfer(scope, id)]);
  if (!view) throw notFound("Transfer");
  return view;
}

// ---------------------------------------------------------------------------------------------
// Recording

/** Who a transfer is recorded for: the caller, or (for reviewers) another field user of the org. */
async function resolveTechnician(scope: OrgScope, technicianId: string | undefined) {
  if (!technicianId || technicianId === scope.user.id) return scope.user;
  if (!can(scope.actor, "transfers:review", scope.org.id))
    throw forbidden("Only a manager or an admin records a transfer for another technician.");
  const user = await scope.db.select().from(users).where(eq(users.id, technicianId)).get();
  const invalid = badRequest("Choose a technician of this organization.", {
    technicianId: ["Not an active technician of this organization."],
  });
  if (user?.status !== "ACTIVE") throw invalid;
  if (!can(user, "transfers:record", scope.org.id)) throw invalid;
  if (!(await reachableOrgs(scope.db, user)).some((org) => org.id === scope.org.id)) throw invalid;
  return user;
}

async function findUnitForTransfer(scope: OrgScope, unitId: string) {
  const unit = await scope.db
    .select()
    .from(units)
    .where(and(eq(units.id, unitId), eq(units.orgId, scope.org.id), isNull(units.deletedAt)))
    .get();
  if (!unit) throw notFound("Unit");
  if (unit.status !== "ACTIVE")
    throw conflict(`${unit.name} is decommissioned: transfers are recorded on active units only.`, "UNIT_NOT_ACTIVE", {
      unitId: ["This unit is decommissioned."],
    });
  return unit;
}

async function findCylinderForTransfer(scope: OrgScope, cylinderId: string, field: "fromCylinderId" | "toCylinderId") {
  const cylinder = await scope.db
    .select()
    .from(cylinders)
    .where(and(eq(cylinders.id, cylinderId), eq(cylinders.orgId, scope.org.id), isNull(cylinders.deletedAt)))
    .get();
  if (!cylinder) throw notFound("Cylinder");
  if (cylinder.status === "RETIRED" || cylinder.status === "SOLD")
    throw conflict(
      `Cylinder ${cylinder.tag} is ${cylinder.status === "SOLD" ? "sold" : "retired"}: it cannot take part in a transfer.`,
      "CYLINDER_UNAVAILABLE",
      { [field]: [`This cylinder is ${cylinder.status === "SOLD" ? "sold" : "retired"}.`] },
    );
  return cylinder;
}

const mismatch = (message: string, field: string) =>
  conflict(message, "REFRIGERANT_MISMATCH", { [field]: ["The refrigerants do not match."] });

/** How much room a cylinder has left: 80% of its water capacity for recovery cylinders, all of it otherwise. */
export const cylinderLimitLb = (cylinder: Pick<Cylinder, "kind" | "waterCapacityLb">) =>
  cylinder.kind === "RECOVERY" ? cylinder.waterCapacityLb * 0.8 : cylinder.waterCapacityLb;

function checkRoom(cylinder: Cylinder, amountLb: number, field: string) {
  const room = cylinderLimitLb(cylinder) - cylinder.netContentsLb;
  if (amountLb <= room + 0.0001) return;
  const roomText = lbText(Math.max(0, room));
  if (cylinder.kind === "RECOVERY")
    throw conflict(
      `Recovery cylinder ${cylinder.tag} can take only ${roomText} more: it may be filled to 80% of its ${lbText(cylinder.waterCapacityLb)} water capacity.`,
      "RECOVERY_LIMIT",
      { [field]: [`Room for ${roomText} only (80% rule).`] },
    );
  throw conflict(`Cylinder ${cylinder.tag} can take only ${roomText} more.`, "CAPACITY_EXCEEDED", {
    [field]: [`Room for ${roomText} only.`],
  });
}

function checkContents(cylinder: Cylinder, amountLb: number) {
  if (amountLb <= cylinder.netContentsLb + 0.0001) return;
  throw conflict(
    `Cylinder ${cylinder.tag} holds only ${lbText(cylinder.netContentsLb)}, not ${lbText(amountLb)}.`,
    "INSUFFICIENT_CONTENTS",
    { amountLb: [`The cylinder holds only ${lbText(cylinder.netContentsLb)}.`] },
  );
}

/** A relative update, rounded to the thousandth so repeated sums never drift below zero. */
const changeContents = (scope: OrgScope, cylinderId: string, deltaLb: number) =>
  scope.db
    .update(cylinders)
    .set({ netContentsLb: sql`round(${cylinders.netContentsLb} + ${deltaLb}, 3)` })
    .where(and(eq(cylinders.id, cylinderId), eq(cylinders.orgId, scope.org.id)));

/** Signed contents changes a transfer makes (negated to undo it). */
function contentsChanges(transfer: Pick<Transfer, "kind" | "amountLb" | "fromCylinderId" | "toCylinderId">) {
  const changes: { cylinderId: string; deltaLb: number }[] = [];
  if (transfer.fromCylinderId) changes.push({ cylinderId: transfer.fromCylinderId, deltaLb: -transfer.amountLb });
  if (transfer.toCylinderId) changes.push({ cylinderId: transfer.toCylinderId, deltaLb: transfer.amountLb });
  return changes;
}

/** Maps a failed batch to the 409 a user understands; anything else is rethrown. */
function contentsConflict(error: unknown, undoing: boolean): never {
  const broken = brokenConstraint(error);
  if (broken === "cylinders_contents_not_negative")
    throw conflict(
      undoing
        ? "The cylinder no longer holds the refrigerant this transfer put in it, so its contents cannot be restored. Record a transfer to correct the contents first."
        : "The cylinder no longer holds enough refrigerant for this transfer (another transfer just used it). Nothing was recorded.",
      "INSUFFICIENT_CONTENTS",
    );
  if (broken === "cylinders_recovery_80_percent")
    throw conflict(
      undoing
        ? "Restoring the contents would fill the recovery cylinder beyond 80% of its capacity."
        : "This would fill the recovery cylinder beyond 80% of its water capacity (another transfer just filled it). Nothing was recorded.",
      "RECOVERY_LIMIT",
    );
  if (broken === "cylinders_contents_within_capacity")
    throw conflict(
      undoing
        ? "Restoring the contents would fill the cylinder beyond its capacity."
        : "This would fill the cylinder beyond its capacity. Nothing was recorded.",
      "CAPACITY_EXCEEDED",
    );
  if (broken === "transfers_amount_positive")
    throw conflict(
      "This transfer was changed by someone else a moment ago. Reload it and try again.",
      "STALE_TRANSFER",
    );
  throw error;
}

/** What the engine needs about a unit's other charges and its last successful follow-up test. */
async function leakRateHistory(scope: OrgScope, unitId: string) {
  const { db } = scope;
  const [charges, followUp] = await Promise.all([
    db
      .select({ id: transfers.id, performedAt: transfers.performedAt, lb: transfers.amountLb })
      .from(transfers)
      .where(
        and(
          eq(transfers.orgId, scope.org.id),
          eq(transfers.unitId, unitId),
          eq(transfers.kind, "CHARGE"),
          ne(transfers.status, "REJECTED"),
          isNull(transfers.voidedAt),
        ),
      )
      .all(),
    db
      .select({ at: sql<number | null>`max(${leaks.followUpTestAt})` })
      .from(leaks)
      .where(and(eq(leaks.orgId, scope.org.id), eq(leaks.unitId, unitId), eq(leaks.followUpTestPassed, true)))
      .get(),
  ]);
  return {
    previousAdditions: charges.map((charge) => ({ performedAt: charge.performedAt, lb: charge.lb })),
    lastSuccessfulFollowUpAt: followUp?.at != null ? new Date(followUp.at) : null,
  };
}

/** The engine's leak rate for a charge of `addedLb` on `unit`, by the org's EPA config. */
export async function computeLeakRate(
  scope: OrgScope,
  unit: Unit,
  addedLb: number,
  performedAt: Date,
  config: EpaConfig = scope.org.epaConfig,
): Promise<LeakRateResult> {
  const history = await leakRateHistory(scope, unit.id);
  try {
    return leakRate({
      method: config.calculationMethod,
      fullChargeLb: unit.fullChargeLb,
      addedLb,
      performedAt,
      previousAdditions: history.previousAdditions,
      lastSuccessfulFollowUpAt: history.lastSuccessfulFollowUpAt,
      category: unit.category,
      config,
    });
  } catch (error) {
    if (error instanceof ComplianceInputError)
      throw badRequest(`The leak rate cannot be computed: ${error.message}`, { [error.field]: [error.message] });
    throw error;
  }
}

export async function createTransfer(scope: OrgScope, input: TransferCreateInput, now = new Date()) {
  const { db, org } = scope;
  const performedAt = input.performedAt ? new Date(input.performedAt) : now;
  if (performedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw badRequest("The date of service cannot be in the future.", {
      performedAt: ["The date of service cannot be in the future."],
    });
  const technician = await resolveTechnician(scope, input.technicianId);
  const unit = input.unitId ? await findUnitForTransfer(scope, input.unitId) : null;
  const from = input.fromCylinderId
    ? await findCylinderForTransfer(scope, input.fromCylinderId, "fromCylinderId")
    : null;
  const to = input.toCylinderId ? await findCylinderForTransfer(scope, input.toCylinderId, "toCylinderId") : null;
  const job = input.jobId ? await requireLinkableJob(scope, input.jobId) : null;
  const amountLb = input.amountLb;

  let refrigerant: string;
  if (input.kind === "CHARGE" && unit && from) {
    if (from.refrigerant !== unit.refrigerant)
      throw mismatch(
        `Cylinder ${from.tag} holds ${from.refrigerant} but ${unit.name} runs on ${unit.refrigerant}.`,
        "fromCylinderId",
      );
    checkContents(from, amountLb);
    refrigerant = unit.refrigerant;
  } else if (input.kind === "RECOVER" && unit && to) {
    if (to.kind !== "RECOVERY")
      throw conflict(
        `Cylinder ${to.tag} is a ${to.kind.toLowerCase()} cylinder: recover refrigerant into a recovery cylinder.`,
        "NOT_RECOVERY_CYLINDER",
        { toCylinderId: ["Choose a recovery cylinder."] },
      );
    if (to.refrigerant !== unit.refrigerant)
      throw mismatch(
        `Recovery cylinder ${to.tag} holds ${to.refrigerant} but ${unit.name} runs on ${unit.refrigerant}: a recovery cylinder holds one refrigerant.`,
        "toCylinderId",
      );
    checkRoom(to, amountLb, "toCylinderId");
    refrigerant = unit.refrigerant;
  } else if (input.kind === "CYLINDER_TO_CYLINDER" && from && to) {
    if (from.refrigerant !== to.refrigerant)
      throw mismatch(
        `Cylinder ${from.tag} holds ${from.refrigerant} but ${to.tag} holds ${to.refrigerant}.`,
        "toCylinderId",
      );
    if (to.kind === "VIRGIN" && from.kind !== "VIRGIN")
      throw conflict(
        `Cylinder ${to.tag} holds virgin refrigerant: ${from.kind.toLowerCase()} refrigerant cannot go into it.`,
        "GRADE_MISMATCH",
        { toCylinderId: ["Virgin cylinders take virgin refrigerant only."] },
      );
    checkContents(from, amountLb);
    checkRoom(to, amountLb, "toCylinderId");
    refrigerant = from.refrigerant;
  } else {
    throw badRequest("Some fields are missing or invalid.");
  }

  const transfer: typeof transfers.$inferInsert & { id: string } = {
    id: newId(),
    orgId: org.id,
    kind: input.kind,
    unitId: unit?.id ?? null,
    fromCylinderId: from?.id ?? null,
    toCylinderId: to?.id ?? null,
    refrigerant,
    amountLb,
    performedAt,
    technicianId: technician.id,
    technicianName: technician.name,
    // Snapshotted: later edits of the user's certification do not rewrite history.
    certificationNumber: technician.certificationNumber,
    certificationType: technician.certificationType,
    jobId: job?.id ?? null,
    notes: input.notes || null,
    status: "PENDING",
    createdById: scope.user.id,
    createdAt: now,
  };
  const rate = input.kind === "CHARGE" && unit ? await computeLeakRate(scope, unit, amountLb, performedAt) : null;
  const rateRow: (typeof leakRates.$inferInsert & { id: string }) | null =
    rate && unit
      ? {
          id: newId(),
          orgId: org.id,
          unitId: unit.id,
          transferId: transfer.id,
          method: rate.method,
          percent: rate.percent,
          threshold: rate.threshold,
          alertLevel: rate.alertLevel,
          exceeded: rate.exceeded,
          alert: rate.alert,
          inputs: rate.inputs,
          explanation: rate.explanation,
          ruleVersion: rate.ruleVersion,
          computedAt: now,
        }
      : null;
  const changes = contentsChanges({ ...transfer, fromCylinderId: from?.id ?? null, toCylinderId: to?.id ?? null });
  const tags = new Map([from, to].filter((c): c is Cylinder => !!c).map((c) => [c.id, c.tag]));

  const statements: BatchItem<"sqlite">[] = [
    db.insert(transfers).values(transfer),
    ...changes.map((change) => changeContents(scope, change.cylinderId, change.deltaLb)),
  ];
  if (rateRow) statements.push(db.insert(leakRates).values(rateRow));
  statements.push(
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "transfer.create",
      entityType: "transfer",
      entityId: transfer.id,
      after: {
        ...transfer,
        contentsChanges: changes.map((change) => ({ ...change, tag: tags.get(change.cylinderId) })),
        leakRate: rate
          ? { method: rate.method, percent: rate.percent, threshold: rate.threshold, exceeded: rate.exceeded }
          : null,
      },
    }),
  );
  try {
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    contentsConflict(error, false);
  }

  await publishTransfer(scope, transfer.id, "created", [from, to]);
  return getTransfer(scope, transfer.id);
}

async function publishTransfer(scope: OrgScope, id: string, action: string, touched: (Cylinder | null)[]) {
  const { env, org } = scope;
  await publish(env, org, { entity: "transfer", action, id, orgId: org.id }, FIELD_AUDIENCE);
  for (const cylinder of touched) {
    if (!cylinder) continue;
    await publish(
      env,
      org,
      { entity: "cylinder", action: "contents", id: cylinder.id, orgId: org.id },
      await cylinderAudienceOf(scope, cylinder),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Review and void

/**
 * The first statement of a review or void batch: a compare-and-set. When the transfer is no longer
 * in the state this request read, it flips the amount's sign, which the `transfers_amount_positive`
 * CHECK refuses, so the whole batch (contents included) is rolled back.
 */
function unchangedGuard(scope: OrgScope, row: Transfer) {
  return scope.db
    .update(transfers)
    .set({ amountLb: sql`-${transfers.amountLb}` })
    .where(and(eq(transfers.id, row.id), or(ne(transfers.status, row.status), isNotNull(transfers.voidedAt))));
}

async function cylindersOf(scope: OrgScope, row: Transfer) {
  const ids = [row.fromCylinderId, row.toCylinderId].filter((id): id is string => !!id);
  if (ids.length === 0) return [];
  return scope.db
    .select()
    .from(cylinders)
    .where(and(eq(cylinders.orgId, scope.org.id), inArray(cylinders.id, ids)))
    .all();
}

function requireReviewable(row: Transfer) {
  if (row.voidedAt) throw conflict("This transfer was voided: it can no longer be reviewed.", "TRANSFER_VOIDED");
  if (row.status !== "PENDING")
    throw conflict(
      `This transfer was already ${row.status === "APPROVED" ? "approved" : "rejected"}${row.reviewedByName ? ` by ${row.reviewedByName}` : ""}.`,
      "ALREADY_REVIEWED",
    );
}

export async function approveTransfer(scope: OrgScope, id: string, input: TransferReviewInput, now = new Date()) {
  const { db, org } = scope;
  const row = await findTransfer(scope, id);
  requireReviewable(row);
  const review = {
    status: "APPROVED" as const,
    reviewedById: scope.user.id,
    reviewedByName: scope.user.name,
    reviewedAt: now,
    reviewNote: input.note || null,
  };
  const statements: BatchItem<"sqlite">[] = [
    unchangedGuard(scope, row),
    db
      .update(transfers)
      .set(review)
      .where(and(eq(transfers.id, row.id), eq(transfers.orgId, org.id))),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "transfer.approve",
      entityType: "transfer",
      entityId: row.id,
      before: { status: row.status },
      after: { status: review.status, reviewNote: review.reviewNote },
    }),
  ];

  // An approved charge whose leak rate is over the threshold opens a leak repair, unless one is open.
  let openedLeakId: string | null = null;
  if (row.kind === "CHARGE" && row.unitId) {
    const rate = await db
      .select()
      .from(leakRates)
      .where(and(eq(leakRates.transferId, row.id), eq(leakRates.orgId, org.id)))
      .get();
    const unit = await db
      .select()
      .from(units)
      .where(and(eq(units.id, row.unitId), eq(units.orgId, org.id)))
      .get();
    const refrigerant = unit
      ? await db.select().from(refrigerants).where(eq(refrigerants.designation, unit.refrigerant)).get()
      : undefined;
    // Leak-repair duties apply to appliances the EPA rules cover (Part 82 / Part 84), not to every unit.
    const covered =
      unit && refrigerant
        ? coverage({ refrigerant, fullChargeLb: unit.fullChargeLb, asOf: row.performedAt }, org.epaConfig).covered
        : false;
    if (rate?.exceeded && unit && covered) {
      const open = await db
        .select({ id: leaks.id })
        .from(leaks)
        .where(and(eq(leaks.orgId, org.id), eq(leaks.unitId, unit.id), inArray(leaks.status, OPEN_LEAK_STATUSES)))
        .get();
      if (!open) {
        const opened = openLeakFromRate(scope, { unit, rate, transfer: row, now });
        openedLeakId = opened.id;
        statements.push(...opened.statements);
      }
    }
  }

  try {
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    contentsConflict(error, true);
  }
  await publish(scope.env, org, { entity: "transfer", action: "approved", id: row.id, orgId: org.id }, FIELD_AUDIENCE);
  if (openedLeakId)
    await publish(
      scope.env,
      org,
      { entity: "leak", action: "opened", id: openedLeakId, orgId: org.id },
      FIELD_AUDIENCE,
    );
  return getTransfer(scope, row.id);
}

export async function rejectTransfer(scope: OrgScope, id: string, input: TransferReviewInput, now = new Date()) {
  const { db, org } = scope;
  const row = await findTransfer(scope, id);
  requireReviewable(row);
  const review = {
    status: "REJECTED" as const,
    reviewedById: scope.user.id,
    reviewedByName: scope.user.name,
    reviewedAt: now,
    reviewNote: input.note || null,
  };
  const undo = contentsChanges(row).map((change) => ({ ...change, deltaLb: -change.deltaLb }));
  const touched = await cylindersOf(scope, row);
  try {
    await db.batch([
      unchangedGuard(scope, row),
      db
        .update(transfers)
        .set(review)
        .where(and(eq(transfers.id, row.id), eq(transfers.orgId, org.id))),
      ...undo.map((change) => changeContents(scope, change.cylinderId, change.deltaLb)),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "transfer.reject",
        entityType: "transfer",
        entityId: row.id,
        before: { status: row.status },
        after: { status: review.status, reviewNote: review.reviewNote, contentsRestored: undo },
      }),
    ]);
  } catch (error) {
    contentsConflict(error, true);
  }
  await publishTransfer(scope, row.id, "rejected", touched);
  return getTransfer(scope, row.id);
}

export async function voidTransfer(scope: OrgScope, id: string, input: TransferVoidInput, now = new Date()) {
  const { db, org } = scope;
  const row = await findTransfer(scope, id);
  if (row.voidedAt) throw conflict("This transfer is already voided.", "ALREADY_VOIDED");
  // A rejected transfer already gave its refrigerant back.
  const undo =
    row.status === "REJECTED" ? [] : contentsChanges(row).map((change) => ({ ...change, deltaLb: -change.deltaLb }));
  const touched = undo.length ? await cylindersOf(scope, row) : [];
  const voided = { voidedAt: now, voidedById: scope.user.id, voidReason: input.reason };
  try {
    await db.batch([
      unchangedGuard(scope, row),
      db
        .update(transfers)
        .set(voided)
        .where(and(eq(transfers.id, row.id), eq(transfers.orgId, org.id))),
      ...undo.map((change) => changeContents(scope, change.cylinderId, change.deltaLb)),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "transfer.void",
        entityType: "transfer",
        entityId: row.id,
        before: { status: row.status, voidedAt: null },
        after: { status: row.status, voidedAt: now, voidReason: input.reason, contentsRestored: undo },
      }),
    ]);
  } catch (error) {
    contentsConflict(error, true);
  }
  await publishTransfer(scope, row.id, "voided", touched);
  return getTransfer(scope, row.id);
}

// ---------------------------------------------------------------------------------------------
// Choices for the quick transfer form

/**
 * What a transfer can involve: active units (with their site) and cylinders in service, the
 * caller's own cylinders first; for reviewers, the org's field users they may record for.
 */
export async function transferChoices(scope: OrgScope) {
  const { db, org } = scope;
  const [unitRows, cylinderRows, people] = await Promise.all([
    activeUnits(scope),
    db
      .select()
      .from(cylinders)
      .where(
        and(
          eq(cylinders.orgId, org.id),
          isNull(cylinders.deletedAt),
          notInArray(cylinders.status, ["RETIRED", "SOLD"]),
        ),
      )
      .orderBy(asc(cylinders.tag))
      .all(),
    can(scope.actor, "transfers:review", org.id) ? orgTechnicians(scope) : [],
  ]);
  const mine = (cylinder: Cylinder) => cylinder.holderType === "TECHNICIAN" && cylinder.holderUserId === scope.user.id;
  return {
    units: unitRows,
    cylinders: cylinderRows
      .map((cylinder) => ({
        id: cylinder.id,
        tag: cylinder.tag,
        refrigerant: cylinder.refrigerant,
        kind: cylinder.kind,
        netContentsLb: cylinder.netContentsLb,
        roomLb: Math.max(0, Number((cylinderLimitLb(cylinder) - cylinder.netContentsLb).toFixed(3))),
        holderLabel: cylinder.holderLabel,
        mine: mine(cylinder),
      }))
      .sort((a, b) => Number(b.mine) - Number(a.mine)),
    technicians: people,
  };
}

/** Active units (where transfers and leaks are recorded), with their site's name. */
export async function activeUnits(scope: OrgScope) {
  const rows = await scope.db
    .select({ unit: units, locationName: locations.name })
    .from(units)
    .leftJoin(locations, eq(locations.id, units.locationId))
    .where(and(eq(units.orgId, scope.org.id), eq(units.status, "ACTIVE"), isNull(units.deletedAt)))
    .orderBy(asc(units.name))
    .all();
  return rows.map(({ unit, locationName }) => ({
    id: unit.id,
    name: unit.name,
    refrigerant: unit.refrigerant,
    category: unit.category,
    fullChargeLb: unit.fullChargeLb,
    locationName,
  }));
}

/** The org's active members who may record transfers (for "record for" and the list's filter). */
export async function orgTechnicians(scope: OrgScope) {
  const people = await scope.db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.orgId, scope.org.id), eq(users.status, "ACTIVE")))
    .orderBy(asc(users.name))
    .all();
  return people.filter((person) => can({ role: person.role, orgId: scope.org.id }, "transfers:record", scope.org.id));
}
