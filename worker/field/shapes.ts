/**
 * What the field-operations API answers (jobs, projects, appointments, the schedule board), as
 * zod schemas: the OpenAPI document, the live events' `data` and the UI all share these shapes.
 *
 * Live events (worker/field/audience.ts decides who hears them):
 * - `{ entity: "job", action, id, data: { job: JobSummary } }` — created, updated, completed,
 *   canceled, deleted; `action: "noted"` carries `data: { job: JobSummary, note: JobNote }`.
 * - `{ entity: "appointment", action, id, data: { appointment: Appointment, job?: JobSummary } }`
 *   — created, updated (rescheduled/reassigned), en-route, started, completed, canceled; `job` is
 *   there when the write moved the job's status (technicians on the job's other appointments get
 *   a separate job event instead).
 * - `{ entity: "project", action, id, data: { project: Project } }`.
 */
import { z } from "@hono/zod-openapi";
import { APPOINTMENT_STATUSES, JOB_PRIORITIES, JOB_STATUSES, PROJECT_STATUSES } from "../../db/schema";

export const JobStatus = z.enum(JOB_STATUSES);
export const JobPriority = z.enum(JOB_PRIORITIES);
export const AppointmentStatus = z.enum(APPOINTMENT_STATUSES);
export const ProjectStatus = z.enum(PROJECT_STATUSES);

/** "J-1001": how people say a job's number. */
export const jobLabel = (number: number) => `J-${number}`;

export const JobSummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    label: z.string(),
    description: z.string(),
    priority: JobPriority,
    status: JobStatus,
    customer: z.object({ id: z.string(), name: z.string() }),
    location: z.object({ id: z.string(), name: z.string(), street: z.string(), city: z.string(), state: z.string() }),
    project: z.object({ id: z.string(), name: z.string() }).nullable(),
    unitIds: z.array(z.string()),
    /** Technicians on the job's open (not canceled, not completed) appointments. */
    technicianIds: z.array(z.string()),
    /** Start of the next open appointment, ISO 8601; null when none. */
    nextAppointmentAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("JobSummary");
export type JobSummary = z.infer<typeof JobSummary>;

export const JobNote = z
  .object({
    id: z.string(),
    jobId: z.string(),
    authorId: z.string(),
    authorName: z.string(),
    body: z.string(),
    createdAt: z.string(),
  })
  .openapi("JobNote");
export type JobNote = z.infer<typeof JobNote>;

export const AppointmentTechnician = z.object({
  id: z.string(),
  name: z.string(),
  certificationType: z.string().nullable(),
});

/** Not blocking: the write happened, the dispatcher is told (issue 4: double-booking, certification). */
export const ScheduleWarning = z
  .object({
    code: z.enum(["DOUBLE_BOOKED", "CERTIFICATION"]),
    technicianId: z.string(),
    message: z.string(),
    /** DOUBLE_BOOKED: the other appointment. */
    appointmentId: z.string().optional(),
    /** CERTIFICATION: the unit that needs a type the technician lacks, and the types that would do. */
    unitId: z.string().optional(),
    needs: z.array(z.string()).optional(),
  })
  .openapi("ScheduleWarning");
export type ScheduleWarning = z.infer<typeof ScheduleWarning>;

export const Appointment = z
  .object({
    id: z.string(),
    jobId: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    durationMinutes: z.number().int(),
    status: AppointmentStatus,
    note: z.string().nullable(),
    technicians: z.array(AppointmentTechnician),
    enRouteAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    completionNote: z.string().nullable(),
    canceledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    job: z.object({
      id: z.string(),
      number: z.number().int(),
      label: z.string(),
      description: z.string(),
      priority: JobPriority,
      status: JobStatus,
      customerName: z.string(),
      locationName: z.string(),
      address: z.string(),
      unitIds: z.array(z.string()),
    }),
    /** Current conflicts of this appointment (double booking, certification), for the board. */
    warnings: z.array(ScheduleWarning),
  })
  .openapi("Appointment");
export type Appointment = z.infer<typeof Appointment>;

export const Project = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    status: ProjectStatus,
    customer: z.object({ id: z.string(), name: z.string() }).nullable(),
    dueDate: z.string().nullable(),
    jobCounts: z.object({ total: z.number().int(), open: z.number().int(), completed: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Project");
export type Project = z.infer<typeof Project>;

export const JobUnit = z.object({
  id: z.string(),
  name: z.string(),
  refrigerant: z.string(),
  category: z.string(),
  fullChargeLb: z.number(),
});

export const JobTransfer = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  refrigerant: z.string(),
  amountLb: z.number(),
  performedAt: z.string(),
  technicianName: z.string(),
  unitId: z.string().nullable(),
});

export const Job = JobSummary.extend({
  units: z.array(JobUnit),
  notes: z.array(JobNote),
  appointments: z.array(Appointment),
  transfers: z.array(JobTransfer),
  completedAt: z.string().nullable(),
  canceledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
}).openapi("Job");
export type Job = z.infer<typeof Job>;

export const ProjectDetail = Project.extend({ jobs: z.array(JobSummary) }).openapi("ProjectDetail");
export type ProjectDetail = z.infer<typeof ProjectDetail>;

export const Schedule = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    /** Board rows: the org's active technicians, plus anyone else holding an appointment in range. */
    technicians: z.array(AppointmentTechnician),
    appointments: z.array(Appointment),
    /** Open jobs (PENDING, or SCHEDULED/IN_PROGRESS without an open appointment): the tray. */
    unassignedJobs: z.array(JobSummary),
  })
  .openapi("Schedule");
export type Schedule = z.infer<typeof Schedule>;
