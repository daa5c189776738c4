/**
 * Appointments (issue 4): a job's visit, at a time, for a duration (2 hours unless said), by one
 * or more technicians. Managers create, reschedule, reassign and cancel; the assigned technicians
 * go en route, start and complete. Each write moves the job's status by the rules of
 * worker/field/lifecycle.ts, in the same batch as the appointment, its project roll-up and the
 * audit entry, and is then published to the managers and to the technicians before and after.
 *
 * Visibility: whoever holds appointments:view-all sees every appointment of the org; a technician
 * sees the ones they are on, and any other answers 404.
 */
import { type AnyColumn, and, asc, eq, inArray, ne, type SQL, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import {
  type AppointmentStatus,
  appointments,
  appointmentTechnicians,
  customers,
  type JobStatus,
  jobNotes,
  jobs,
  jobUnits,
  locations,
  units,
  userOrgAccess,
  users,
} from "../../db/schema";
import { auditEntry } from "../audit/log";
import { batchPrepared, type Db, newId, oncePer, type ReadResults, writeThenRead } from "../db";
import { fieldAudience, PROJECT_AUDIENCE } from "../field/audience";
import { OPEN_APPOINTMENT_STATUSES, projectRollup } from "../field/lifecycle";
import { type Appointment, type JobNote, type JobSummary, jobLabel } from "../field/shapes";
import { badRequest, conflict, forbidden, notFound } from "../http/errors";
import { projectSummaries } from "../jobs/projects";
import { jobFrom, jobQuery, preparedSummaryReads, summariesFrom, summaryValues } from "../jobs/service";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { can } from "../policy/permissions";
import { boundOf } from "../transfers/dates";
import {
  type AppointmentCancelInput,
  type AppointmentCompleteInput,
  type AppointmentCreateInput,
  type AppointmentListQuery,
  type AppointmentPatchInput,
  type AppointmentProgressInput,
  DEFAULT_DURATION_MINUTES,
} from "./schemas";
import { appointmentWarnings, clashCandidates, type IdList, idsJson, inIds } from "./warnings";

type AppointmentRow = typeof appointments.$inferSelect;
type JobRow = typeof jobs.$inferSelect;
type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

const LIST_LIMIT = 500;
const MINUTE = 60_000;

const isOpen = (status: AppointmentStatus) => (OPEN_APPOINTMENT_STATUSES as readonly string[]).includes(status);
const endOf = (row: Pick<AppointmentRow, "startsAt" | "durationMinutes">) =>
  new Date(row.startsAt.getTime() + row.durationMinutes * MINUTE);
const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Whether the caller sees every appointment of the org (else only their own). */
export const seesAllAppointments = (scope: OrgScope) => can(scope.actor, "appointments:view-all", scope.org.id);

/** "The appointment overlaps [from, to)", in SQL. */
export const overlapsRange = (from: Date, to: Date) =>
  and(
    sql`${appointments.startsAt} < ${to.getTime()}`,
    sql`${appointments.startsAt} + ${appointments.durationMinutes} * ${MINUTE} > ${from.getTime()}`,
  ) as SQL;

/** "The caller is on the appointment", in SQL. */
const assignedTo = (userId: string) =>
  sql`EXISTS (SELECT 1 FROM ${appointmentTechnicians} WHERE ${appointmentTechnicians.appointmentId} = ${appointments.id}
    AND ${appointmentTechnicians.userId} = ${userId})`;

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * What an appointment's API shape needs besides its row: technicians, job (+ customer, location),
 * units and the clash candidates of its warnings, as queries for one D1 batch (one round trip). The
 * jobs are named by id, or found from the appointments in the query (so that `appointmentReads`
 * can read the rows and these together). D1 answers a batch's rows keyed by column name, so no
 * query selects two columns of the same name.
 */
function detailReads(db: Db, appointmentIds: IdList, jobIds: IdList | "of-appointments") {
  const jobIn = (column: AnyColumn) =>
    jobIds === "of-appointments"
      ? sql`${column} IN (SELECT ${appointments.jobId} FROM ${appointments} WHERE ${inIds(appointments.id, appointmentIds)})`
      : inIds(column, jobIds);
  return [
    db
      .select({
        appointmentId: appointmentTechnicians.appointmentId,
        id: users.id,
        name: users.name,
        certificationType: users.certificationType,
      })
      .from(appointmentTechnicians)
      .innerJoin(users, eq(users.id, appointmentTechnicians.userId))
      .where(inIds(appointmentTechnicians.appointmentId, appointmentIds))
      .orderBy(asc(users.name), asc(users.id)),
    db
      .select({
        job: jobs,
        customerName: customers.name,
        location: {
          name: sql<string>`${locations.name}`.as("location_name"),
          street: locations.street,
          city: locations.city,
          state: locations.state,
          zip: locations.zip,
        },
      })
      .from(jobs)
      .innerJoin(customers, eq(customers.id, jobs.customerId))
      .innerJoin(locations, eq(locations.id, jobs.locationId))
      .where(jobIn(jobs.id)),
    db
      .select({
        jobId: jobUnits.jobId,
        id: units.id,
        name: units.name,
        refrigerant: units.refrigerant,
        deletedAt: units.deletedAt,
      })
      .from(jobUnits)
      .innerJoin(units, eq(units.id, jobUnits.unitId))
      .where(jobIn(jobUnits.jobId))
      .orderBy(asc(units.name), asc(units.id)),
    clashCandidates(db, appointmentIds),
  ] as const;
}

type Details = BatchResponse<ReturnType<typeof detailReads>>;

/**
 * Appointment rows → the API shape, with technicians, job summary and current warnings. `details`
 * when the caller read them along with the rows; otherwise they are read here.
 */
async function present(scope: OrgScope, rows: AppointmentRow[], details?: Details): Promise<Appointment[]> {
  if (rows.length === 0) return [];
  const [technicianRows, jobRows, unitRows, clashRows] =
    details ??
    (await scope.db.batch(
      detailReads(
        scope.db,
        rows.map((row) => row.id),
        [...new Set(rows.map((row) => row.jobId))],
      ),
    ));
  const jobsById = new Map(jobRows.map((row) => [row.job.id, row]));
  const techniciansOf = (appointmentId: string) =>
    technicianRows
      .filter((row) => row.appointmentId === appointmentId)
      .map(({ id, name, certificationType }) => ({ id, name, certificationType }));
  const unitsOf = (jobId: string) => unitRows.filter((row) => row.jobId === jobId);

  const warnings = appointmentWarnings(
    scope.org,
    rows.map((row) => ({
      id: row.id,
      status: row.status,
      startsAt: row.startsAt,
      endsAt: endOf(row),
      technicians: techniciansOf(row.id),
      // A deleted unit needs no one's certification.
      units: unitsOf(row.jobId).filter((unit) => unit.deletedAt === null),
    })),
    clashRows,
  );

  return rows.flatMap((row): Appointment[] => {
    const jobRow = jobsById.get(row.jobId);
    if (!jobRow) return [];
    const { job, location } = jobRow;
    return [
      {
        id: row.id,
        jobId: row.jobId,
        startsAt: row.startsAt.toISOString(),
        endsAt: endOf(row).toISOString(),
        durationMinutes: row.durationMinutes,
        status: row.status,
        note: row.note,
        technicians: techniciansOf(row.id),
        enRouteAt: iso(row.enRouteAt),
        startedAt: iso(row.startedAt),
        completedAt: iso(row.completedAt),
        completionNote: row.completionNote,
        canceledAt: iso(row.canceledAt),
        cancelReason: row.cancelReason,
        job: {
          id: job.id,
          number: job.number,
          label: jobLabel(job.number),
          description: job.description,
          priority: job.priority,
          status: job.status,
          customerName: jobRow.customerName,
          locationName: location.name,
          address: `${location.street}, ${location.city}, ${location.state} ${location.zip}`.trim(),
          unitIds: unitsOf(job.id).map((unit) => unit.id),
        },
        warnings: warnings.get(row.id) ?? [],
      },
    ];
  });
}

/**
 * The reads of `appointmentsByIds`, for one D1 batch: the rows and their details, keyed by the
 * ids (bind `appointmentValues`). Prepared once per Drizzle instance: building the SQL of these
 * five queries cost more CPU and garbage than running them, on the path every live client waits
 * on. A write's announcement adds its job's reads to the same batch.
 */
const appointmentReads = oncePer((db: Db) => {
  const ids = sql.placeholder("ids");
  const [technicians, jobRows, unitRows, clashes] = detailReads(db, ids, "of-appointments");
  const rows = db
    .select()
    .from(appointments)
    .where(and(eq(appointments.orgId, sql.placeholder("orgId")), inIds(appointments.id, ids)));
  return [rows.prepare(), technicians.prepare(), jobRows.prepare(), unitRows.prepare(), clashes.prepare()] as const;
});
const appointmentValues = (scope: OrgScope, ids: readonly string[]) => ({ orgId: scope.org.id, ids: idsJson(ids) });

/** What `appointmentReads` answered, presented in the order of `ids`. */
async function appointmentsFrom(
  scope: OrgScope,
  ids: readonly string[],
  [rows, ...details]: ReadResults<ReturnType<typeof appointmentReads>>,
): Promise<Appointment[]> {
  // Details of another org's appointment ids are read but never used: only `rows` are presented.
  const byId = new Map((await present(scope, rows, details)).map((appointment) => [appointment.id, appointment]));
  return ids.map((id) => byId.get(id)).filter((appointment): appointment is Appointment => !!appointment);
}

/** The org's appointments with these ids, in the order given (no visibility filter: callers decide). */
export async function appointmentsByIds(scope: OrgScope, ids: readonly string[]): Promise<Appointment[]> {
  if (ids.length === 0) return [];
  return appointmentsFrom(
    scope,
    ids,
    await batchPrepared(scope.db, appointmentReads(scope.db), appointmentValues(scope, ids)),
  );
}

/** Every appointment of a job (canceled ones too), by start (no visibility filter). */
export async function appointmentsOfJob(scope: OrgScope, jobId: string): Promise<Appointment[]> {
  const rows = await scope.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.orgId, scope.org.id), eq(appointments.jobId, jobId)))
    .orderBy(asc(appointments.startsAt), asc(appointments.createdAt), asc(appointments.id))
    .all();
  return present(scope, rows);
}

