/**
 * Demo field operations (issue 4) for Polar North and Polar South: projects, jobs with their
 * units and notes, and appointments yesterday, today and over the coming days, so the schedule
 * board and the technicians' My day have something true to show the moment the demo starts.
 *
 * The story, in each org's own time zone (America/Chicago for both):
 * - Polar North: Tess (Universal) and Theo (Type II) have a full today — one visit done, one in
 *   progress, one on the way, the rest scheduled — with Tess double-booked early afternoon; the
 *   rest of the week is partly booked; an appointment the customer called off is canceled; four
 *   open jobs wait in the unassigned tray (one an emergency).
 * - Polar South: its technician has today's and tomorrow's visits at Hawkeye Grocers, two jobs
 *   in the tray and one job done yesterday.
 *
 * Job statuses follow worker/field/lifecycle.ts from the appointments (a first open appointment
 * makes a job SCHEDULED, a started one IN_PROGRESS, a completed last one COMPLETED, a canceled
 * one leaves it PENDING); project statuses are rolled up the same way. Ids are fixed and every
 * insert is `ON CONFLICT DO NOTHING`, all in one `db.batch`: seeding twice changes nothing.
 */
import { getTableColumns, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../worker/db";
import { nextDay, zonedLocalToInstant } from "../worker/transfers/dates";
import {
  type APPOINTMENT_STATUSES,
  appointments,
  appointmentTechnicians,
  type JOB_PRIORITIES,
  type JOB_STATUSES,
  jobNotes,
  jobs,
  jobUnits,
  organizations,
  type PROJECT_STATUSES,
  projects,
  users,
} from "./schema";

const NORTH = "org-polar-north";
const SOUTH = "org-polar-south";
const TESS = "user-tech1-north";
const THEO = "user-tech2-north";
const MILES = "user-manager-north";
const NORA = "user-admin-north";
const SOFIA = "user-admin-south";
const ROVER = "user-rover";
export const SOUTH_TECHNICIAN = "user-tech-south";

/** D1 refuses a statement with more than 100 bound parameters. */
const MAX_PARAMS = 99;

type JobStatus = (typeof JOB_STATUSES)[number];
type Priority = (typeof JOB_PRIORITIES)[number];
type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
type ProjectStatus = (typeof PROJECT_STATUSES)[number];

type ProjectRow = typeof projects.$inferInsert & { id: string; orgId: string; status: ProjectStatus };
type JobRow = typeof jobs.$inferInsert & { id: string; orgId: string; status: JobStatus };
type JobUnitRow = typeof jobUnits.$inferInsert;
type NoteRow = typeof jobNotes.$inferInsert & { id: string };
type AppointmentRow = typeof appointments.$inferInsert & {
  id: string;
  orgId: string;
  jobId: string;
  startsAt: Date;
  durationMinutes: number;
  status: AppointmentStatus;
};
type AppointmentTechnicianRow = typeof appointmentTechnicians.$inferInsert;

/** The tray jobs the browser tests assign (by picking and by dragging); nothing else books them. */
export const DEMO_TRAY_JOBS = {
  pick: "job-north-shop-filters",
  drag: "job-north-deli-noise",
} as const;

export type FieldDemoContext = {
  /** Each org's time zone: the demo's hours are wall-clock hours there. */
  timeZones: Map<string, string>;
  /** People's names, for the notes' authors. */
  names: Map<string, string>;
};

/** Reads the orgs' time zones and the authors' names, then writes the demo in one batch. */
export async function seedFieldDemo(db: Db, now: Date) {
  const [orgRows, userRows] = await Promise.all([
    db
      .select({ id: organizations.id, timeZone: organizations.timeZone })
      .from(organizations)
      .where(inArray(organizations.id, [NORTH, SOUTH]))
      .all(),
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, [TESS, THEO, MILES, NORA, SOFIA, ROVER, SOUTH_TECHNICIAN]))
      .all(),
  ]);
  const demo = buildFieldDemo(now, {
    timeZones: new Map(orgRows.map((org) => [org.id, org.timeZone])),
    names: new Map(userRows.map((user) => [user.id, user.name])),
  });
  const statements = [
    ...insertAll(db, projects, demo.projects),
    ...insertAll(db, jobs, demo.jobs),
    ...insertAll(db, jobUnits, demo.jobUnits),
    ...insertAll(db, jobNotes, demo.notes),
    ...insertAll(db, appointments, demo.appointments),
    ...insertAll(db, appointmentTechnicians, demo.appointmentTechnicians),
  ];
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return demo;
}

