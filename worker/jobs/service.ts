/**
 * Jobs (work orders, SPEC §5, issue 4): customer, location, units, project, description,
 * priority, status, notes. The status rules live in worker/field/lifecycle.ts; here a manager
 * completes, cancels (with its open appointments) or reopens a job, and every write that may move
 * a job's status or project re-rolls its projects in the same batch.
 *
 * Visibility: whoever may see every appointment sees every job of the org; anyone else (a
 * technician) sees only the jobs they are assigned to, and any other job answers 404.
 */
import { and, asc, desc, eq, inArray, isNull, notInArray, or, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import {
  appointments,
  appointmentTechnicians,
  customers,
  jobNotes,
  jobs,
  jobUnits,
  locations,
  projects,
  transfers,
  units,
} from "../../db/schema";
import { appointmentsByIds, appointmentsOfJob } from "../appointments/service";
import { type IdList, idsJson, inIds } from "../appointments/warnings";
import { auditEntry } from "../audit/log";
import { likePattern, requireActiveCustomer, requireActiveLocation } from "../customers/locations";
import { type Db, newId, oncePer } from "../db";
import { fieldAudience, PROJECT_AUDIENCE } from "../field/audience";
import {
  assignedToJob,
  CLOSED_JOB_STATUSES,
  jobTechnicianIds,
  OPEN_APPOINTMENT_STATUSES,
  projectRollup,
} from "../field/lifecycle";
import { type Appointment, type Job, type JobNote, type JobSummary, jobLabel } from "../field/shapes";
import { badRequest, conflict, HttpError, isConstraintError, notFound } from "../http/errors";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { can } from "../policy/permissions";
import { projectSummaries } from "./projects";
import type { JobCreateInput, JobListQuery, JobNoteInput, JobPatchInput } from "./schemas";

export type JobRow = typeof jobs.$inferSelect;
type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

const DEFAULT_LIST_LIMIT = 200;
/** D1 binds at most 100 parameters per statement: long id lists are read in chunks. */
const CHUNK = 90;
const OPEN_JOB_STATUSES = ["PENDING", "SCHEDULED", "IN_PROGRESS"] as const;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Whether the caller sees every job of the org (else only the jobs they are assigned to). */
export const seesAllJobs = (scope: OrgScope) => can(scope.actor, "appointments:view-all", scope.org.id);

/** The visibility condition on `jobs` for this caller (org, not deleted, assigned for a technician). */
function visibleJobs(scope: OrgScope): SQL {
  const base = and(eq(jobs.orgId, scope.org.id), isNull(jobs.deletedAt)) as SQL;
  return seesAllJobs(scope) ? base : (and(base, assignedToJob(scope.user.id)) as SQL);
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * A summary's columns. D1 answers a batch's rows keyed by column name (`summaryReads` runs in
 * batches), so the joined tables' ids and names are renamed.
 */
const summaryColumns = {
  job: jobs,
  customer: {
    id: sql<string>`${customers.id}`.as("customer_ref"),
    name: sql<string>`${customers.name}`.as("customer_name"),
  },
  location: {
    id: sql<string>`${locations.id}`.as("location_ref"),
    name: sql<string>`${locations.name}`.as("location_name"),
    street: locations.street,
    city: locations.city,
    state: locations.state,
  },
  projectId: sql<string | null>`${projects.id}`.as("project_ref"),
  projectName: sql<string | null>`${projects.name}`.as("project_name"),
};

function summarySelect(db: Db) {
  return db
    .select(summaryColumns)
    .from(jobs)
    .innerJoin(customers, eq(customers.id, jobs.customerId))
    .innerJoin(locations, eq(locations.id, jobs.locationId))
    .leftJoin(projects, eq(projects.id, jobs.projectId));
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summarySelect>["all"]>>[number];

/**
 * The queries for the units, open appointments' technicians and next start of up to CHUNK jobs.
 * `orgId` and `ids` are values, or placeholders when prepared (`preparedSummaryReads`).
 */
function extrasReads(db: Db, orgId: string | Placeholder, ids: IdList) {
  return [
    db
      .select({ jobId: jobUnits.jobId, unitId: jobUnits.unitId })
      .from(jobUnits)
      .where(inIds(jobUnits.jobId, ids))
      .orderBy(asc(jobUnits.unitId)),
    db
      .select({ jobId: appointments.jobId, startsAt: appointments.startsAt, userId: appointmentTechnicians.userId })
      .from(appointments)
      .leftJoin(appointmentTechnicians, eq(appointmentTechnicians.appointmentId, appointments.id))
      .where(
        and(
          eq(appointments.orgId, orgId),
          inIds(appointments.jobId, ids),
          inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]),
        ),
      ),
  ] as const;
}

type SummaryExtras = {
  unitIds: Map<string, string[]>;
  technicianIds: Map<string, Set<string>>;
  nextAt: Map<string, number>;
};

/** Adds what `extrasReads` answered to `extras`. */
function addExtras(extras: SummaryExtras, [unitRows, appointmentRows]: BatchResponse<ReturnType<typeof extrasReads>>) {
  const { unitIds, technicianIds, nextAt } = extras;
  for (const row of unitRows) unitIds.set(row.jobId, [...(unitIds.get(row.jobId) ?? []), row.unitId]);
  for (const row of appointmentRows) {
    if (row.userId) technicianIds.set(row.jobId, (technicianIds.get(row.jobId) ?? new Set()).add(row.userId));
    const at = row.startsAt.getTime();
    if (at < (nextAt.get(row.jobId) ?? Number.POSITIVE_INFINITY)) nextAt.set(row.jobId, at);
  }
  return extras;
}

const noExtras = (): SummaryExtras => ({ unitIds: new Map(), technicianIds: new Map(), nextAt: new Map() });

async function presentSummaries(scope: OrgScope, rows: readonly SummaryRow[]): Promise<JobSummary[]> {
  const extras = noExtras();
  for (const ids of chunks(rows.map((row) => row.job.id)))
    addExtras(extras, await scope.db.batch(extrasReads(scope.db, scope.org.id, ids)));
  return summariesOf(rows, extras);
}

function summariesOf(rows: readonly SummaryRow[], extras: SummaryExtras): JobSummary[] {
  return rows.map(({ job, customer, location, projectId, projectName }) => {
    const next = extras.nextAt.get(job.id);
    return {
      id: job.id,
      number: job.number,
      label: jobLabel(job.number),
      description: job.description,
      priority: job.priority,
      status: job.status,
      customer,
      location,
      project: projectId && projectName !== null ? { id: projectId, name: projectName } : null,
      unitIds: extras.unitIds.get(job.id) ?? [],
      technicianIds: [...(extras.technicianIds.get(job.id) ?? [])].sort(),
      nextAppointmentAt: next === undefined ? null : new Date(next).toISOString(),
      createdAt: job.createdAt.toISOString(),
      updatedAt: job.updatedAt.toISOString(),
    };
  });
}

/**
 * The reads of `jobSummaries` for up to CHUNK ids, for one D1 batch. A write's announcement adds
 * them to its own batch (the live publish waits on it).
 */
export function summaryReads(scope: OrgScope, ids: readonly string[]) {
  return summaryQueries(scope.db, scope.org.id, ids);
}

function summaryQueries(db: Db, orgId: string | Placeholder, ids: IdList) {
  return [
    summarySelect(db).where(and(eq(jobs.orgId, orgId), inIds(jobs.id, ids))),
    ...extrasReads(db, orgId, ids),
  ] as const;
}

/**
 * `summaryReads` prepared once per Drizzle instance (building their SQL cost more than running
 * them), for a write's announcement; bind `summaryValues`.
 */
export const preparedSummaryReads = oncePer((db: Db) => {
  const [rows, units, visits] = summaryQueries(db, sql.placeholder("orgId"), sql.placeholder("jobIds"));
  return [rows.prepare(), units.prepare(), visits.prepare()] as const;
});
export const summaryValues = (scope: OrgScope, ids: readonly string[]) => ({
  orgId: scope.org.id,
  jobIds: idsJson(ids),
});

/** What `summaryReads` (or its prepared form) answered, in the order of `ids` (missing ids skipped). */
export function summariesFrom(
  ids: readonly string[],
  [rows, ...extras]: BatchResponse<ReturnType<typeof summaryReads>>,
): JobSummary[] {
  const byId = new Map(summariesOf(rows, addExtras(noExtras(), extras)).map((summary) => [summary.id, summary]));
  return ids.map((id) => byId.get(id)).filter((summary): summary is JobSummary => !!summary);
}

/**
 * Summaries of the org's jobs, in the order given (missing ids are skipped). No visibility filter
 * (deleted jobs included): the caller decided who may see them.
 */
export async function jobSummaries(scope: OrgScope, jobIds: string[]): Promise<JobSummary[]> {
  const summaries: JobSummary[] = [];
  for (const ids of chunks([...new Set(jobIds)])) {
    summaries.push(...summariesFrom(ids, await scope.db.batch(summaryReads(scope, ids))));
  }
  return summaries;
}

async function jobSummary(scope: OrgScope, jobId: string): Promise<JobSummary> {
  const [summary] = await jobSummaries(scope, [jobId]);
  if (!summary) throw notFound("Job");
  return summary;
}

/** The org's jobs the caller may see, newest first, filtered. */
export async function listJobs(scope: OrgScope, query: JobListQuery = {}): Promise<JobSummary[]> {
  const conditions: (SQL | undefined)[] = [visibleJobs(scope)];
  if (query.status === "OPEN") conditions.push(notInArray(jobs.status, [...CLOSED_JOB_STATUSES]));
  else if (query.status && query.status !== "ALL") conditions.push(eq(jobs.status, query.status));
  if (query.projectId) conditions.push(eq(jobs.projectId, query.projectId));
  if (query.customerId) conditions.push(eq(jobs.customerId, query.customerId));
  if (query.q) {
    const pattern = likePattern(query.q);
    const like = (column: SQL) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    const number = /^(?:j-?)?(\d{1,9})$/i.exec(query.q)?.[1];
    conditions.push(
      or(
        like(sql`${jobs.description}`),
        like(sql`${customers.name}`),
        like(sql`${locations.name}`),
        like(sql`${locations.street}`),
        like(sql`${locations.city}`),
        number ? eq(jobs.number, Number(number)) : undefined,
      ),
    );
  }
  const rows = await summarySelect(scope.db)
    .where(and(...conditions))
    .orderBy(desc(jobs.number))
    .limit(query.limit ?? DEFAULT_LIST_LIMIT)
    .all();
  return presentSummaries(scope, rows);
}

/** A job the caller may see: 404 when missing, deleted, of another org, or not assigned to a technician. */
export async function requireJob(scope: OrgScope, jobId: string): Promise<JobRow> {
  return jobFrom(await jobQuery(scope, jobId).all());
}

/** `requireJob`'s read, for a caller that sends it in a batch with others; `jobFrom` checks it. */
export const jobQuery = (scope: OrgScope, jobId: string | SQL) =>
  scope.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), visibleJobs(scope)))
    .limit(1);