/** The appointments the caller may see, by start, filtered (a range keeps those overlapping it). */
export async function listAppointments(scope: OrgScope, query: AppointmentListQuery = {}): Promise<Appointment[]> {
  const conditions: (SQL | undefined)[] = [eq(appointments.orgId, scope.org.id)];
  if (!seesAllAppointments(scope)) conditions.push(assignedTo(scope.user.id));
  const from = query.from ? boundOf(query.from, scope.org.timeZone, false) : null;
  const to = query.to ? boundOf(query.to, scope.org.timeZone, true) : null;
  if (from && to && to <= from) throw badRequest("The range ends before it starts.", { to: ["Must be after from."] });
  if (from)
    conditions.push(sql`${appointments.startsAt} + ${appointments.durationMinutes} * ${MINUTE} > ${from.getTime()}`);
  if (to) conditions.push(sql`${appointments.startsAt} < ${to.getTime()}`);
  if (query.jobId) conditions.push(eq(appointments.jobId, query.jobId));
  if (query.technicianId) conditions.push(assignedTo(query.technicianId));
  if (query.status === "OPEN") conditions.push(inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]));
  else if (query.status && query.status !== "ALL") conditions.push(eq(appointments.status, query.status));
  const rows = await scope.db
    .select()
    .from(appointments)
    .innerJoin(jobs, eq(jobs.id, appointments.jobId))
    .where(and(...conditions, sql`${jobs.deletedAt} IS NULL`))
    .orderBy(asc(appointments.startsAt), asc(appointments.id))
    .limit(LIST_LIMIT)
    .all();
  return present(
    scope,
    rows.map((row) => row.appointments),
  );
}