/** Multi-row inserts, as many rows per statement as D1's bound-parameter limit allows. */
function insertAll<T extends SQLiteTable>(db: Db, table: T, rows: T["$inferInsert"][]): BatchItem<"sqlite">[] {
  const columns = Object.keys(getTableColumns(table)).length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    statements.push(
      db
        .insert(table)
        .values(rows.slice(i, i + perStatement) as never)
        .onConflictDoNothing() as unknown as BatchItem<"sqlite">,
    );
  }
  return statements;
}

type JobSpec = {
  id: string;
  orgId: string;
  number: number;
  customerId: string;
  locationId: string;
  projectId?: string;
  description: string;
  priority?: Priority;
  unitIds: string[];
  /** Created this many days before today. */
  createdDaysAgo: number;
  createdById: string;
};

type VisitSpec = {
  id: string;
  jobId: string;
  /** Days from today (negative: past) and the local wall-clock start, "HH:MM". */
  day: number;
  at: string;
  durationMinutes?: number;
  technicianIds: string[];
  status: AppointmentStatus;
  note?: string;
  completionNote?: string;
  cancelReason?: string;
  /** For completed visits: the technician said a return visit is needed (the job stays open). */
  returnVisit?: boolean;
};

/**
 * Everything the seed writes, built from `now` and the orgs' time zones. Pure; throws when a job's
 * status would not follow from its appointments.
 */