export function jobFrom([row]: JobRow[]): JobRow {
  if (!row) throw notFound("Job");
  return row;
}

const presentNote = (note: typeof jobNotes.$inferSelect): JobNote => ({
  id: note.id,
  jobId: note.jobId,
  authorId: note.authorId,
  authorName: note.authorName,
  body: note.body,
  createdAt: note.createdAt.toISOString(),
});

async function notesOf(scope: OrgScope, jobId: string): Promise<JobNote[]> {
  const rows = await scope.db
    .select()
    .from(jobNotes)
    .where(and(eq(jobNotes.orgId, scope.org.id), eq(jobNotes.jobId, jobId)))
    .orderBy(asc(jobNotes.createdAt), asc(jobNotes.id))
    .all();
  return rows.map(presentNote);
}

/** A job's appointments the caller may see (a technician: the ones they are on). */
async function visibleAppointments(scope: OrgScope, jobId: string): Promise<Appointment[]> {
  const list = await appointmentsOfJob(scope, jobId);
  if (seesAllJobs(scope)) return list;
  return list.filter((appointment) => appointment.technicians.some((tech) => tech.id === scope.user.id));
}

/** One job with its units, notes (newest last), appointments and linked transfers. */
export async function getJob(scope: OrgScope, jobId: string): Promise<Job> {
  const row = await requireJob(scope, jobId);
  const [summary, unitRows, notes, appointmentList, transferRows] = await Promise.all([
    jobSummary(scope, row.id),
    scope.db
      .select({
        id: units.id,
        name: units.name,
        refrigerant: units.refrigerant,
        category: units.category,
        fullChargeLb: units.fullChargeLb,
      })
      .from(jobUnits)
      .innerJoin(units, eq(units.id, jobUnits.unitId))
      .where(and(eq(jobUnits.jobId, row.id), eq(units.orgId, scope.org.id)))
      .orderBy(asc(units.name))
      .all(),
    notesOf(scope, row.id),
    visibleAppointments(scope, row.id),
    scope.db
      .select()
      .from(transfers)
      .where(and(eq(transfers.orgId, scope.org.id), eq(transfers.jobId, row.id)))
      .orderBy(asc(transfers.performedAt))
      .all(),
  ]);
  return {
    ...summary,
    units: unitRows,
    notes,
    appointments: appointmentList,
    transfers: transferRows.map((transfer) => ({
      id: transfer.id,
      kind: transfer.kind,
      status: transfer.voidedAt ? "VOIDED" : transfer.status,
      refrigerant: transfer.refrigerant,
      amountLb: transfer.amountLb,
      performedAt: transfer.performedAt.toISOString(),
      technicianName: transfer.technicianName,
      unitId: transfer.unitId,
    })),
    completedAt: row.completedAt?.toISOString() ?? null,
    canceledAt: row.canceledAt?.toISOString() ?? null,
    cancelReason: row.cancelReason,
  };
}