/**
 * An appointment of the org: any the caller may see, or (`own`) only one the caller is on.
 * Every other appointment reads as absent (404), whether it exists or not.
 */
const appointmentQuery = (scope: OrgScope, appointmentId: string, own = !seesAllAppointments(scope)) =>
  scope.db
    .select({ appointment: appointments })
    .from(appointments)
    .innerJoin(jobs, eq(jobs.id, appointments.jobId))
    .where(
      and(
        eq(appointments.id, appointmentId),
        eq(appointments.orgId, scope.org.id),
        sql`${jobs.deletedAt} IS NULL`,
        own ? assignedTo(scope.user.id) : undefined,
      ),
    )
    .limit(1);

function appointmentFrom([row]: { appointment: AppointmentRow }[]): AppointmentRow {
  if (!row) throw notFound("Appointment");
  return row.appointment;
}

/** An appointment of the org the caller may see, or 404. */
async function findAppointment(scope: OrgScope, appointmentId: string): Promise<AppointmentRow> {
  return appointmentFrom(await appointmentQuery(scope, appointmentId).all());
}

async function presentOne(scope: OrgScope, appointmentId: string): Promise<Appointment> {
  const [appointment] = await appointmentsByIds(scope, [appointmentId]);
  if (!appointment) throw notFound("Appointment");
  return appointment;
}

