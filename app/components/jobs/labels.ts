/**
 * How jobs, appointments and projects read on screen (job pages, the schedule board, My day):
 * status and priority words, their badge tones, durations, and appointment times in the time zone
 * the caller passes — the org's, so a dispatcher and a technician agree (server render and browser
 * agree too).
 */
import type { APPOINTMENT_STATUSES, JOB_PRIORITIES, JOB_STATUSES, PROJECT_STATUSES } from "../../../db/schema";
import { formatInZone } from "../../../worker/intl";

export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobPriority = (typeof JOB_PRIORITIES)[number];
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  PENDING: "Pending",
  SCHEDULED: "Scheduled",
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
};

export const JOB_STATUS_TONES: Record<JobStatus, string> = {
  PENDING: "badge-amber",
  SCHEDULED: "badge-blue",
  IN_PROGRESS: "badge-violet",
  COMPLETED: "badge-green",
  CANCELED: "",
};

export const PRIORITY_LABELS: Record<JobPriority, string> = {
  LOW: "Low",
  NORMAL: "Normal",
  HIGH: "High",
  EMERGENCY: "Emergency",
};

export const PRIORITY_TONES: Record<JobPriority, string> = {
  LOW: "",
  NORMAL: "",
  HIGH: "badge-amber",
  EMERGENCY: "badge-red",
};

export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, string> = {
  SCHEDULED: "Scheduled",
  EN_ROUTE: "On the way",
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
};

export const APPOINTMENT_STATUS_TONES: Record<AppointmentStatus, string> = {
  SCHEDULED: "badge-blue",
  EN_ROUTE: "badge-teal",
  IN_PROGRESS: "badge-violet",
  COMPLETED: "badge-green",
  CANCELED: "",
};

export const PROJECT_STATUS_LABELS: Record<ProjectStatus, string> = {
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
};

export const PROJECT_STATUS_TONES: Record<ProjectStatus, string> = {
  OPEN: "badge-blue",
  IN_PROGRESS: "badge-violet",
  COMPLETED: "badge-green",
  CANCELED: "",
};

export const priorityOptions = (Object.keys(PRIORITY_LABELS) as JobPriority[]).map((value) => ({
  value,
  label: PRIORITY_LABELS[value],
}));

/** The job list's status filter: open work first, then each status, then everything. */
export const JOB_STATUS_FILTERS = [
  { value: "OPEN", label: "Open" },
  ...(Object.keys(JOB_STATUS_LABELS) as JobStatus[]).map((value) => ({ value, label: JOB_STATUS_LABELS[value] })),
  { value: "ALL", label: "All" },
] as const;

export const PROJECT_STATUS_FILTERS = [
  ...(Object.keys(PROJECT_STATUS_LABELS) as ProjectStatus[]).map((value) => ({
    value,
    label: PROJECT_STATUS_LABELS[value],
  })),
  { value: "ALL", label: "All" },
] as const;

const DAY_KEY: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };

/** "Tue, Dec 2, 2026 · 9:00 AM – 11:00 AM" (the end's day too when it runs past midnight). */
export function formatAppointmentTime(startsAt: string, endsAt: string, timeZone: string): string {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  if (Number.isNaN(start.getTime())) return "";
  const day = formatInZone({ weekday: "short", month: "short", day: "numeric", year: "numeric" }, timeZone, start);
  const time = (date: Date) => formatInZone({ hour: "numeric", minute: "2-digit" }, timeZone, date);
  if (Number.isNaN(end.getTime())) return `${day} · ${time(start)}`;
  const sameDay = formatInZone(DAY_KEY, timeZone, start) === formatInZone(DAY_KEY, timeZone, end);
  const endText = sameDay
    ? time(end)
    : `${formatInZone({ weekday: "short", month: "short", day: "numeric" }, timeZone, end)}, ${time(end)}`;
  return `${day} · ${time(start)} – ${endText}`;
}

/** "Dec 2, 9:00 AM": short enough for a list cell. */
export function formatShortDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return formatInZone({ month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }, timeZone, date);
}

/** "2 h", "1 h 30 min", "45 min". */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** A calendar day (YYYY-MM-DD) as "Dec 20, 2026", read in UTC so it never shifts a day. */
export function formatDueDate(day: string | null | undefined): string {
  if (!day) return "";
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return formatInZone({ dateStyle: "medium" }, "UTC", date);
}

export const joinNames = (names: readonly string[]) =>
  names.length <= 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