export async function listJobNotes(scope: OrgScope, jobId: string): Promise<JobNote[]> {
  const row = await requireJob(scope, jobId);
  return notesOf(scope, row.id);
}

// ---------------------------------------------------------------------------------------------
// Checks on what a write names

/** A project of this org a job may join: otherwise a 400 on `projectId`. */
async function requireJoinableProject(scope: OrgScope, projectId: string, customerId: string) {
  const project = await scope.db
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.orgId, scope.org.id)))
    .get();
  if (!project)
    throw badRequest("Choose a project of this organization.", { projectId: ["Not a project of this organization."] });
  if (project.status === "CANCELED")
    throw badRequest(`${project.name} is canceled.`, { projectId: ["This project is canceled."] });
  if (project.customerId && project.customerId !== customerId)
    throw badRequest(`${project.name} is for another customer.`, {
      projectId: ["This project is for another customer."],
    });
  return project;
}

/** Units at the job's location: active ones, or ones already on the job. Otherwise a 400 on `unitIds`. */
async function requireJobUnits(scope: OrgScope, locationId: string, unitIds: readonly string[], kept: string[] = []) {
  const wanted = [...new Set(unitIds)];
  if (wanted.length === 0) return [];
  const rows = await scope.db
    .select({ id: units.id, status: units.status, deletedAt: units.deletedAt })
    .from(units)
    .where(and(eq(units.orgId, scope.org.id), eq(units.locationId, locationId), inArray(units.id, wanted)))
    .all();
  const usable = new Set(
    rows.filter((row) => !row.deletedAt && (row.status === "ACTIVE" || kept.includes(row.id))).map((row) => row.id),
  );
  const bad = wanted.filter((id) => !usable.has(id));
  if (bad.length > 0)
    throw badRequest("Choose active units at the job's location.", {
      unitIds: bad.map((id) => `${id} is not an active unit at this location.`),
    });
  return wanted;
}