/**
 * One appointment: whether the caller may see it and what it shows are read at the same time (one
 * round trip's wait); what was read counts only once it is known the caller may see it.
 */
export async function getAppointment(scope: OrgScope, appointmentId: string): Promise<Appointment> {
  const [, appointment] = await Promise.all([findAppointment(scope, appointmentId), presentOne(scope, appointmentId)]);
  return appointment;
}

// ---------------------------------------------------------------------------------------------
// Writing: helpers

/** The job an appointment is for (read by `jobQuery`), open: not completed, canceled or deleted. */
function openJob(job: JobRow): JobRow {
  if (job.status === "COMPLETED" || job.status === "CANCELED") {
    throw conflict(
      `${jobLabel(job.number)} is ${job.status.toLowerCase()}: reopen it to schedule a visit.`,
      "JOB_CLOSED",
    );
  }
  return job;
}

/** Which of these users are active technicians who reach this org (home org, or granted access). */
const technicianQuery = (scope: OrgScope, technicianIds: readonly string[]) =>
  scope.db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        inIds(users.id, technicianIds),
        eq(users.status, "ACTIVE"),
        eq(users.role, "TECHNICIAN"),
        sql`(${users.orgId} = ${scope.org.id} OR EXISTS (SELECT 1 FROM ${userOrgAccess}
          WHERE ${userOrgAccess.userId} = ${users.id} AND ${userOrgAccess.orgId} = ${scope.org.id}))`,
      ),
    );

/** The technicians chosen, in the order given, if `technicianQuery` found them all; else 400. */
function techniciansFrom(technicianIds: readonly string[], rows: { id: string }[]) {
  const found = new Set(rows.map((row) => row.id));
  const missing = technicianIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw badRequest("Choose active technicians of this organization.", {
      technicianIds: missing.map((id) => `Not an active technician of this organization: ${id}.`),
    });
  }
  return [...technicianIds];
}

/** The job of an appointment of this org, as a subquery (its id is not known before the batch). */
const jobOfAppointment = (scope: OrgScope, appointmentId: string) =>
  sql`(SELECT ${appointments.jobId} FROM ${appointments}
    WHERE ${appointments.id} = ${appointmentId} AND ${appointments.orgId} = ${scope.org.id})`;

/**
 * What a change to one appointment checks before it writes, read in one D1 call (one round trip,
 * where reading the appointment, then its job, technicians and the job's other visits took four):
 * the appointment (any the caller sees, or `own`: one they are on), its job, its technicians, the
 * job's other open appointments and, for a reassignment, the technicians chosen. The job's reads
 * go through the appointment by subquery and only count once the appointment was found; the
 * caller's checks then run in the order the reads would have: appointment (404), its status
 * (`check`, 409), job (404), technicians chosen (400).
 */
async function appointmentContext(
  scope: OrgScope,
  appointmentId: string,
  options: { own?: boolean; check?: (row: AppointmentRow) => void; technicianIds?: readonly string[] } = {},
) {
  const { db } = scope;
  const jobId = jobOfAppointment(scope, appointmentId);
  const [appointmentRows, jobRows, technicianRows, others, chosenRows] = await db.batch([
    appointmentQuery(scope, appointmentId, options.own),
    jobQuery(scope, jobId),
    db
      .select({ userId: appointmentTechnicians.userId })
      .from(appointmentTechnicians)
      .where(eq(appointmentTechnicians.appointmentId, appointmentId)),
    db
      .select({ id: appointments.id, status: appointments.status })
      .from(appointments)
      .where(
        and(
          eq(appointments.jobId, jobId),
          ne(appointments.id, appointmentId),
          inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]),
        ),
      ),
    technicianQuery(scope, options.technicianIds ?? []),
  ]);
  const row = appointmentFrom(appointmentRows);
  options.check?.(row);
  return {
    row,
    job: jobFrom(jobRows),
    technicianIds: technicianRows.map((technician) => technician.userId),
    others,
    chosen: options.technicianIds ? techniciansFrom(options.technicianIds, chosenRows) : undefined,
  };
}

