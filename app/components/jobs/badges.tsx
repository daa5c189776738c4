import type { ScheduleWarning } from "../../../worker/field/shapes";
import {
  APPOINTMENT_STATUS_LABELS,
  APPOINTMENT_STATUS_TONES,
  type AppointmentStatus,
  JOB_STATUS_LABELS,
  JOB_STATUS_TONES,
  type JobPriority,
  type JobStatus,
  PRIORITY_LABELS,
  PRIORITY_TONES,
  PROJECT_STATUS_LABELS,
  PROJECT_STATUS_TONES,
  type ProjectStatus,
} from "./labels";

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`badge job-status job-status-${status.toLowerCase()} ${JOB_STATUS_TONES[status]}`.trim()}>
      {JOB_STATUS_LABELS[status]}
    </span>
  );
}

/** Only priorities that ask for attention are shown as badges in lists; NORMAL reads as plain text. */
export function PriorityBadge({ priority, quietNormal = false }: { priority: JobPriority; quietNormal?: boolean }) {
  if (quietNormal && (priority === "NORMAL" || priority === "LOW"))
    return <span className="muted small">{PRIORITY_LABELS[priority]} priority</span>;
  return (
    <span className={`badge job-priority job-priority-${priority.toLowerCase()} ${PRIORITY_TONES[priority]}`.trim()}>
      {PRIORITY_LABELS[priority]}
      <span className="visually-hidden"> priority</span>
    </span>
  );
}

export function AppointmentStatusBadge({ status }: { status: AppointmentStatus }) {
  return (
    <span className={`badge ${APPOINTMENT_STATUS_TONES[status]}`.trim()}>{APPOINTMENT_STATUS_LABELS[status]}</span>
  );
}

export function ProjectStatusBadge({ status }: { status: ProjectStatus }) {
  return <span className={`badge ${PROJECT_STATUS_TONES[status]}`.trim()}>{PROJECT_STATUS_LABELS[status]}</span>;
}

/** Conflicts the server found (double booking, certification): the write happened, the dispatcher is told. */
export function ScheduleWarnings({
  warnings,
  title,
  role,
}: {
  warnings: readonly ScheduleWarning[];
  title?: string;
  /** "alert" right after a write (announced); nothing for warnings that are part of the page. */
  role?: "alert";
}) {
  if (warnings.length === 0) return null;
  return (
    <div className="alert alert-warning job-warnings" role={role}>
      {title ? <p className="alert-title">{title}</p> : null}
      <ul>
        {warnings.map((warning) => (
          <li key={`${warning.code}-${warning.technicianId}-${warning.appointmentId ?? warning.unitId ?? ""}`}>
            <strong>{warning.code === "DOUBLE_BOOKED" ? "Double-booked: " : "Certification: "}</strong>
            {warning.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