/**
 * The first statement of a batch that changes a job: a compare-and-set. When the job was deleted
 * meanwhile, or one of the `changed` conditions holds (what this request read no longer does), it
 * sets the job's org to NULL, which the NOT NULL constraint refuses, so the whole batch rolls back
 * (answered 409).
 */
function jobUnchangedGuard(scope: OrgScope, row: JobRow, ...changed: (SQL | undefined)[]) {
  return scope.db
    .update(jobs)
    .set({ orgId: sql`NULL` })
    .where(and(eq(jobs.id, row.id), or(sql`${jobs.deletedAt} IS NOT NULL`, ...changed) as SQL));
}

const changedMeanwhile = () =>
  conflict("This job changed while you were editing it. Reload and try again.", "JOB_CHANGED");

async function runGuarded(scope: OrgScope, statements: Batch) {
  try {
    await scope.db.batch(statements);
  } catch (error) {
    if (isConstraintError(error, "jobs.org_id")) throw changedMeanwhile();
    throw error;
  }
}

const jobSnapshot = (row: JobRow) => ({
  number: row.number,
  customerId: row.customerId,
  locationId: row.locationId,
  projectId: row.projectId,
  description: row.description,
  priority: row.priority,
  status: row.status,
});

// ---------------------------------------------------------------------------------------------
// Live events