export function buildFieldDemo(now: Date, ctx: FieldDemoContext) {
  const zoneOf = (orgId: string) => ctx.timeZones.get(orgId) ?? "America/Chicago";
  const todayOf = (orgId: string) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: zoneOf(orgId), year: "numeric", month: "2-digit", day: "2-digit" })
      .format(now)
      .slice(0, 10);
  const addDays = (day: string, days: number) => {
    let result = day;
    if (days >= 0) for (let i = 0; i < days; i++) result = nextDay(result);
    else {
      const date = new Date(`${day}T00:00:00Z`);
      date.setUTCDate(date.getUTCDate() + days);
      result = date.toISOString().slice(0, 10);
    }
    return result;
  };
  /** Local wall-clock time `days` from today in the org's zone → the instant. */
  const localAt = (orgId: string, days: number, time: string) => {
    const instant = zonedLocalToInstant(`${addDays(todayOf(orgId), days)}T${time}`, zoneOf(orgId));
    if (!instant) throw new Error(`bad demo time ${time}`);
    return instant;
  };
  const minutes = (date: Date, n: number) => new Date(date.getTime() + n * 60_000);

  const projectRows: ProjectRow[] = [
    {
      id: "proj-north-lakeside-retrofit",
      orgId: NORTH,
      name: "Lakeside R-404A retrofit",
      description: "Move the low-temp cases and the walk-ins at Maple Grove from R-404A to R-448A before spring.",
      customerId: "cust-north-lakeside",
      status: "OPEN",
      dueDate: addDays(todayOf(NORTH), 45),
      createdById: MILES,
      createdAt: localAt(NORTH, -21, "09:00"),
      updatedAt: localAt(NORTH, -21, "09:00"),
    },
    {
      id: "proj-north-clinic-pm",
      orgId: NORTH,
      name: "Riverbend Clinic preventive maintenance",
      description: "Seasonal maintenance of every unit at the clinic, vaccine storage first.",
      customerId: "cust-north-riverbend",
      status: "OPEN",
      dueDate: addDays(todayOf(NORTH), 14),
      createdById: NORA,
      createdAt: localAt(NORTH, -10, "11:00"),
      updatedAt: localAt(NORTH, -10, "11:00"),
    },
    {
      id: "proj-south-hawkeye-remodel",
      orgId: SOUTH,
      name: "Hawkeye front-end remodel",
      description: "Rooftop and freezer work around the store's front-end remodel.",
      customerId: "cust-south-hawkeye",
      status: "OPEN",
      dueDate: addDays(todayOf(SOUTH), 30),
      createdById: ROVER,
      createdAt: localAt(SOUTH, -12, "10:00"),
      updatedAt: localAt(SOUTH, -12, "10:00"),
    },
  ];

  const lakeside = { customerId: "cust-north-lakeside", locationId: "loc-north-lakeside" };
  const twinLakes = { customerId: "cust-north-twinlakes", locationId: "loc-north-twinlakes" };
  const northland = { customerId: "cust-north-northland", locationId: "loc-north-northland" };
  const prairie = { customerId: "cust-north-prairie", locationId: "loc-north-prairie" };
  const riverbend = { customerId: "cust-north-riverbend", locationId: "loc-north-riverbend" };
  const hawkeye = { customerId: "cust-south-hawkeye", locationId: "loc-south-hawkeye" };

  const jobSpecs: JobSpec[] = [
    // Polar North
    {
      id: "job-north-rack-a-check",
      orgId: NORTH,
      number: 1001,
      ...lakeside,
      projectId: "proj-north-lakeside-retrofit",
      description: "Leak check on Rack A after last week's top-off; survey the cases for the retrofit.",
      unitIds: ["unit-north-rack-a"],
      createdDaysAgo: 8,
      createdById: MILES,
    },
    {
      id: "job-north-wic2-repair",
      orgId: NORTH,
      number: 1002,
      ...lakeside,
      projectId: "proj-north-lakeside-retrofit",
      description: "Walk-in cooler 2 keeps losing charge: find and repair the leak, verify the repair.",
      priority: "HIGH",
      unitIds: ["unit-north-wic2"],
      createdDaysAgo: 3,
      createdById: MILES,
    },
    {
      id: "job-north-chiller-quarterly",
      orgId: NORTH,
      number: 1003,
      ...twinLakes,
      description: "Quarterly chiller inspection: oil sample, purge unit run hours, log readings.",
      unitIds: ["unit-north-ch1"],
      createdDaysAgo: 12,
      createdById: NORA,
    },
    {
      id: "job-north-process-chiller",
      orgId: NORTH,
      number: 1004,
      ...northland,
      description: "Process chiller PC-1 high head pressure alarm overnight; check the condenser and fans.",
      priority: "HIGH",
      unitIds: ["unit-north-pc1"],
      createdDaysAgo: 1,
      createdById: MILES,
    },
    {
      id: "job-north-trailer-5310",
      orgId: NORTH,
      number: 1005,
      ...prairie,
      description: "Reefer trailer 5310: follow-up verification test after the evaporator coil repair.",
      unitIds: ["unit-north-trailer-5310"],
      createdDaysAgo: 6,
      createdById: MILES,
    },
    {
      id: "job-north-clinic-rtu",
      orgId: NORTH,
      number: 1006,
      ...riverbend,
      projectId: "proj-north-clinic-pm",
      description: "Spring PM on the clinic rooftop unit: belts, filters, coil cleaning, refrigerant check.",
      unitIds: ["unit-north-clinic-rtu1"],
      createdDaysAgo: 9,
      createdById: NORA,
    },
    {
      id: "job-north-vaccine-fridge",
      orgId: NORTH,
      number: 1007,
      ...riverbend,
      projectId: "proj-north-clinic-pm",
      description: "Vaccine storage unit: temperature logger calibration and condenser cleaning.",
      priority: "HIGH",
      unitIds: ["unit-north-clinic-vaccine"],
      createdDaysAgo: 9,
      createdById: NORA,
    },
    {
      id: "job-north-dock-rtu",
      orgId: NORTH,
      number: 1008,
      ...northland,
      description: "Dock office RTU short cycling; check the charge and the low-pressure switch.",
      unitIds: ["unit-north-dock-rtu"],
      createdDaysAgo: 2,
      createdById: MILES,
    },
    {
      id: "job-north-trailer-5322",
      orgId: NORTH,
      number: 1009,
      ...prairie,
      description: "Pre-trip refrigeration check on trailer 5322 before its Monday run.",
      unitIds: ["unit-north-trailer-5322"],
      createdDaysAgo: 4,
      createdById: MILES,
    },
    {
      id: DEMO_TRAY_JOBS.drag,
      orgId: NORTH,
      number: 1010,
      ...lakeside,
      description: "Deli case compressor is noisy at start-up; store manager asks for a look before the weekend.",
      priority: "HIGH",
      unitIds: ["unit-north-deli-case"],
      createdDaysAgo: 1,
      createdById: MILES,
    },
    {
      id: "job-north-crac-alarm",
      orgId: NORTH,
      number: 1011,
      ...twinLakes,
      description: "Server room CRAC-1 high temperature alarm: respond today.",
      priority: "EMERGENCY",
      unitIds: ["unit-north-crac1"],
      createdDaysAgo: 0,
      createdById: MILES,
    },
    {
      id: DEMO_TRAY_JOBS.pick,
      orgId: NORTH,
      number: 1012,
      ...prairie,
      description: "Replace the filters and check the belts on the shop rooftop unit.",
      priority: "LOW",
      unitIds: ["unit-north-shop-rtu"],
      createdDaysAgo: 5,
      createdById: NORA,
    },
    {
      id: "job-north-clinic-split",
      orgId: NORTH,
      number: 1013,
      ...riverbend,
      projectId: "proj-north-clinic-pm",
      description: "Clean and check the exam-room ductless split; customer reported weak cooling.",
      unitIds: ["unit-north-clinic-split"],
      createdDaysAgo: 9,
      createdById: NORA,
    },
    {
      id: "job-north-rtu1-check",
      orgId: NORTH,
      number: 1014,
      ...lakeside,
      projectId: "proj-north-lakeside-retrofit",
      description: "RTU-1 economizer stuck open; customer rescheduled to next week, needs a new slot.",
      unitIds: ["unit-north-rtu1"],
      createdDaysAgo: 7,
      createdById: MILES,
    },
    // Polar South
    {
      id: "job-south-rtu-belts",
      orgId: SOUTH,
      number: 1001,
      ...hawkeye,
      projectId: "proj-south-hawkeye-remodel",
      description: "Front-end RTU: replace belts and filters before the remodel crews arrive.",
      unitIds: ["unit-south-rtu1"],
      createdDaysAgo: 6,
      createdById: ROVER,
    },
    {
      id: "job-south-freezer-door",
      orgId: SOUTH,
      number: 1002,
      ...hawkeye,
      description: "Walk-in freezer door heater out and ice building on the gasket.",
      priority: "HIGH",
      unitIds: ["unit-south-freezer"],
      createdDaysAgo: 2,
      createdById: SOFIA,
    },
    {
      id: "job-south-freezer-leak",
      orgId: SOUTH,
      number: 1003,
      ...hawkeye,
      description: "Walk-in freezer leak search with the electronic detector; tag what is found.",
      unitIds: ["unit-south-freezer"],
      createdDaysAgo: 3,
      createdById: ROVER,
    },
    {
      id: "job-south-rtu-curb",
      orgId: SOUTH,
      number: 1004,
      ...hawkeye,
      projectId: "proj-south-hawkeye-remodel",
      description: "Check the RTU curb and disconnect before the roofers start.",
      priority: "LOW",
      unitIds: ["unit-south-rtu1"],
      createdDaysAgo: 1,
      createdById: ROVER,
    },
    {
      id: "job-south-rtu-startup",
      orgId: SOUTH,
      number: 1005,
      ...hawkeye,
      projectId: "proj-south-hawkeye-remodel",
      description: "Start-up check on the front-end RTU after the electrical work.",
      unitIds: ["unit-south-rtu1"],
      createdDaysAgo: 0,
      createdById: SOFIA,
    },
  ];

  const visits: VisitSpec[] = [
    // Yesterday
    {
      id: "appt-north-rack-a",
      jobId: "job-north-rack-a-check",
      day: -1,
      at: "08:00",
      technicianIds: [TESS],
      status: "COMPLETED",
      completionNote: "No leaks found on Rack A; case survey done, photos in the job notes.",
    },
    // Today, Tess: done at the walk-in, on the way to the chiller, double-booked after lunch.
    {
      id: "appt-north-wic2",
      jobId: "job-north-wic2-repair",
      day: 0,
      at: "07:30",
      durationMinutes: 150,
      technicianIds: [TESS],
      status: "IN_PROGRESS",
      note: "Bring the nitrogen kit; the leak is likely at the evaporator.",
    },
    {
      id: "appt-north-pc1",
      jobId: "job-north-process-chiller",
      day: 0,
      at: "10:30",
      technicianIds: [TESS],
      status: "EN_ROUTE",
    },
    {
      id: "appt-north-trailer-5310",
      jobId: "job-north-trailer-5310",
      day: 0,
      at: "13:30",
      technicianIds: [TESS],
      status: "SCHEDULED",
      note: "Trailer is at door 4.",
    },
    {
      id: "appt-north-dock-rtu",
      jobId: "job-north-dock-rtu",
      day: 0,
      at: "14:30",
      durationMinutes: 90,
      technicianIds: [TESS],
      status: "SCHEDULED",
    },
    // Today, Theo: early pre-trip done, chiller inspection late morning.
    {
      id: "appt-north-trailer-5322",
      jobId: "job-north-trailer-5322",
      day: 0,
      at: "06:30",
      durationMinutes: 90,
      technicianIds: [THEO],
      status: "COMPLETED",
      completionNote: "Pre-trip passed; unit holding -10 °F.",
    },
    {
      id: "appt-north-chiller",
      jobId: "job-north-chiller-quarterly",
      day: 0,
      at: "11:00",
      durationMinutes: 180,
      technicianIds: [THEO],
      status: "SCHEDULED",
    },
    // Later this week
    {
      id: "appt-north-clinic-rtu",
      jobId: "job-north-clinic-rtu",
      day: 1,
      at: "08:00",
      durationMinutes: 240,
      technicianIds: [TESS, THEO],
      status: "SCHEDULED",
      note: "Two people: the roof hatch needs a spotter.",
    },
    {
      id: "appt-north-vaccine",
      jobId: "job-north-vaccine-fridge",
      day: 2,
      at: "09:00",
      technicianIds: [THEO],
      status: "SCHEDULED",
      note: "Clinic staff move the vaccines to the backup unit at 8:45.",
    },
    {
      id: "appt-north-wic2-verify",
      jobId: "job-north-wic2-repair",
      day: 3,
      at: "13:00",
      durationMinutes: 60,
      technicianIds: [TESS],
      status: "SCHEDULED",
      note: "Follow-up verification test.",
    },
    {
      id: "appt-north-rtu1-called-off",
      jobId: "job-north-rtu1-check",
      day: 0,
      at: "15:00",
      technicianIds: [THEO],
      status: "CANCELED",
      cancelReason: "Customer called: store inventory today, asked for next week.",
    },
    // Polar South
    {
      id: "appt-south-rtu-belts",
      jobId: "job-south-rtu-belts",
      day: -1,
      at: "09:00",
      technicianIds: [SOUTH_TECHNICIAN],
      status: "COMPLETED",
      completionNote: "Belts and filters replaced.",
    },
    {
      id: "appt-south-freezer-door",
      jobId: "job-south-freezer-door",
      day: 0,
      at: "08:30",
      technicianIds: [SOUTH_TECHNICIAN],
      status: "IN_PROGRESS",
    },
    {
      id: "appt-south-freezer-leak",
      jobId: "job-south-freezer-leak",
      day: 0,
      at: "13:00",
      durationMinutes: 180,
      technicianIds: [SOUTH_TECHNICIAN],
      status: "SCHEDULED",
    },
  ];

  // --- Appointments -----------------------------------------------------------------------------
  const jobById = new Map(jobSpecs.map((spec) => [spec.id, spec]));
  const appointmentRows: AppointmentRow[] = [];
  const technicianRows: AppointmentTechnicianRow[] = [];
  for (const visit of visits) {
    const job = jobById.get(visit.jobId);
    if (!job) throw new Error(`no job ${visit.jobId}`);
    const startsAt = localAt(job.orgId, visit.day, visit.at);
    const durationMinutes = visit.durationMinutes ?? 120;
    const booked = localAt(job.orgId, Math.min(visit.day, 0) - 1, "16:00");
    const moved = ["EN_ROUTE", "IN_PROGRESS", "COMPLETED"].includes(visit.status);
    const started = ["IN_PROGRESS", "COMPLETED"].includes(visit.status);
    const enRouteAt = moved ? minutes(startsAt, -25) : null;
    const startedAt = started ? minutes(startsAt, 5) : null;
    const completedAt = visit.status === "COMPLETED" ? minutes(startsAt, durationMinutes - 10) : null;
    const canceledAt = visit.status === "CANCELED" ? localAt(job.orgId, 0, "07:10") : null;
    appointmentRows.push({
      id: visit.id,
      orgId: job.orgId,
      jobId: job.id,
      startsAt,
      durationMinutes,
      note: visit.note ?? null,
      status: visit.status,
      enRouteAt,
      startedAt,
      completedAt,
      completionNote: visit.completionNote ?? null,
      canceledAt,
      cancelReason: visit.cancelReason ?? null,
      createdById: job.createdById,
      createdAt: booked,
      updatedAt: completedAt ?? startedAt ?? enRouteAt ?? canceledAt ?? booked,
    });
    for (const userId of visit.technicianIds)
      technicianRows.push({ appointmentId: visit.id, userId, orgId: job.orgId });
  }

  // --- Jobs: status from their appointments (worker/field/lifecycle.ts) -------------------------
  const jobRows: JobRow[] = jobSpecs.map((spec) => {
    const own = appointmentRows.filter((a) => a.jobId === spec.id);
    const open = own.filter((a) => ["SCHEDULED", "EN_ROUTE", "IN_PROGRESS"].includes(a.status));
    const completed = own.filter((a) => a.status === "COMPLETED");
    let status: JobStatus = "PENDING";
    if (open.some((a) => a.status === "IN_PROGRESS") || (completed.length > 0 && open.length > 0)) {
      status = "IN_PROGRESS";
    } else if (open.length > 0) status = "SCHEDULED";
    else if (completed.length > 0) status = "COMPLETED";
    const created = localAt(spec.orgId, -spec.createdDaysAgo, "07:45");
    const lastCompletion = completed.map((a) => a.completedAt as Date).sort((a, b) => +b - +a)[0] ?? null;
    return {
      id: spec.id,
      orgId: spec.orgId,
      number: spec.number,
      customerId: spec.customerId,
      locationId: spec.locationId,
      projectId: spec.projectId ?? null,
      description: spec.description,
      priority: spec.priority ?? "NORMAL",
      status,
      completedAt: status === "COMPLETED" ? lastCompletion : null,
      canceledAt: null,
      cancelReason: null,
      deletedAt: null,
      createdById: spec.createdById,
      createdAt: created,
      updatedAt: [created, ...own.map((a) => a.updatedAt as Date)].sort((a, b) => +b - +a)[0] ?? created,
    };
  });
  const jobUnitRows: JobUnitRow[] = jobSpecs.flatMap((spec) =>
    spec.unitIds.map((unitId) => ({ jobId: spec.id, unitId })),
  );

  // --- Projects: rolled up from their jobs ------------------------------------------------------
  for (const project of projectRows) {
    const own = jobRows.filter((job) => job.projectId === project.id);
    if (own.length > 0 && own.every((job) => ["COMPLETED", "CANCELED"].includes(job.status)))
      project.status = own.some((job) => job.status === "COMPLETED") ? "COMPLETED" : project.status;
    else if (own.some((job) => ["IN_PROGRESS", "COMPLETED"].includes(job.status))) project.status = "IN_PROGRESS";
  }

  // --- Notes ------------------------------------------------------------------------------------
  const note = (id: string, jobId: string, authorId: string, orgId: string, day: number, at: string, body: string) => ({
    id,
    orgId,
    jobId,
    authorId,
    authorName: ctx.names.get(authorId) ?? "RefriTrak user",
    body,
    createdAt: localAt(orgId, day, at),
  });
  const noteRows: NoteRow[] = [
    note(
      "note-north-rack-a-1",
      "job-north-rack-a-check",
      TESS,
      NORTH,
      -1,
      "09:55",
      "Checked every joint on the rack and the case headers with the electronic detector: nothing. Photos of the case nameplates taken for the retrofit quote.",
    ),
    note(
      "note-north-wic2-1",
      "job-north-wic2-repair",
      MILES,
      NORTH,
      -3,
      "08:10",
      "Store reports the walk-in alarmed twice this week. Third charge this year: this one is on the chronic list.",
    ),
    note(
      "note-north-wic2-2",
      "job-north-wic2-repair",
      TESS,
      NORTH,
      0,
      "08:40",
      "Found oil at the evaporator return bend. Recovering the charge now to braze it.",
    ),
    note(
      "note-north-pc1-1",
      "job-north-process-chiller",
      MILES,
      NORTH,
      -1,
      "22:30",
      "Night supervisor called in the alarm at 10:15 PM; they reset it once.",
    ),
    note(
      "note-north-crac-1",
      "job-north-crac-alarm",
      MILES,
      NORTH,
      0,
      "07:40",
      "Building engineering says the server room hit 84 °F at 7 AM. Whoever is closest takes it.",
    ),
    note(
      "note-north-rtu1-1",
      "job-north-rtu1-check",
      MILES,
      NORTH,
      0,
      "07:10",
      "Customer asked to move the visit to next week (inventory day). Needs a new slot.",
    ),
    note(
      "note-south-door-1",
      "job-south-freezer-door",
      SOFIA,
      SOUTH,
      -2,
      "15:20",
      "Store says the door is hard to close and frosting at the bottom gasket.",
    ),
  ];

  // The story holds only if every job's status is what its appointments make it.
  const expected: Record<string, JobStatus> = {
    "job-north-rack-a-check": "COMPLETED",
    "job-north-wic2-repair": "IN_PROGRESS",
    "job-north-process-chiller": "SCHEDULED",
    "job-north-trailer-5322": "COMPLETED",
    "job-north-rtu1-check": "PENDING",
    [DEMO_TRAY_JOBS.pick]: "PENDING",
    [DEMO_TRAY_JOBS.drag]: "PENDING",
  };
  for (const [id, status] of Object.entries(expected)) {
    const job = jobRows.find((row) => row.id === id);
    if (job?.status !== status) throw new Error(`demo job ${id} is ${job?.status}, expected ${status}`);
  }

  return {
    projects: projectRows,
    jobs: jobRows,
    jobUnits: jobUnitRows,
    notes: noteRows,
    appointments: appointmentRows,
    appointmentTechnicians: technicianRows,
  };
}
