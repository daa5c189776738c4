/**
 * Scheduling warnings (issue 4): never blocking, the write happens and the dispatcher is told.
 * - DOUBLE_BOOKED: a technician of an open appointment holds another open appointment whose time
 *   overlaps (in any org: a technician's time is one).
 * - CERTIFICATION: a job's unit needs an EPA 608 certification type the technician lacks.
 */
import { type AnyColumn, and, eq, inArray, Placeholder, sql } from "drizzle-orm";
import { appointments, appointmentTechnicians, jobs, organizations } from "../../db/schema";
import type { Db } from "../db";
import { OPEN_APPOINTMENT_STATUSES } from "../field/lifecycle";
import { jobLabel, type ScheduleWarning } from "../field/shapes";
import { dateTimeFormat } from "../intl";

/**
 * Refrigerants of low-pressure appliances (40 CFR 82.152: a saturation pressure below 45 psia at
 * 104 °F): servicing them needs a Type III (or Universal) certification (40 CFR 82.161). Every
 * other appliance a job lists is treated as high-pressure (Type II). Type I (small appliances) is
 * not derived: a job's units are field-serviced systems. Compared without case.
 */
export const LOW_PRESSURE_REFRIGERANTS = ["R-11", "R-113", "R-123", "R-245fa", "R-1233zd(E)", "R-514A", "R-1224yd(Z)"];
const LOW_PRESSURE = new Set(LOW_PRESSURE_REFRIGERANTS.map((designation) => designation.toUpperCase()));

export const isLowPressure = (refrigerant: string) => LOW_PRESSURE.has(refrigerant.trim().toUpperCase());

/** The certification types that allow servicing an appliance charged with `refrigerant`. */
export const certificationsFor = (refrigerant: string): string[] =>
  isLowPressure(refrigerant) ? ["III", "UNIVERSAL"] : ["II", "UNIVERSAL"];

const typeNames = (types: string[]) => types.map((type) => (type === "UNIVERSAL" ? "Universal" : `Type ${type}`));

/** What the warnings need to know about an appointment. */
export type WarningSubject = {
  id: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  technicians: { id: string; name: string; certificationType: string | null }[];
  units: { id: string; name: string; refrigerant: string }[];
};

const isOpen = (status: string) => (OPEN_APPOINTMENT_STATUSES as readonly string[]).includes(status);

/** Ids for `inIds`: a list, or a prepared statement's placeholder for one (its value: `idsJson`). */
export type IdList = readonly string[] | Placeholder;

/** The value of an `inIds` placeholder. */
export const idsJson = (ids: readonly string[]) => JSON.stringify([...new Set(ids)]);

/** `column IN (ids)` with one bound parameter, however many ids (D1 binds at most 100). */
export const inIds = (column: AnyColumn, ids: IdList) =>
  sql`${column} IN (SELECT value FROM json_each(${ids instanceof Placeholder ? ids : idsJson(ids)}))`;

/** "Nov 28, 9:00 AM–11:00 AM" in the org's time zone. */
function timeRange(startsAt: Date, endsAt: Date, timeZone: string) {
  const day = dateTimeFormat("en-US", { timeZone, month: "short", day: "numeric" });
  const time = dateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" });
  const sameDay = day.format(startsAt) === day.format(endsAt);
  return `${day.format(startsAt)}, ${time.format(startsAt)}–${sameDay ? "" : `${day.format(endsAt)}, `}${time.format(endsAt)}`;
}

/**
 * The open appointments that may clash with the given ones: every open appointment, in any org, of
 * a technician on one of the given open appointments, in the window those span (the given ones
 * included). Keyed by the appointments' ids alone, so it is read in the same round as they are.
 */
export function clashCandidates(db: Db, appointmentIds: IdList) {
  const open = inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]);
  // Inside the subqueries, `appointments` is the subquery's own table: the given open ones.
  const givenOpen = sql`FROM ${appointments} WHERE ${inIds(appointments.id, appointmentIds)} AND ${open}`;
  const given = sql`SELECT ${appointments.id} ${givenOpen}`;
  const windowEnd = sql`SELECT MAX(${appointments.startsAt} + ${appointments.durationMinutes} * 60000) ${givenOpen}`;
  const windowStart = sql`SELECT MIN(${appointments.startsAt}) ${givenOpen}`;
  return db
    .select({
      id: appointments.id,
      userId: appointmentTechnicians.userId,
      startsAt: appointments.startsAt,
      durationMinutes: appointments.durationMinutes,
      orgId: appointments.orgId,
      orgName: organizations.name,
      jobNumber: jobs.number,
    })
    .from(appointmentTechnicians)
    .innerJoin(appointments, eq(appointments.id, appointmentTechnicians.appointmentId))
    .innerJoin(jobs, eq(jobs.id, appointments.jobId))
    .innerJoin(organizations, eq(organizations.id, appointments.orgId))
    .where(
      and(
        sql`${appointmentTechnicians.userId} IN (SELECT ${appointmentTechnicians.userId} FROM ${appointmentTechnicians}
          WHERE ${appointmentTechnicians.appointmentId} IN (${given}))`,
        open,
        sql`${appointments.startsAt} < (${windowEnd})`,
        sql`${appointments.startsAt} + ${appointments.durationMinutes} * 60000 > (${windowStart})`,
      ),
    );
}

export type ClashCandidate = Awaited<ReturnType<typeof clashCandidates>>[number];

/**
 * The current warnings of each appointment, by appointment id (canceled and finished ones have none
 * for time), from the clash candidates read with them.
 */
export function appointmentWarnings(
  org: { id: string; timeZone: string },
  subjects: WarningSubject[],
  others: readonly ClashCandidate[],
): Map<string, ScheduleWarning[]> {
  const result = new Map<string, ScheduleWarning[]>(subjects.map((subject) => [subject.id, []]));
  for (const subject of subjects) {
    const warnings = result.get(subject.id) ?? [];
    if (isOpen(subject.status)) {
      for (const technician of subject.technicians) {
        for (const other of others) {
          if (other.userId !== technician.id || other.id === subject.id) continue;
          const otherStart = other.startsAt.getTime();
          const otherEnd = otherStart + other.durationMinutes * 60_000;
          if (!(otherStart < subject.endsAt.getTime() && subject.startsAt.getTime() < otherEnd)) continue;
          const where = other.orgId === org.id ? "" : ` (${other.orgName})`;
          warnings.push({
            code: "DOUBLE_BOOKED",
            technicianId: technician.id,
            appointmentId: other.id,
            message: `${technician.name} is also booked on ${jobLabel(other.jobNumber)}${where}, ${timeRange(
              new Date(otherStart),
              new Date(otherEnd),
              org.timeZone,
            )}.`,
          });
        }
      }
    }
    if (subject.status !== "CANCELED") {
      for (const technician of subject.technicians) {
        for (const unit of subject.units) {
          const needs = certificationsFor(unit.refrigerant);
          if (technician.certificationType && needs.includes(technician.certificationType)) continue;
          const held = technician.certificationType
            ? `holds ${typeNames([technician.certificationType])[0]}`
            : "holds no 608 certification";
          const kind = isLowPressure(unit.refrigerant) ? "low-pressure" : "high-pressure";
          warnings.push({
            code: "CERTIFICATION",
            technicianId: technician.id,
            unitId: unit.id,
            needs,
            message: `${technician.name} ${held}; ${unit.name} (${unit.refrigerant}, ${kind}) needs ${typeNames(needs).join(" or ")}.`,
          });
        }
      }
    }
    result.set(subject.id, warnings);
  }
  return result;
}