async function announceJob(scope: OrgScope, action: string, summary: JobSummary, techIds: string[][]) {
  await publish(
    scope.env,
    scope.org,
    { entity: "job", action, id: summary.id, orgId: scope.org.id, data: { job: summary } },
    fieldAudience(...techIds),
  );
}

/** Project events for the projects a job write re-rolled (skips ones that are gone). */
async function announceProjects(scope: OrgScope, projectIds: readonly (string | null)[]) {
  const ids = [...new Set(projectIds.filter((id): id is string => !!id))];
  if (ids.length === 0) return;
  for (const project of await projectSummaries(scope, ids)) {
    await publish(
      scope.env,
      scope.org,
      { entity: "project", action: "updated", id: project.id, orgId: scope.org.id, data: { project } },
      PROJECT_AUDIENCE,
    );
  }
}

async function announceCanceledAppointments(scope: OrgScope, appointmentList: Appointment[]) {
  for (const appointment of appointmentList) {
    await publish(
      scope.env,
      scope.org,
      { entity: "appointment", action: "canceled", id: appointment.id, orgId: scope.org.id, data: { appointment } },
      fieldAudience(appointment.technicians.map((tech) => tech.id)),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

const MAX_NUMBER_ATTEMPTS = 3;

/** A new job, PENDING, numbered after the org's last one (J-1001 first). */
export async function createJob(scope: OrgScope, input: JobCreateInput): Promise<JobSummary> {
  const { db, org } = scope;
  const customer = await requireActiveCustomer(scope, input.customerId, "customerId");
  const { location } = await requireActiveLocation(scope, input.locationId, "locationId");
  if (location.customerId !== customer.id)
    throw badRequest(`${location.name} is not a location of ${customer.name}.`, {
      locationId: ["This location belongs to another customer."],
    });
  const unitIds = await requireJobUnits(scope, location.id, input.unitIds ?? []);
  const project = input.projectId ? await requireJoinableProject(scope, input.projectId, customer.id) : null;

  const id = newId();
  const now = new Date();
  const values = {
    id,
    orgId: org.id,
    customerId: customer.id,
    locationId: location.id,
    projectId: project?.id ?? null,
    description: input.description,
    priority: input.priority ?? "NORMAL",
    status: "PENDING" as const,
    createdById: scope.user.id,
    createdAt: now,
    updatedAt: now,
  };
  const statements: Batch = [
    // The number is computed by the insert itself; two concurrent creates collide on the unique
    // (org, number) index instead of sharing a number, and the loser retries.
    db.insert(jobs).values({
      ...values,
      number: sql`(SELECT COALESCE(MAX(${jobs.number}), 1000) + 1 FROM ${jobs} WHERE ${jobs.orgId} = ${org.id})`,
    }),
    ...unitIds.map((unitId) => db.insert(jobUnits).values({ jobId: id, unitId })),
    ...(project ? [projectRollup(db, project.id)] : []),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "job.create",
      entityType: "job",
      entityId: id,
      after: { ...values, unitIds },
    }),
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      await db.batch(statements);
      break;
    } catch (error) {
      if (!isConstraintError(error, "jobs.number")) throw error;
      if (attempt >= MAX_NUMBER_ATTEMPTS)
        throw conflict("Another job was numbered at the same moment. Try again.", "JOB_NUMBER_TAKEN");
    }
  }
  const summary = await jobSummary(scope, id);
  await announceJob(scope, "created", summary, []);
  await announceProjects(scope, [project?.id ?? null]);
  return summary;
}

