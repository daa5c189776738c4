/**
 * What the board and My day show, updated from live events at once (the loaders catch up in the
 * background). Pure functions: the same event applied twice gives the same state.
 *
 * The tray rule is the API's (worker/appointments/schedule.ts): an open job that no open
 * appointment holds. A job event carries `technicianIds` (technicians on its open appointments),
 * so an open job with none goes to the tray and one with some leaves it.
 */
import type { Appointment, JobSummary, Schedule } from "../../../worker/field/shapes";

export type Technician = Schedule["technicians"][number];

export type BoardState = Pick<Schedule, "technicians" | "appointments" | "unassignedJobs">;

const OPEN_JOB = new Set<JobSummary["status"]>(["PENDING", "SCHEDULED", "IN_PROGRESS"]);
const OPEN_APPOINTMENT = new Set<Appointment["status"]>(["SCHEDULED", "EN_ROUTE", "IN_PROGRESS"]);
const PRIORITY_RANK: Record<JobSummary["priority"], number> = { EMERGENCY: 0, HIGH: 1, NORMAL: 2, LOW: 3 };

export const isOpenAppointment = (appointment: Pick<Appointment, "status">) => OPEN_APPOINTMENT.has(appointment.status);

/** Does the appointment overlap [from, to)? */
export function overlaps(appointment: Pick<Appointment, "startsAt" | "endsAt">, from: string, to: string) {
  return Date.parse(appointment.startsAt) < Date.parse(to) && Date.parse(appointment.endsAt) > Date.parse(from);
}

export const byStart = (a: Pick<Appointment, "startsAt" | "id">, b: Pick<Appointment, "startsAt" | "id">) =>
  Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id.localeCompare(b.id);

/** Tray order (the API's): most urgent first, then the oldest. */
export const trayOrder = (a: JobSummary, b: JobSummary) =>
  PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
  a.createdAt.localeCompare(b.createdAt) ||
  a.number - b.number;

/** An appointment created, changed, started, completed or canceled. */
export function applyAppointment(
  state: BoardState,
  appointment: Appointment,
  range: { from: string; to: string },
): BoardState {
  const others = state.appointments.filter((existing) => existing.id !== appointment.id);
  const shown = appointment.status !== "CANCELED" && overlaps(appointment, range.from, range.to);
  const technicians = [...state.technicians];
  if (shown) {
    for (const tech of appointment.technicians)
      if (!technicians.some((row) => row.id === tech.id)) technicians.push(tech);
  }
  return {
    technicians,
    appointments: shown ? [...others, appointment].sort(byStart) : others,
    // An open appointment holds its job: it leaves the tray (a job event puts it back when freed).
    unassignedJobs: isOpenAppointment(appointment)
      ? state.unassignedJobs.filter((job) => job.id !== appointment.jobId)
      : state.unassignedJobs,
  };
}

/** A job created, changed or deleted: the tray, and the job's facts on its blocks. */
export function applyJob(state: BoardState, job: JobSummary, action: string): BoardState {
  const inTray = action !== "deleted" && OPEN_JOB.has(job.status) && job.technicianIds.length === 0;
  const others = state.unassignedJobs.filter((existing) => existing.id !== job.id);
  const appointments =
    action === "deleted"
      ? state.appointments.filter((appointment) => appointment.jobId !== job.id)
      : state.appointments.map((appointment) =>
          appointment.jobId === job.id
            ? {
                ...appointment,
                job: {
                  ...appointment.job,
                  description: job.description,
                  priority: job.priority,
                  status: job.status,
                  unitIds: job.unitIds,
                },
              }
            : appointment,
        );
  return {
    technicians: state.technicians,
    appointments,
    unassignedJobs: inTray ? [...others, job].sort(trayOrder) : others,
  };
}

/** Reads an event's `data.appointment` / `data.job` (the shapes of worker/field/shapes.ts). */
export function eventAppointment(data: Record<string, unknown>): Appointment | null {
  const value = data.appointment as Appointment | undefined;
  return value && typeof value === "object" && typeof value.id === "string" && Array.isArray(value.technicians)
    ? value
    : null;
}

export function eventJob(data: Record<string, unknown>): JobSummary | null {
  const value = data.job as JobSummary | undefined;
  return value && typeof value === "object" && typeof value.id === "string" && Array.isArray(value.technicianIds)
    ? value
    : null;
}
