/**
 * The unassigned-jobs tray: open jobs no open appointment holds, most urgent first. Each card is
 * draggable onto the board and has an Assign button that opens the picking dialog (keyboard and
 * phone users' way).
 */
import { Link } from "react-router";
import type { JobSummary } from "../../../worker/field/shapes";
import { PRIORITY_LABELS, PRIORITY_TONES } from "../jobs/labels";
import { type DragRef, startDrag } from "./drag";

export function JobTray({
  orgId,
  jobs,
  canManage,
  drag,
  onAssign,
}: {
  orgId: string;
  jobs: JobSummary[];
  canManage: boolean;
  drag: DragRef;
  onAssign: (job: JobSummary) => void;
}) {
  return (
    <section className="sched-tray card" aria-labelledby="tray-title">
      <div className="sched-tray-head">
        <h2 id="tray-title" className="card-title">
          Unassigned jobs
        </h2>
        <span className="badge" data-testid="tray-count">
          {jobs.length}
        </span>
      </div>
      {canManage && jobs.length > 0 ? (
        <p className="muted small sched-tray-hint">Drag a job onto a technician's row, or choose Assign.</p>
      ) : null}
      {jobs.length === 0 ? (
        <p className="muted small">Every open job has an appointment.</p>
      ) : (
        <ul className="sched-tray-list">
          {jobs.map((job) => (
            <li
              key={job.id}
              className={`sched-tray-job priority-${job.priority.toLowerCase()}`}
              draggable={canManage}
              data-job-id={job.id}
              onDragStart={(event) => {
                drag.current = { kind: "job", jobId: job.id, label: job.label };
                startDrag(event, job.label);
              }}
              onDragEnd={() => {
                drag.current = null;
              }}
            >
              <div className="sched-tray-job-head">
                <Link to={`/o/${orgId}/jobs/${job.id}`} className="sched-tray-label" draggable={false}>
                  {job.label}
                </Link>
                {job.priority !== "NORMAL" ? (
                  <span className={`badge ${PRIORITY_TONES[job.priority]}`}>{PRIORITY_LABELS[job.priority]}</span>
                ) : null}
                {job.status !== "PENDING" ? <span className="badge">Needs a new visit</span> : null}
              </div>
              <p className="sched-tray-customer">
                <strong>{job.customer.name}</strong>
                <span className="muted"> · {job.location.city}</span>
              </p>
              <p className="sched-tray-desc">{job.description}</p>
              {job.project ? <p className="muted small">Project: {job.project.name}</p> : null}
              {canManage ? (
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => onAssign(job)}
                  aria-label={`Assign ${job.label}`}
                >
                  Assign…
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