/** Per status change: the live event's action and the audit log's. */
const STATUS_ACTIONS = {
  COMPLETED: { event: "completed", audit: "job.complete" },
  CANCELED: { event: "canceled", audit: "job.cancel" },
  PENDING: { event: "reopened", audit: "job.reopen" },
} as const;

/**
 * A manager's edit: description, priority, project, units, and status changes — COMPLETED from
 * any open status, CANCELED (with a reason; cancels the job's open appointments) from any open
 * status, PENDING to reopen a finished job (SCHEDULED when an appointment is still open).
 */
export async function updateJob(scope: OrgScope, jobId: string, input: JobPatchInput): Promise<JobSummary> {
  const { db, org } = scope;
  const row = await requireJob(scope, jobId);
  if (input.cancelReason !== undefined && input.status !== "CANCELED")
    throw badRequest("A cancel reason goes with cancelling the job.", {
      cancelReason: ['Only with status "CANCELED".'],
    });
  if (input.status === "CANCELED" && !input.cancelReason)
    throw badRequest("Say why the job is canceled.", { cancelReason: ["Required to cancel a job."] });

  const open = (OPEN_JOB_STATUSES as readonly string[]).includes(row.status);
  if (input.status === "COMPLETED" || input.status === "CANCELED") {
    if (!open)
      throw conflict(`This job is already ${row.status === "COMPLETED" ? "completed" : "canceled"}.`, "JOB_CLOSED");
  } else if (input.status === "PENDING" && open) {
    throw conflict("Only a completed or canceled job can be reopened.", "JOB_OPEN");
  }

  const projectChanges = input.projectId !== undefined && input.projectId !== row.projectId;
  if (projectChanges && input.projectId) await requireJoinableProject(scope, input.projectId, row.customerId);
  const currentUnits = (
    await db.select({ unitId: jobUnits.unitId }).from(jobUnits).where(eq(jobUnits.jobId, row.id)).all()
  ).map((unit) => unit.unitId);
  const unitIds =
    input.unitIds !== undefined ? await requireJobUnits(scope, row.locationId, input.unitIds, currentUnits) : null;

  const now = new Date();
  const set: Partial<typeof jobs.$inferInsert> = { updatedAt: now };
  if (input.description !== undefined) set.description = input.description;
  if (input.priority !== undefined) set.priority = input.priority;
  if (projectChanges) set.projectId = input.projectId ?? null;
  if (input.status === "COMPLETED") Object.assign(set, { status: "COMPLETED", completedAt: now });
  if (input.status === "CANCELED")
    Object.assign(set, { status: "CANCELED", canceledAt: now, cancelReason: input.cancelReason });
  let reopenStatus: SQL | undefined;
  if (input.status === "PENDING") {
    Object.assign(set, { completedAt: null, canceledAt: null, cancelReason: null });
    reopenStatus = sql`CASE WHEN EXISTS (SELECT 1 FROM ${appointments} WHERE ${appointments.jobId} = ${row.id}
      AND ${appointments.status} IN ('SCHEDULED', 'EN_ROUTE', 'IN_PROGRESS')) THEN 'SCHEDULED' ELSE 'PENDING' END`;
  }

  const techIdsBefore = await jobTechnicianIds(db, row.id);
  const canceledAppointmentIds =
    input.status === "CANCELED"
      ? (
          await db
            .select({ id: appointments.id })
            .from(appointments)
            .where(
              and(
                eq(appointments.orgId, org.id),
                eq(appointments.jobId, row.id),
                inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]),
              ),
            )
            .all()
        ).map((appointment) => appointment.id)
      : [];

  const statements: Batch = [
    // A status change is decided from the status read; a plain edit does not mind one meanwhile.
    jobUnchangedGuard(
      scope,
      row,
      input.status ? sql`${jobs.status} <> ${row.status}` : undefined,
      projectChanges ? sql`${jobs.projectId} IS NOT ${row.projectId}` : undefined,
    ),
    db
      .update(jobs)
      .set(reopenStatus ? { ...set, status: reopenStatus as never } : set)
      .where(and(eq(jobs.id, row.id), eq(jobs.orgId, org.id))),
  ];
  if (unitIds) {
    statements.push(db.delete(jobUnits).where(eq(jobUnits.jobId, row.id)));
    for (const unitId of unitIds) statements.push(db.insert(jobUnits).values({ jobId: row.id, unitId }));
  }
  if (canceledAppointmentIds.length > 0) {
    statements.push(
      db
        .update(appointments)
        .set({ status: "CANCELED", canceledAt: now, cancelReason: input.cancelReason ?? null, updatedAt: now })
        .where(
          and(
            eq(appointments.jobId, row.id),
            inArray(appointments.id, canceledAppointmentIds),
            inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]),
          ),
        ),
    );
  }
  const touchedProjects = [
    ...new Set([row.projectId, projectChanges ? (input.projectId ?? null) : row.projectId]),
  ].filter((id): id is string => !!id);
  if (input.status || projectChanges)
    for (const projectId of touchedProjects) statements.push(projectRollup(db, projectId));
  const action = input.status ? STATUS_ACTIONS[input.status] : { event: "updated", audit: "job.update" };
  statements.push(
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: action.audit,
      entityType: "job",
      entityId: row.id,
      before: { ...jobSnapshot(row), ...(unitIds ? { unitIds: currentUnits } : {}) },
      after: {
        ...jobSnapshot({ ...row, ...(set as Partial<JobRow>) }),
        ...(reopenStatus ? { status: "PENDING" } : {}),
        ...(unitIds ? { unitIds } : {}),
        ...(canceledAppointmentIds.length > 0 ? { canceledAppointmentIds } : {}),
      },
    }),
  );
  await runGuarded(scope, statements);

  const summary = await jobSummary(scope, row.id);
  await announceJob(scope, action.event, summary, [techIdsBefore, summary.technicianIds]);
  if (canceledAppointmentIds.length > 0) {
    await announceCanceledAppointments(scope, await appointmentsByIds(scope, canceledAppointmentIds));
  }
  if (input.status || projectChanges) await announceProjects(scope, touchedProjects);
  return summary;
}