/** Audit record of an appointment row and its technicians. */
const auditRecord = (row: AppointmentRow, technicianIds: readonly string[]) => ({
  jobId: row.jobId,
  startsAt: row.startsAt.toISOString(),
  durationMinutes: row.durationMinutes,
  status: row.status,
  note: row.note,
  technicianIds,
  ...(row.completionNote ? { completionNote: row.completionNote } : {}),
  ...(row.cancelReason ? { cancelReason: row.cancelReason } : {}),
});

/**
 * Statements moving the job to `status` (compare-and-set on its current status, and only when
 * the appointment write of the same batch applied: `appointmentId` stamped `now`), with its
 * project roll-up.
 */
function jobStatusStatements(scope: OrgScope, job: JobRow, status: JobStatus, now: Date, appointmentId: string) {
  if (status === job.status) return [];
  const applied = sql`EXISTS (SELECT 1 FROM ${appointments} WHERE ${appointments.id} = ${appointmentId}
    AND ${appointments.updatedAt} = ${now.getTime()})`;
  const statements: BatchItem<"sqlite">[] = [
    scope.db
      .update(jobs)
      .set({
        status,
        updatedAt: now,
        ...(status === "COMPLETED" ? { completedAt: now } : {}),
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.status, job.status), applied)),
    auditEntry(scope.db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "job.status",
      entityType: "job",
      entityId: job.id,
      before: { status: job.status },
      after: { status },
    }),
  ];
  if (job.projectId) statements.push(projectRollup(scope.db, job.projectId));
  return statements;
}

type Announcement = {
  action: string;
  appointmentId: string;
  technicianIdsBefore: string[];
  job: JobRow;
  jobStatusChanged: boolean;
  note?: JobNote;
  /** The write itself, when none of its results is checked: it runs first in the reads' batch. */
  writes?: BatchItem<"sqlite">[];
};

/**
 * After the write committed (or with it, `event.writes`): the appointment event, carrying the job's
 * new state when its status changed (one frame per socket, not two: the board and My day apply
 * both). A separate job event goes out only to technicians on the job's other appointments, who do
 * not hear this one, and for a note.
 */
async function announce(scope: OrgScope, event: Announcement): Promise<Appointment> {
  // The appointment and, when it is sent along, its job in one D1 batch: every client waits on it.
  const ids = [event.appointmentId];
  const reads = appointmentReads(scope.db);
  const values = appointmentValues(scope, ids);
  const writes = event.writes ?? [];
  let appointment: Appointment | undefined;
  let job: JobSummary | undefined;
  if (event.jobStatusChanged || event.note) {
    const [rows, technicians, jobRows, unitRows, clashes, ...summary] = await writeThenRead(
      scope.db,
      writes,
      [...reads, ...preparedSummaryReads(scope.db)],
      { ...values, ...summaryValues(scope, [event.job.id]) },
    );
    [appointment] = await appointmentsFrom(scope, ids, [rows, technicians, jobRows, unitRows, clashes]);
    [job] = summariesFrom([event.job.id], summary);
  } else {
    [appointment] = await appointmentsFrom(scope, ids, await writeThenRead(scope.db, writes, reads, values));
  }
  if (!appointment) throw notFound("Appointment");
  const technicianIdsAfter = appointment.technicians.map((technician) => technician.id);
  const heard = new Set([...event.technicianIdsBefore, ...technicianIdsAfter]);
  await publish(
    scope.env,
    scope.org,
    {
      entity: "appointment",
      action: event.action,
      id: appointment.id,
      orgId: scope.org.id,
      data: event.jobStatusChanged && job ? { appointment, job } : { appointment },
    },
    fieldAudience(event.technicianIdsBefore, technicianIdsAfter),
  );
  if (!job) return appointment;
  // The technicians of the job's open appointments, read with the summary.
  const onJob = job.technicianIds;
  if (event.jobStatusChanged) {
    const others = onJob.filter((id) => !heard.has(id));
    if (others.length > 0) {
      await publish(
        scope.env,
        scope.org,
        { entity: "job", action: "updated", id: job.id, orgId: scope.org.id, data: { job } },
        { userIds: others },
      );
    }
    if (event.job.projectId) {
      // The roll-up in the batch may have moved the project: its page and list hear it.
      for (const project of await projectSummaries(scope, [event.job.projectId])) {
        await publish(
          scope.env,
          scope.org,
          { entity: "project", action: "updated", id: project.id, orgId: scope.org.id, data: { project } },
          PROJECT_AUDIENCE,
        );
      }
    }
  }
  if (event.note) {
    await publish(
      scope.env,
      scope.org,
      { entity: "job", action: "noted", id: job.id, orgId: scope.org.id, data: { job, note: event.note } },
      fieldAudience(event.technicianIdsBefore, technicianIdsAfter, onJob),
    );
  }
  return appointment;
}

