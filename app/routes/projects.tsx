/**
 * Projects: groups of jobs with a rolled-up status (complete when the last open job completes).
 * Dispatchers see them with their progress and create new ones here.
 */
import { Form, Link, redirect } from "react-router";
import { customerChoices } from "../../worker/customers/service";
import { todayIn } from "../../worker/cylinders/rules";
import { createProject, listProjects } from "../../worker/jobs/projects";
import { ProjectCreateInput } from "../../worker/jobs/schemas";
import { actionErrorOf, FilterSelect, FormErrors, fieldErrorsOf, SubmitButton } from "../components/form";
import { ProjectStatusBadge } from "../components/jobs/badges";
import { formatDueDate, PROJECT_STATUS_LABELS, type ProjectStatus } from "../components/jobs/labels";
import { PROJECT_FIELD_NAMES, ProgressBar, ProjectFields } from "../components/jobs/ProjectFields";
import { friendlyErrors } from "../components/organization/errors";
import { formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/jobs/jobs.css";
import type { Route } from "./+types/projects";

/** "ACTIVE" (open or in progress) is this page's default; the API filters one status at a time. */
const FILTERS = ["ACTIVE", "OPEN", "IN_PROGRESS", "COMPLETED", "CANCELED", "ALL"] as const;
type StatusFilter = (typeof FILTERS)[number];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "jobs:manage");
  const url = new URL(request.url);
  const wanted = url.searchParams.get("status");
  const status: StatusFilter = FILTERS.includes(wanted as StatusFilter) ? (wanted as StatusFilter) : "ACTIVE";
  const creating = url.searchParams.has("new");
  const [all, customers] = await Promise.all([
    listProjects(scope, { status: status === "ACTIVE" ? "ALL" : status }),
    creating ? customerChoices(scope) : Promise.resolve([]),
  ]);
  const projects =
    status === "ACTIVE" ? all.filter((project) => project.status === "OPEN" || project.status === "IN_PROGRESS") : all;
  const today = todayIn(scope.org.timeZone);
  return {
    orgId: scope.org.id,
    status,
    creating,
    customers,
    projects: projects.map((project) => ({
      ...project,
      due: project.dueDate ? formatDueDate(project.dueDate) : null,
      overdue:
        Boolean(project.dueDate && project.dueDate < today) &&
        (project.status === "OPEN" || project.status === "IN_PROGRESS"),
    })),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "jobs:manage");
  const form = formObject(await request.formData());
  const result = await formAction(form, ProjectCreateInput, (input) => createProject(scope, input));
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/projects/${result.result.id}?created=1`);
}

export const meta: Route.MetaFunction = () => [{ title: "Projects · RefriTrak" }];

export default function Projects({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, status, creating, projects } = loaderData;
  const errors = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <h1 className="page-title">Projects</h1>
          <p className="lede">Jobs that belong together, such as a retrofit or a maintenance contract.</p>
        </div>
        {!creating ? (
          <Link className="button button-primary" to={`/o/${orgId}/projects?new=1`}>
            New project
          </Link>
        ) : null}
      </header>

      {creating ? (
        <section className="card stack" aria-labelledby="new-project-heading">
          <h2 id="new-project-heading">New project</h2>
          <FormErrors error={actionErrorOf(actionData)} shownFields={PROJECT_FIELD_NAMES} />
          <Form method="post" className="form">
            <ProjectFields customers={loaderData.customers} errors={errors} />
            <div className="form-actions">
              <SubmitButton pendingLabel="Creating…">Create project</SubmitButton>
              <Link className="button button-secondary" to={`/o/${orgId}/projects`}>
                Cancel
              </Link>
            </div>
          </Form>
        </section>
      ) : (
        <>
          <Form method="get" className="job-filters project-filters" aria-label="Filter projects">
            <FilterSelect
              id="filter-status"
              name="status"
              label="Status"
              value={status}
              options={FILTERS.map((value) => ({
                value,
                label:
                  value === "ACTIVE"
                    ? "Open or in progress"
                    : value === "ALL"
                      ? "All"
                      : PROJECT_STATUS_LABELS[value as ProjectStatus],
              }))}
            />
            <div className="job-filter-actions">
              <button type="submit" className="button button-secondary">
                Apply
              </button>
            </div>
          </Form>

          <p className="muted small" role="status">
            {projects.length === 1 ? "1 project" : `${projects.length} projects`}
          </p>

          {projects.length === 0 ? (
            <div className="empty-state">
              <p>
                {status === "ACTIVE"
                  ? "No open projects. Create one to group the jobs of a retrofit or a contract."
                  : "No projects with this status."}
              </p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table table-stack">
                <caption className="visually-hidden">Projects, open ones first, by due date</caption>
                <thead>
                  <tr>
                    <th scope="col">Project</th>
                    <th scope="col">Status</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Due</th>
                    <th scope="col">Jobs</th>
                  </tr>
                </thead>
                <tbody>
                  {projects.map((project) => (
                    <tr key={project.id}>
                      <th scope="row" data-label="Project">
                        <span className="job-cell-main">
                          <Link to={`/o/${orgId}/projects/${project.id}`} className="project-name">
                            {project.name}
                          </Link>
                          {project.description ? (
                            <span className="job-sub project-description">{project.description}</span>
                          ) : null}
                        </span>
                      </th>
                      <td data-label="Status">
                        <ProjectStatusBadge status={project.status} />
                      </td>
                      <td data-label="Customer">
                        {project.customer ? project.customer.name : <span className="muted">Several / none</span>}
                      </td>
                      <td data-label="Due">
                        {project.due ? (
                          <span className={project.overdue ? "badge badge-red" : undefined}>
                            {project.overdue ? "Overdue · " : ""}
                            <time dateTime={project.dueDate ?? undefined}>{project.due}</time>
                          </span>
                        ) : (
                          <span className="muted">No due date</span>
                        )}
                      </td>
                      <td data-label="Jobs">
                        <ProgressBar counts={project.jobCounts} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
