/**
 * The manager's schedule board (issue 4): technicians as rows, the appointments of a range (at
 * most 14 days, today in the org's time zone by default) and the tray of open jobs that no open
 * appointment holds.
 */
import { and, asc, eq, inArray, ne, notExists, or, sql } from "drizzle-orm";
import { appointments, jobs, userOrgAccess, users } from "../../db/schema";
import { OPEN_APPOINTMENT_STATUSES, openJobCondition } from "../field/lifecycle";
import type { Schedule } from "../field/shapes";
import { badRequest } from "../http/errors";
import { jobSummaries } from "../jobs/service";
import type { OrgScope } from "../policy/guards";
import { boundOf, instantToZonedLocal, nextDay, zonedLocalToInstant } from "../transfers/dates";
import type { ScheduleQuery } from "./schemas";
import { appointmentsByIds, overlapsRange } from "./service";
import { inIds } from "./warnings";

export const MAX_SCHEDULE_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;
/** Tray order: the most urgent first, then the oldest. */
const PRIORITY_RANK = sql`CASE ${jobs.priority} WHEN 'EMERGENCY' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'NORMAL' THEN 2 ELSE 3 END`;

/**
 * The range [from, to): days (YYYY-MM-DD) are read in the org's time zone, a `to` day counting
 * whole; one bound alone spans a day; none is today in the org's time zone.
 */
export function scheduleRange(query: ScheduleQuery, timeZone: string): { from: Date; to: Date } {
  let from = query.from ? boundOf(query.from, timeZone, false) : null;
  let to = query.to ? boundOf(query.to, timeZone, true) : null;
  if (!from && !to) {
    const today = instantToZonedLocal(new Date(), timeZone).slice(0, 10);
    from = zonedLocalToInstant(today, timeZone);
    to = zonedLocalToInstant(nextDay(today), timeZone);
  }
  if (from && !to) to = new Date(from.getTime() + DAY);
  if (to && !from) from = new Date(to.getTime() - DAY);
  if (!from || !to) throw badRequest("Use dates (YYYY-MM-DD) or ISO date-times.", { from: ["Not a date."] });
  if (to <= from) throw badRequest("The range ends before it starts.", { to: ["Must be after from."] });
  if (to.getTime() - from.getTime() > MAX_SCHEDULE_DAYS * DAY) {
    throw badRequest(`Show at most ${MAX_SCHEDULE_DAYS} days at once.`, {
      to: [`At most ${MAX_SCHEDULE_DAYS} days after from.`],
    });
  }
  return { from, to };
}

export async function getSchedule(scope: OrgScope, query: ScheduleQuery = {}): Promise<Schedule> {
  const { db, org } = scope;
  const { from, to } = scheduleRange(query, org.timeZone);

  const [appointmentRows, trayRows] = await Promise.all([
    db
      .select({ id: appointments.id })
      .from(appointments)
      .innerJoin(jobs, eq(jobs.id, appointments.jobId))
      .where(
        and(
          eq(appointments.orgId, org.id),
          ne(appointments.status, "CANCELED"),
          overlapsRange(from, to),
          sql`${jobs.deletedAt} IS NULL`,
        ),
      )
      .orderBy(asc(appointments.startsAt), asc(appointments.id))
      .all(),
    db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          openJobCondition(org.id),
          notExists(
            db
              .select({ one: sql`1` })
              .from(appointments)
              .where(
                and(eq(appointments.jobId, jobs.id), inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES])),
              ),
          ),
        ),
      )
      .orderBy(PRIORITY_RANK, asc(jobs.createdAt), asc(jobs.number))
      .all(),
  ]);
  const [list, unassignedJobs] = await Promise.all([
    appointmentsByIds(
      scope,
      appointmentRows.map((row) => row.id),
    ),
    jobSummaries(
      scope,
      trayRows.map((row) => row.id),
    ),
  ]);

  // Rows: the org's active technicians (home or granted), and whoever else holds an appointment shown.
  const holders = [...new Set(list.flatMap((appointment) => appointment.technicians.map((tech) => tech.id)))];
  const technicians = await db
    .select({ id: users.id, name: users.name, certificationType: users.certificationType })
    .from(users)
    .where(
      or(
        and(
          eq(users.status, "ACTIVE"),
          eq(users.role, "TECHNICIAN"),
          or(
            eq(users.orgId, org.id),
            sql`EXISTS (SELECT 1 FROM ${userOrgAccess} WHERE ${userOrgAccess.userId} = ${users.id}
              AND ${userOrgAccess.orgId} = ${org.id})`,
          ),
        ),
        holders.length > 0 ? inIds(users.id, holders) : sql`0`,
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .all();

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    timeZone: org.timeZone,
    technicians,
    appointments: list,
    unassignedJobs,
  };
}
