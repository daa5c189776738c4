/**
 * Fixtures for the appointments and schedule tests: jobs are inserted as rows (not through the
 * jobs API) so these tests exercise appointments alone.
 */
import { eq } from "drizzle-orm";
import { type JobStatus, jobs, jobUnits, locations } from "../../db/schema";
import type { Appointment } from "../../worker/field/shapes";
import { api, createUnitAtSite, testDb } from "./helpers";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

let jobNumber = 5000;

/** A job at a fresh site of the org with one unit (R-410A unless said), PENDING unless said. */
export async function insertJob(
  orgId: string,
  createdById: string,
  options: {
    refrigerant?: string;
    status?: JobStatus;
    projectId?: string;
    priority?: "LOW" | "NORMAL" | "HIGH" | "EMERGENCY";
    deleted?: boolean;
  } = {},
) {
  const db = testDb();
  const unit = await createUnitAtSite(orgId, options.refrigerant ? { refrigerant: options.refrigerant } : {});
  const location = await db.select().from(locations).where(eq(locations.id, unit.locationId)).get();
  if (!location) throw new Error("insertJob: no location");
  const job = await db
    .insert(jobs)
    .values({
      id: crypto.randomUUID(),
      orgId,
      number: jobNumber++,
      customerId: location.customerId,
      locationId: location.id,
      projectId: options.projectId ?? null,
      description: "Walk-in cooler not cooling",
      priority: options.priority ?? "NORMAL",
      status: options.status ?? "PENDING",
      deletedAt: options.deleted ? new Date() : null,
      createdById,
    })
    .returning()
    .get();
  await db.insert(jobUnits).values({ jobId: job.id, unitId: unit.id });
  return { job, unit };
}

/** A user of the org with a session cookie. */
export { member } from "./helpers";

/** An ISO instant `hours` from a fixed future base (whole hours, far from other tests' times). */
export function at(base: number, hours: number) {
  return new Date(base + hours * HOUR).toISOString();
}

/** A base instant of its own for one test (a distinct day far ahead), so appointments of other tests never overlap. */
let day = 0;
export function freshBase() {
  day += 3;
  const base = Date.UTC(2031, 0, 1, 14) + day * 24 * HOUR;
  return base;
}

export async function schedule(
  orgId: string,
  cookie: string,
  body: { jobId: string; startsAt: string; technicianIds: string[]; durationMinutes?: number; note?: string },
) {
  const res = await api<Appointment>(`/api/orgs/${orgId}/appointments`, { method: "POST", cookie, body });
  if (res.status !== 201) throw new Error(`schedule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
