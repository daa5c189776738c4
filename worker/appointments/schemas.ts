import { z } from "@hono/zod-openapi";
import { APPOINTMENT_STATUSES } from "../../db/schema";
import { OrgParams } from "../http/app";

const Id = z.string().trim().min(1).max(64);
/** An instant with its offset, e.g. 2026-11-28T14:30:00Z or 2026-11-28T09:30:00-05:00. */
const DateTime = z.iso.datetime({
  offset: true,
  message: "Use an ISO date-time with its offset, e.g. 2026-11-28T14:30:00Z.",
});
/** A day (read in the org's time zone) or an instant, for ranges. */
const DateOrDateTime = z.union([z.iso.date(), DateTime], {
  message: "Use a date (YYYY-MM-DD) or an ISO date-time with its offset.",
});

export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 24 * 60;
export const DEFAULT_DURATION_MINUTES = 120;
export const MAX_TECHNICIANS = 10;

const DurationMinutes = z
  .number({ message: "Enter the duration in minutes." })
  .int("Use whole minutes.")
  .min(MIN_DURATION_MINUTES, `An appointment lasts at least ${MIN_DURATION_MINUTES} minutes.`)
  .max(MAX_DURATION_MINUTES, "An appointment lasts at most 24 hours.");

const TechnicianIds = z
  .array(Id, { message: "Choose at least one technician." })
  .min(1, "Choose at least one technician.")
  .max(MAX_TECHNICIANS, `Choose at most ${MAX_TECHNICIANS} technicians.`)
  .refine((ids) => new Set(ids).size === ids.length, "Each technician only once.");

const Note = z.string().trim().max(2000, "Keep the note under 2,000 characters.");

export const AppointmentParams = OrgParams.extend({ appointmentId: Id });

export const AppointmentListQuery = z.object({
  from: DateOrDateTime.optional(),
  to: DateOrDateTime.optional(),
  jobId: Id.optional(),
  technicianId: Id.optional(),
  status: z.enum([...APPOINTMENT_STATUSES, "OPEN", "ALL"]).optional(),
});
export type AppointmentListQuery = z.infer<typeof AppointmentListQuery>;

export const AppointmentCreateInput = z
  .strictObject({
    jobId: Id,
    startsAt: DateTime,
    /** Default 120 (2 hours). */
    durationMinutes: DurationMinutes.optional(),
    technicianIds: TechnicianIds,
    note: Note.nullable().optional(),
  })
  .openapi("AppointmentCreateInput");
export type AppointmentCreateInput = z.infer<typeof AppointmentCreateInput>;

/** Reschedule or reassign, while the appointment is SCHEDULED or EN_ROUTE. */
export const AppointmentPatchInput = z
  .strictObject({
    startsAt: DateTime.optional(),
    durationMinutes: DurationMinutes.optional(),
    technicianIds: TechnicianIds.optional(),
    note: Note.nullable().optional(),
  })
  .refine((input) => Object.keys(input).length > 0, { message: "Nothing to change.", path: ["_"] })
  .openapi("AppointmentPatchInput");
export type AppointmentPatchInput = z.infer<typeof AppointmentPatchInput>;

/** On my way / start: an optional word for the office (e.g. an arrival time), kept as a job note. */
export const AppointmentProgressInput = z
  .strictObject({ note: Note.nullable().optional() })
  .openapi("AppointmentProgressInput");
export type AppointmentProgressInput = z.infer<typeof AppointmentProgressInput>;

export const AppointmentCompleteInput = z
  .strictObject({
    note: Note.nullable().optional(),
    /** false: a return visit is needed, the job stays open. Default true. */
    jobComplete: z.boolean({ message: "Use true or false." }).optional(),
  })
  .openapi("AppointmentCompleteInput");
export type AppointmentCompleteInput = z.infer<typeof AppointmentCompleteInput>;

export const AppointmentCancelInput = z
  .strictObject({ reason: z.string().trim().max(500, "Keep the reason under 500 characters.").nullable().optional() })
  .openapi("AppointmentCancelInput");
export type AppointmentCancelInput = z.infer<typeof AppointmentCancelInput>;

export const ScheduleQuery = z.object({ from: DateOrDateTime.optional(), to: DateOrDateTime.optional() });
export type ScheduleQuery = z.infer<typeof ScheduleQuery>;
