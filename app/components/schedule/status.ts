/**
 * How appointments read on the board and on My day: status words (colour is never the only cue),
 * the board block's tone class, priorities and durations.
 */
import type { Appointment, JobSummary, ScheduleWarning } from "../../../worker/field/shapes";

export type AppointmentStatus = Appointment["status"];

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  SCHEDULED: "Scheduled",
  EN_ROUTE: "On the way",
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
};

/** Badge tones from styles.css, for the same statuses. */
export const STATUS_BADGES: Record<AppointmentStatus, string> = {
  SCHEDULED: "badge-blue",
  EN_ROUTE: "badge-teal",
  IN_PROGRESS: "badge-violet",
  COMPLETED: "badge-green",
  CANCELED: "",
};

export const PRIORITY_LABELS: Record<JobSummary["priority"], string> = {
  LOW: "Low",
  NORMAL: "Normal",
  HIGH: "High",
  EMERGENCY: "Emergency",
};

export const PRIORITY_BADGES: Record<JobSummary["priority"], string> = {
  LOW: "",
  NORMAL: "",
  HIGH: "badge-amber",
  EMERGENCY: "badge-red",
};

/** "2 h", "1 h 30 min", "45 min". */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export const DURATION_CHOICES = [30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 480].map((minutes) => ({
  value: String(minutes),
  label: formatDuration(minutes),
}));

/** The short mark on a block: "Double-booked", "Certification". */
export const WARNING_SHORT: Record<ScheduleWarning["code"], string> = {
  DOUBLE_BOOKED: "Double-booked",
  CERTIFICATION: "Certification",
};

export const joinNames = (names: readonly string[]) =>
  names.length <= 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