/**
 * Soft delete (records:delete). Refused while an appointment of the job is in progress; its other
 * open appointments are canceled with it, so no board keeps a deleted job.
 */
export async function deleteJob(scope: OrgScope, jobId: string): Promise<JobSummary> {
  const { db, org } = scope;
  const row = await requireJob(scope, jobId);
  const openAppointments = await db
    .select({ id: appointments.id, status: appointments.status })
    .from(appointments)
    .where(
      and(
        eq(appointments.orgId, org.id),
        eq(appointments.jobId, row.id),
        inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]),
      ),
    )
    .all();
  const inProgress = () =>
    conflict("A technician is working on this job: it cannot be deleted until they finish.", "JOB_IN_PROGRESS");
  if (openAppointments.some((appointment) => appointment.status === "IN_PROGRESS")) throw inProgress();
  const techIdsBefore = await jobTechnicianIds(db, row.id);
  const canceledIds = openAppointments.map((appointment) => appointment.id);
  const now = new Date();
  const statements: Batch = [
    jobUnchangedGuard(
      scope,
      row,
      sql`EXISTS (SELECT 1 FROM ${appointments} WHERE ${appointments.jobId} = ${row.id} AND ${appointments.status} = 'IN_PROGRESS')`,
    ),
    db
      .update(jobs)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(jobs.id, row.id), eq(jobs.orgId, org.id))),
  ];
  if (canceledIds.length > 0)
    statements.push(
      db
        .update(appointments)
        .set({ status: "CANCELED", canceledAt: now, cancelReason: "Job deleted", updatedAt: now })
        .where(
          and(inArray(appointments.id, canceledIds), inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES])),
        ),
    );
  if (row.projectId) statements.push(projectRollup(db, row.projectId));
  statements.push(
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "job.delete",
      entityType: "job",
      entityId: row.id,
      before: jobSnapshot(row),
      after: canceledIds.length > 0 ? { canceledAppointmentIds: canceledIds } : null,
    }),
  );
  try {
    await runGuarded(scope, statements);
  } catch (error) {
    // The guard fires on an appointment started meanwhile as well as on a changed job.
    const started = await db
      .select({ id: appointments.id })
      .from(appointments)
      .where(and(eq(appointments.jobId, row.id), eq(appointments.status, "IN_PROGRESS")))
      .get();
    throw started ? inProgress() : error;
  }
  const summary = await jobSummary(scope, row.id);
  await announceJob(scope, "deleted", summary, [techIdsBefore]);
  if (canceledIds.length > 0) {
    await announceCanceledAppointments(scope, await appointmentsByIds(scope, canceledIds));
  }
  await announceProjects(scope, [row.projectId]);
  return summary;
}