/** Rows in the batch that did not change mean someone else changed the appointment first. */
function stateChanged(): never {
  throw conflict("The appointment changed in the meantime: reload and try again.");
}

// ---------------------------------------------------------------------------------------------
// Writing: managers

/** A new appointment; the job's first open one moves it from PENDING to SCHEDULED. */
export async function createAppointment(scope: OrgScope, input: AppointmentCreateInput): Promise<Appointment> {
  const { db, org } = scope;
  // Both checks in one D1 call (every live client waits on the write); the job's error comes first.
  const [jobRows, technicianRows] = await db.batch([
    jobQuery(scope, input.jobId),
    technicianQuery(scope, input.technicianIds),
  ]);
  const job = openJob(jobFrom(jobRows));
  const technicianIds = techniciansFrom(input.technicianIds, technicianRows);
  const now = new Date();
  const row: AppointmentRow = {
    id: newId(),
    orgId: org.id,
    jobId: job.id,
    startsAt: new Date(input.startsAt),
    durationMinutes: input.durationMinutes ?? DEFAULT_DURATION_MINUTES,
    note: input.note || null,
    status: "SCHEDULED",
    enRouteAt: null,
    startedAt: null,
    completedAt: null,
    completionNote: null,
    canceledAt: null,
    cancelReason: null,
    createdById: scope.user.id,
    createdAt: now,
    updatedAt: now,
  };
  const jobStatus: JobStatus = job.status === "PENDING" ? "SCHEDULED" : job.status;
  return announce(scope, {
    // The write and the reads of its event in one batch: the clients wait on one round trip.
    writes: [
      db.insert(appointments).values(row),
      db
        .insert(appointmentTechnicians)
        .values(technicianIds.map((userId) => ({ appointmentId: row.id, userId, orgId: org.id }))),
      ...jobStatusStatements(scope, job, jobStatus, now, row.id),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "appointment.create",
        entityType: "appointment",
        entityId: row.id,
        after: auditRecord(row, technicianIds),
      }),
    ],
    action: "created",
    appointmentId: row.id,
    technicianIdsBefore: [],
    job,
    jobStatusChanged: jobStatus !== job.status,
  });
}

const RESCHEDULABLE: AppointmentStatus[] = ["SCHEDULED", "EN_ROUTE"];

/** "A scheduled appointment", "An en-route appointment", "An in-progress appointment". */
function anAppointment(status: AppointmentStatus) {
  const word = status.toLowerCase().replace("_", "-");
  return `${/^[aeiou]/.test(word) ? "An" : "A"} ${word} appointment`;
}

/** Reschedule (start, duration), reassign (technicians) or re-note, while SCHEDULED or EN_ROUTE. */
export async function updateAppointment(
  scope: OrgScope,
  appointmentId: string,
  input: AppointmentPatchInput,
): Promise<Appointment> {
  const { db, org } = scope;
  const {
    row,
    job,
    technicianIds: before,
    chosen,
  } = await appointmentContext(scope, appointmentId, {
    technicianIds: input.technicianIds,
    check: (row) => {
      if (!RESCHEDULABLE.includes(row.status)) {
        throw conflict(`${anAppointment(row.status)} cannot be changed.`);
      }
    },
  });
  const after = chosen ?? before;
  const now = new Date();
  const changed: AppointmentRow = {
    ...row,
    ...(input.startsAt !== undefined ? { startsAt: new Date(input.startsAt) } : {}),
    ...(input.durationMinutes !== undefined ? { durationMinutes: input.durationMinutes } : {}),
    ...(input.note !== undefined ? { note: input.note || null } : {}),
    updatedAt: now,
  };
  const update = await db.batch([
    db
      .update(appointments)
      .set({ startsAt: changed.startsAt, durationMinutes: changed.durationMinutes, note: changed.note, updatedAt: now })
      .where(and(eq(appointments.id, row.id), inArray(appointments.status, RESCHEDULABLE))),
    ...(input.technicianIds
      ? [
          // Only while the appointment is still reschedulable (the update above tells the caller if not).
          db.delete(appointmentTechnicians).where(
            and(
              eq(appointmentTechnicians.appointmentId, row.id),
              sql`EXISTS (SELECT 1 FROM ${appointments} WHERE ${appointments.id} = ${row.id}
                  AND ${inArray(appointments.status, RESCHEDULABLE)})`,
            ),
          ),
          db.insert(appointmentTechnicians).select(
            sql`SELECT ${row.id}, value, ${org.id} FROM json_each(${JSON.stringify(after)})
                WHERE EXISTS (SELECT 1 FROM ${appointments} WHERE ${appointments.id} = ${row.id}
                  AND ${inArray(appointments.status, RESCHEDULABLE)})`,
          ),
        ]
      : []),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "appointment.update",
      entityType: "appointment",
      entityId: row.id,
      before: auditRecord(row, before),
      after: auditRecord(changed, after),
    }),
  ] as Batch);
  if (update[0].meta.changes === 0) stateChanged();
  return announce(scope, {
    action: "updated",
    appointmentId: row.id,
    technicianIdsBefore: before,
    job,
    jobStatusChanged: false,
  });
}

