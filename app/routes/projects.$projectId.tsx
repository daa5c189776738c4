/**
 * One project: its rolled-up status and progress, its jobs, and the dispatcher's edit, cancel and
 * reopen. New jobs join it through the jobs page's form (prefilled with ?projectId=).
 */
import { Form, Link, redirect } from "react-router";
import { customerChoices } from "../../worker/customers/service";
import { todayIn } from "../../worker/cylinders/rules";
import { getProject, updateProject } from "../../worker/jobs/projects";
import { ProjectPatchInput } from "../../worker/jobs/schemas";
import type { Permission } from "../../worker/policy/permissions";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton } from "../components/form";
import { ProjectStatusBadge } from "../components/jobs/badges";
import { JobTable, toJobRow } from "../components/jobs/JobTable";
import { formatDueDate } from "../components/jobs/labels";
import { PROJECT_FIELD_NAMES, ProgressBar, ProjectFields } from "../components/jobs/ProjectFields";
import { technicianNames } from "../components/jobs/technicians.server";
import { friendlyErrors } from "../components/organization/errors";
import { ConfirmPanel, PanelHeading } from "../components/organization/panel";
import { asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/jobs/jobs.css";
import type { Route } from "./+types/projects.$projectId";

const NOTICES: Record<string, string> = {
  created: "Project created. Add its jobs with “New job in this project”.",
  saved: "Changes saved.",
  canceled: "Project canceled.",
  reopened: "Project reopened: its status follows its jobs again.",
};

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "jobs:manage");
  const url = new URL(request.url);
  const project = await asPageError(() => getProject(scope, params.projectId));
  const wanted = url.searchParams.get("panel");
  const panel = wanted === "edit" ? "edit" : wanted === "cancel" && project.status !== "CANCELED" ? "cancel" : null;
  const [names, customers] = await Promise.all([
    technicianNames(
      scope,
      project.jobs.flatMap((job) => job.technicianIds),
    ),
    panel === "edit" ? customerChoices(scope) : Promise.resolve([]),
  ]);
  const today = todayIn(scope.org.timeZone);
  const active = project.status === "OPEN" || project.status === "IN_PROGRESS";
  return {
    orgId: scope.org.id,
    project: {
      id: project.id,
      name: project.name,
      description: project.description,
      status: project.status,
      customer: project.customer,
      dueDate: project.dueDate,
      due: project.dueDate ? formatDueDate(project.dueDate) : null,
      overdue: Boolean(project.dueDate && project.dueDate < today) && active,
      jobCounts: project.jobCounts,
    },
    jobs: project.jobs.map((job) => toJobRow(job, names, scope.user.id, scope.org.timeZone)),
    customers,
    panel,
    notice: [...url.searchParams.keys()].map((key) => NOTICES[key]).find(Boolean) ?? null,
  };
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.project.name} · Projects · RefriTrak` : "Project · RefriTrak" },
];

const INTENT_PERMISSION: Record<string, Permission> = {
  edit: "jobs:manage",
  cancel: "jobs:manage",
  reopen: "jobs:manage",
};

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, INTENT_PERMISSION);
  const id = params.projectId;
  const page = `/o/${scope.org.id}/projects/${id}`;
  let body: Record<string, unknown>;
  if (intent === "edit") {
    const { intent: _intent, ...form } = formObject(formData, { keepEmpty: ["description", "customerId", "dueDate"] });
    body = { ...form };
    // Emptied optional fields clear the value.
    for (const key of ["description", "customerId", "dueDate"]) if (body[key] === "") body[key] = null;
  } else {
    body = { status: intent === "cancel" ? "CANCELED" : "OPEN" };
  }
  const result = await formAction(body, ProjectPatchInput, (input) => updateProject(scope, id, input));
  if (!("result" in result)) return result;
  const notice = intent === "edit" ? "saved" : intent === "cancel" ? "canceled" : "reopened";
  throw redirect(`${page}?${notice}=1`);
}

export default function ProjectPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, project, jobs, panel, notice } = loaderData;
  const page = `/o/${orgId}/projects/${project.id}`;
  const canAddJobs = project.status !== "CANCELED";
  return (
    <div className="page stack">
      <nav aria-label="Breadcrumb" className="small">
        <Link to={`/o/${orgId}/projects`}>← Projects</Link>
      </nav>
      <header className="page-header">
        <div>
          <p className="eyebrow">Project</p>
          <h1 className="page-title job-title">{project.name}</h1>
          <div className="cluster job-header-badges">
            <ProjectStatusBadge status={project.status} />
            {project.due ? (
              <span className={project.overdue ? "badge badge-red" : "badge"}>
                {project.overdue ? "Overdue · due " : "Due "}
                <time dateTime={project.dueDate ?? undefined}>{project.due}</time>
              </span>
            ) : null}
          </div>
          <p className="job-site">
            {project.customer ? (
              <Link to={`/o/${orgId}/customers/${project.customer.id}`}>
                <strong>{project.customer.name}</strong>
              </Link>
            ) : (
              <span className="muted">Jobs of any customer</span>
            )}
          </p>
        </div>
        {canAddJobs ? (
          <Link className="button button-primary" to={`/o/${orgId}/jobs?new=1&projectId=${project.id}`}>
            New job in this project
          </Link>
        ) : null}
      </header>

      <div role="status" className="job-notice">
        {notice ? <p className="alert alert-success">{notice}</p> : null}
      </div>
      {panel === null ? <FormErrors error={actionErrorOf(actionData)} /> : null}

      <section className="card stack-sm" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <ProgressBar counts={project.jobCounts} />
        <p className="muted small">
          {project.status === "CANCELED"
            ? "Canceled by hand: it stays canceled until reopened."
            : project.status === "COMPLETED"
              ? "Completed: its last open job was completed."
              : "Completes by itself when its last open job is completed."}
        </p>
        {project.description ? <p className="job-note-body">{project.description}</p> : null}
      </section>

      <section className="stack-sm" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        {jobs.length === 0 ? (
          <div className="empty-state">
            <p>No jobs in this project yet.</p>
          </div>
        ) : (
          <JobTable orgId={orgId} jobs={jobs} caption={`Jobs of ${project.name}`} showProject={false} />
        )}
      </section>

      <section className="card stack" aria-labelledby="manage-heading">
        <h2 id="manage-heading">Manage</h2>
        {panel === "edit" ? (
          <section className="stack job-panel" aria-labelledby="edit-heading">
            <PanelHeading id="edit-heading">Edit {project.name}</PanelHeading>
            <FormErrors error={actionErrorOf(actionData)} shownFields={PROJECT_FIELD_NAMES} />
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="edit" />
              <ProjectFields
                customers={loaderData.customers}
                errors={friendlyErrors(fieldErrorsOf(actionData))}
                values={{
                  name: project.name,
                  description: project.description,
                  customerId: project.customer?.id ?? null,
                  dueDate: project.dueDate,
                }}
              />
              <div className="form-actions">
                <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
                <Link className="button button-secondary" to={page}>
                  Cancel
                </Link>
              </div>
            </Form>
          </section>
        ) : null}
        {panel === "cancel" ? (
          <ConfirmPanel
            id="cancel-heading"
            title={`Cancel ${project.name}?`}
            intent="cancel"
            action="Cancel project"
            close={page}
            actionData={actionData}
            className="job-panel job-danger"
            pendingLabel="Canceling…"
          >
            The project is marked canceled and takes no new jobs. Its jobs are not changed: cancel them one by one if
            the work is off.
          </ConfirmPanel>
        ) : null}
        {panel === null ? (
          <div className="cluster job-manage-actions">
            <Link className="button button-secondary" to={`${page}?panel=edit`}>
              Edit project
            </Link>
            {project.status === "CANCELED" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="reopen" />
                <SubmitButton variant="secondary" pendingLabel="Reopening…">
                  Reopen project
                </SubmitButton>
              </Form>
            ) : (
              <Link className="button button-secondary" to={`${page}?panel=cancel`}>
                Cancel project
              </Link>
            )}
          </div>
        ) : null}
      </section>
    </div>
  );
}
