/**
 * The rules that tie jobs, appointments and projects together, as statements to put in the same
 * `db.batch` as the write that changes a job (so the roll-up commits with it).
 *
 * Job status (SPEC §5, issue 4):
 * - PENDING on creation; the first open appointment moves it to SCHEDULED;
 * - an assigned technician starting an appointment moves it to IN_PROGRESS;
 * - completing an appointment completes the job unless the technician says a return visit is
 *   needed or another appointment is still open (then SCHEDULED if one is open, else PENDING);
 * - cancelling an appointment keeps the job (back to PENDING when no open appointment is left and
 *   it had not started); cancelling a job cancels its open appointments.
 * Project status is rolled up from its jobs: COMPLETED when every job is COMPLETED or CANCELED and
 * at least one COMPLETED; IN_PROGRESS when any job started or completed; else OPEN. CANCELED is
 * set by hand and stays.
 */
import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { appointments, appointmentTechnicians, jobs, projects } from "../../db/schema";
import type { Db } from "../db";

/** Appointment statuses that still hold a technician's time. */
export const OPEN_APPOINTMENT_STATUSES = ["SCHEDULED", "EN_ROUTE", "IN_PROGRESS"] as const;
/** Job statuses that are finished. */
export const CLOSED_JOB_STATUSES = ["COMPLETED", "CANCELED"] as const;

/** Recomputes a project's status from its (not deleted) jobs; a CANCELED project stays so. */
export function projectRollup(db: Db, projectId: string) {
  const live = sql`FROM ${jobs} WHERE ${jobs.projectId} = ${projectId} AND ${jobs.deletedAt} IS NULL`;
  return db
    .update(projects)
    .set({
      status: sql`CASE
        WHEN ${projects.status} = 'CANCELED' THEN 'CANCELED'
        WHEN NOT EXISTS (SELECT 1 ${live} AND ${jobs.status} NOT IN ('COMPLETED', 'CANCELED'))
          AND EXISTS (SELECT 1 ${live} AND ${jobs.status} = 'COMPLETED') THEN 'COMPLETED'
        WHEN EXISTS (SELECT 1 ${live} AND ${jobs.status} IN ('IN_PROGRESS', 'COMPLETED')) THEN 'IN_PROGRESS'
        ELSE 'OPEN' END`,
      updatedAt: new Date(),
    })
    .where(eq(projects.id, projectId));
}

/** The SQL condition "a technician is assigned to this job" (an open or finished appointment, not canceled). */
export function assignedToJob(userId: string) {
  return sql`EXISTS (SELECT 1 FROM ${appointmentTechnicians} INNER JOIN ${appointments}
    ON ${appointments.id} = ${appointmentTechnicians.appointmentId}
    WHERE ${appointments.jobId} = ${jobs.id} AND ${appointmentTechnicians.userId} = ${userId}
    AND ${appointments.status} <> 'CANCELED')`;
}

/** Technicians on a job's open appointments (who hears about the job). */
export async function jobTechnicianIds(db: Db, jobId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: appointmentTechnicians.userId })
    .from(appointmentTechnicians)
    .innerJoin(appointments, eq(appointments.id, appointmentTechnicians.appointmentId))
    .where(and(eq(appointments.jobId, jobId), inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES])));
  return rows.map((row) => row.userId);
}

/** Open jobs of the org not deleted (used by the tray and the job list filters). */
export const openJobCondition = (orgId: string) =>
  and(eq(jobs.orgId, orgId), isNull(jobs.deletedAt), notInArray(jobs.status, [...CLOSED_JOB_STATUSES]));