/** Cancels an appointment (not a finished one); the job stays, back to PENDING when nothing else is planned and it had not started. */
export async function cancelAppointment(
  scope: OrgScope,
  appointmentId: string,
  input: AppointmentCancelInput,
): Promise<Appointment> {
  const { db, org } = scope;
  const { row, job, technicianIds, others } = await appointmentContext(scope, appointmentId, {
    check: (row) => {
      if (!isOpen(row.status)) throw conflict(`The appointment is already ${row.status.toLowerCase()}.`);
    },
  });
  const jobStatus: JobStatus = job.status === "SCHEDULED" && others.length === 0 ? "PENDING" : job.status;
  const now = new Date();
  const reason = input.reason || null;
  const update = await db.batch([
    db
      .update(appointments)
      .set({ status: "CANCELED", canceledAt: now, cancelReason: reason, updatedAt: now })
      .where(and(eq(appointments.id, row.id), eq(appointments.status, row.status))),
    ...jobStatusStatements(scope, job, jobStatus, now, row.id),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "appointment.cancel",
      entityType: "appointment",
      entityId: row.id,
      before: auditRecord(row, technicianIds),
      after: auditRecord({ ...row, status: "CANCELED", cancelReason: reason }, technicianIds),
    }),
  ] as Batch);
  if (update[0].meta.changes === 0) stateChanged();
  return announce(scope, {
    action: "canceled",
    appointmentId: row.id,
    technicianIdsBefore: technicianIds,
    job,
    jobStatusChanged: jobStatus !== job.status,
  });
}

// ---------------------------------------------------------------------------------------------
// Writing: the assigned technicians

/** The caller's own appointment (404 when they are not on it), in one of `from` (else 409), with its context. */
function requireOwnAppointment(scope: OrgScope, appointmentId: string, from: AppointmentStatus[], doing: string) {
  if (!can(scope.actor, "appointments:work-own", scope.org.id)) throw forbidden();
  return appointmentContext(scope, appointmentId, {
    own: true,
    check: (appointment) => {
      if (!from.includes(appointment.status)) {
        throw conflict(`${anAppointment(appointment.status)} cannot be ${doing}.`, "INVALID_TRANSITION");
      }
    },
  });
}

/** A technician's word on the way or at the start, kept as a job note. */
function progressNote(scope: OrgScope, jobId: string, body: string | null | undefined, now: Date) {
  if (!body) return null;
  return {
    id: newId(),
    orgId: scope.org.id,
    jobId,
    authorId: scope.user.id,
    authorName: scope.user.name,
    body,
    createdAt: now,
  };
}

const presentNote = (note: NonNullable<ReturnType<typeof progressNote>>): JobNote => ({
  id: note.id,
  jobId: note.jobId,
  authorId: note.authorId,
  authorName: note.authorName,
  body: note.body,
  createdAt: note.createdAt.toISOString(),
});