/** A note on a job (jobnotes:create; a technician only on a job assigned to them). */
export async function addJobNote(scope: OrgScope, jobId: string, input: JobNoteInput): Promise<JobNote> {
  const { db, org } = scope;
  const row = await requireJob(scope, jobId);
  const note = {
    id: newId(),
    orgId: org.id,
    jobId: row.id,
    authorId: scope.user.id,
    authorName: scope.user.name,
    body: input.body,
    createdAt: new Date(),
  };
  await db.batch([
    db.insert(jobNotes).values(note),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "job.note",
      entityType: "job",
      entityId: row.id,
      after: { noteId: note.id, body: note.body },
    }),
  ]);
  const presented = presentNote(note);
  const summary = await jobSummary(scope, row.id);
  await publish(
    scope.env,
    org,
    { entity: "job", action: "noted", id: row.id, orgId: org.id, data: { job: summary, note: presented } },
    fieldAudience(summary.technicianIds),
  );
  return presented;
}

/**
 * The job a record (a transfer) links to, named in a request body: a job of this org, not
 * deleted, and for a technician one assigned to them; otherwise a 400 on `field`.
 */
export async function requireLinkableJob(scope: OrgScope, jobId: string, field = "jobId"): Promise<JobRow> {
  try {
    return await requireJob(scope, jobId);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404)
      throw badRequest("Choose a job of this organization that you work on.", {
        [field]: ["Not a job you can link here."],
      });
    throw error;
  }
}
