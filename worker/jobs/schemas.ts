import { z } from "@hono/zod-openapi";
import { JOB_PRIORITIES, JOB_STATUSES, PROJECT_STATUSES } from "../../db/schema";
import { OrgParams } from "../http/app";

const Id = z.string().trim().min(1).max(64);
const Description = z.string().trim().min(1).max(2000);
/** A calendar day, YYYY-MM-DD, that exists. */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
  }, "Not a real date.");

export const JobParams = OrgParams.extend({ jobId: Id });
export const ProjectParams = OrgParams.extend({ projectId: Id });

export const JobListQuery = z.object({
  status: z.enum([...JOB_STATUSES, "OPEN", "ALL"]).optional(),
  projectId: Id.optional(),
  customerId: Id.optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type JobListQuery = z.infer<typeof JobListQuery>;

export const JobCreateInput = z
  .strictObject({
    customerId: Id,
    locationId: Id,
    unitIds: z.array(Id).max(100).optional(),
    projectId: Id.nullable().optional(),
    description: Description,
    priority: z.enum(JOB_PRIORITIES).optional(),
  })
  .openapi("JobCreateInput");
export type JobCreateInput = z.infer<typeof JobCreateInput>;

/** A manager's status changes: COMPLETED, CANCELED (with a reason) or PENDING (reopen). */
export const JobPatchInput = z
  .strictObject({
    description: Description.optional(),
    priority: z.enum(JOB_PRIORITIES).optional(),
    projectId: Id.nullable().optional(),
    unitIds: z.array(Id).max(100).optional(),
    status: z.enum(["COMPLETED", "CANCELED", "PENDING"]).optional(),
    cancelReason: z.string().trim().min(1).max(500).optional(),
  })
  .openapi("JobPatchInput");
export type JobPatchInput = z.infer<typeof JobPatchInput>;

export const JobNoteInput = z.strictObject({ body: z.string().trim().min(1).max(5000) }).openapi("JobNoteInput");
export type JobNoteInput = z.infer<typeof JobNoteInput>;

export const ProjectListQuery = z.object({ status: z.enum([...PROJECT_STATUSES, "ALL"]).optional() });
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;

const ProjectName = z.string().trim().min(1).max(200);
const ProjectDescription = z.string().trim().max(2000);

export const ProjectCreateInput = z
  .strictObject({
    name: ProjectName,
    description: ProjectDescription.nullable().optional(),
    customerId: Id.nullable().optional(),
    dueDate: Day.nullable().optional(),
  })
  .openapi("ProjectCreateInput");
export type ProjectCreateInput = z.infer<typeof ProjectCreateInput>;

export const ProjectPatchInput = z
  .strictObject({
    name: ProjectName.optional(),
    description: ProjectDescription.nullable().optional(),
    customerId: Id.nullable().optional(),
    dueDate: Day.nullable().optional(),
    /** CANCELED by hand; OPEN un-cancels (the status is then rolled up from the jobs). */
    status: z.enum(["CANCELED", "OPEN"]).optional(),
  })
  .openapi("ProjectPatchInput");
export type ProjectPatchInput = z.infer<typeof ProjectPatchInput>;