async function progress(
  scope: OrgScope,
  appointmentId: string,
  input: AppointmentProgressInput,
  step: { from: AppointmentStatus[]; to: AppointmentStatus; doing: string; action: string; audit: string },
): Promise<Appointment> {
  const { db, org } = scope;
  const { row, job, technicianIds } = await requireOwnAppointment(scope, appointmentId, step.from, step.doing);
  const now = new Date();
  let jobStatus: JobStatus = job.status;
  if (step.to === "IN_PROGRESS") {
    if (job.status === "COMPLETED" || job.status === "CANCELED") {
      throw conflict(`${jobLabel(job.number)} is ${job.status.toLowerCase()}.`, "JOB_CLOSED");
    }
    jobStatus = "IN_PROGRESS";
  }
  const note = progressNote(scope, job.id, input.note, now);
  const changed: AppointmentRow = {
    ...row,
    status: step.to,
    ...(step.to === "EN_ROUTE" ? { enRouteAt: now } : { startedAt: now }),
    updatedAt: now,
  };
  const update = await db.batch([
    db
      .update(appointments)
      .set({
        status: step.to,
        ...(step.to === "EN_ROUTE" ? { enRouteAt: now } : { startedAt: now }),
        updatedAt: now,
      })
      .where(and(eq(appointments.id, row.id), eq(appointments.status, row.status))),
    ...(note ? [db.insert(jobNotes).values(note)] : []),
    ...jobStatusStatements(scope, job, jobStatus, now, row.id),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: step.audit,
      entityType: "appointment",
      entityId: row.id,
      before: auditRecord(row, technicianIds),
      after: { ...auditRecord(changed, technicianIds), ...(note ? { jobNote: note.body } : {}) },
    }),
  ] as Batch);
  if (update[0].meta.changes === 0) stateChanged();
  return announce(scope, {
    action: step.action,
    appointmentId: row.id,
    technicianIdsBefore: technicianIds,
    job,
    jobStatusChanged: jobStatus !== job.status,
    note: note ? presentNote(note) : undefined,
  });
}

/** On my way: SCHEDULED → EN_ROUTE. */
export function markEnRoute(scope: OrgScope, appointmentId: string, input: AppointmentProgressInput = {}) {
  return progress(scope, appointmentId, input, {
    from: ["SCHEDULED"],
    to: "EN_ROUTE",
    doing: "marked on the way",
    action: "en-route",
    audit: "appointment.en-route",
  });
}

/** Start (from SCHEDULED or EN_ROUTE): the appointment and its job go IN_PROGRESS. */
export function startAppointment(scope: OrgScope, appointmentId: string, input: AppointmentProgressInput = {}) {
  return progress(scope, appointmentId, input, {
    from: ["SCHEDULED", "EN_ROUTE"],
    to: "IN_PROGRESS",
    doing: "started",
    action: "started",
    audit: "appointment.start",
  });
}

/**
 * Complete (from IN_PROGRESS). The job completes unless the technician says a return visit is
 * needed (`jobComplete: false`) or another appointment of it is still open; then it stays
 * IN_PROGRESS while another visit is under way, else SCHEDULED when one is planned, else PENDING.
 */
export async function completeAppointment(
  scope: OrgScope,
  appointmentId: string,
  input: AppointmentCompleteInput = {},
): Promise<Appointment> {
  const { db, org } = scope;
  const { row, job, technicianIds, others } = await requireOwnAppointment(
    scope,
    appointmentId,
    ["IN_PROGRESS"],
    "completed",
  );
  let jobStatus: JobStatus = job.status;
  if (job.status !== "COMPLETED" && job.status !== "CANCELED") {
    if (input.jobComplete !== false && others.length === 0) jobStatus = "COMPLETED";
    else if (others.some((other) => other.status === "IN_PROGRESS")) jobStatus = "IN_PROGRESS";
    else jobStatus = others.length > 0 ? "SCHEDULED" : "PENDING";
  }
  const now = new Date();
  const completionNote = input.note || null;
  const changed: AppointmentRow = { ...row, status: "COMPLETED", completedAt: now, completionNote, updatedAt: now };
  const update = await db.batch([
    db
      .update(appointments)
      .set({ status: "COMPLETED", completedAt: now, completionNote, updatedAt: now })
      .where(and(eq(appointments.id, row.id), eq(appointments.status, row.status))),
    ...jobStatusStatements(scope, job, jobStatus, now, row.id),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "appointment.complete",
      entityType: "appointment",
      entityId: row.id,
      before: auditRecord(row, technicianIds),
      after: { ...auditRecord(changed, technicianIds), jobComplete: input.jobComplete !== false },
    }),
  ] as Batch);
  if (update[0].meta.changes === 0) stateChanged();
  return announce(scope, {
    action: "completed",
    appointmentId: row.id,
    technicianIdsBefore: technicianIds,
    job,
    jobStatusChanged: jobStatus !== job.status,
  });
}
