/**
 * The jobs table of the jobs list and a project's page: number and work, status and urgency, site,
 * next visit and who is on it. A card per job on phones (`.table-stack`).
 */
import { Link } from "react-router";
import type { JobSummary } from "../../../worker/field/shapes";
import { JobStatusBadge, PriorityBadge } from "./badges";
import { formatShortDateTime, joinNames } from "./labels";

/** What a row shows, computed by the loader (technician names, the next visit in the org's zone). */
export function toJobRow(job: JobSummary, names: ReadonlyMap<string, string>, meId: string, timeZone: string) {
  return {
    id: job.id,
    label: job.label,
    description: job.description,
    status: job.status,
    priority: job.priority,
    customer: job.customer,
    location: job.location,
    project: job.project,
    next: job.nextAppointmentAt
      ? { at: job.nextAppointmentAt, text: formatShortDateTime(job.nextAppointmentAt, timeZone) }
      : null,
    technicians: job.technicianIds.map((id) => (id === meId ? "You" : (names.get(id) ?? "A technician"))),
  };
}
export type JobRow = ReturnType<typeof toJobRow>;

export function JobTable({
  orgId,
  jobs,
  caption,
  showProject = true,
}: {
  orgId: string;
  jobs: readonly JobRow[];
  caption: string;
  showProject?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="table table-stack job-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Customer · site</th>
            <th scope="col">Next visit</th>
            <th scope="col">Technicians</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id}>
              <th scope="row" data-label="Job">
                <span className="job-cell-main">
                  <Link to={`/o/${orgId}/jobs/${job.id}`} className="job-link">
                    <span className="job-number">{job.label}</span>
                    <span className="job-description">{job.description}</span>
                  </Link>
                  {showProject && job.project ? (
                    <span className="job-sub">
                      Project: <Link to={`/o/${orgId}/projects/${job.project.id}`}>{job.project.name}</Link>
                    </span>
                  ) : null}
                </span>
              </th>
              <td data-label="Status">
                <span className="cluster job-badges">
                  <JobStatusBadge status={job.status} />
                  {job.priority === "HIGH" || job.priority === "EMERGENCY" ? (
                    <PriorityBadge priority={job.priority} />
                  ) : null}
                </span>
              </td>
              <td data-label="Site">
                <span>
                  {job.customer.name}
                  <span className="job-sub">
                    {job.location.name} · {job.location.street}, {job.location.city}
                  </span>
                </span>
              </td>
              <td data-label="Next visit">
                {job.next ? (
                  <time dateTime={job.next.at}>{job.next.text}</time>
                ) : (
                  <span className="muted">None scheduled</span>
                )}
              </td>
              <td data-label="Technicians">
                {job.technicians.length > 0 ? joinNames(job.technicians) : <span className="muted">Unassigned</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
