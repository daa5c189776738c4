/**
 * Jobs (work orders): the list with status, priority and search filters (in the URL, so a filtered
 * list can be shared and survives a reload), and for dispatchers the "New job" form. A technician's
 * list holds only the jobs assigned to them (the service filters).
 */
import { Form, Link, redirect, useNavigation } from "react-router";
import { JOB_PRIORITIES } from "../../db/schema";
import { customerChoices } from "../../worker/customers/service";
import { listProjects } from "../../worker/jobs/projects";
import { JobCreateInput, JobListQuery } from "../../worker/jobs/schemas";
import { createJob, listJobs } from "../../worker/jobs/service";
import { can } from "../../worker/policy/permissions";
import { listUnits, locationChoices } from "../../worker/units/service";
import { actionErrorOf, FilterSelect, FormErrors, fieldErrorsOf, SubmitButton } from "../components/form";
import { JOB_FIELD_NAMES, JobDetailFields, listField, SitePicker } from "../components/jobs/JobFields";
import { JobTable, toJobRow } from "../components/jobs/JobTable";
import { JOB_STATUS_FILTERS, type JobPriority, PRIORITY_LABELS } from "../components/jobs/labels";
import { technicianNames } from "../components/jobs/technicians.server";
import { friendlyErrors } from "../components/organization/errors";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/jobs/jobs.css";
import type { Route } from "./+types/jobs";

const LIST_LIMIT = 500;

type Filter = {
  status: NonNullable<JobListQuery["status"]>;
  priority?: JobPriority;
  q?: string;
  customerId?: string;
  projectId?: string;
};

/** Open work unless asked otherwise; unreadable parameters are ignored rather than refused. */
function readFilter(url: URL): Filter {
  const parsed = JobListQuery.pick({ status: true, q: true, customerId: true, projectId: true }).safeParse(
    Object.fromEntries(
      ["status", "q", "customerId", "projectId"].flatMap((key) => {
        const value = url.searchParams.get(key);
        return value ? [[key, value]] : [];
      }),
    ),
  );
  const priority = url.searchParams.get("priority");
  const filter = parsed.success ? parsed.data : {};
  return {
    status: filter.status ?? "OPEN",
    q: filter.q || undefined,
    customerId: filter.customerId,
    projectId: filter.projectId,
    priority: JOB_PRIORITIES.includes(priority as JobPriority) ? (priority as JobPriority) : undefined,
  };
}

function listHref(orgId: string, filter: Partial<Filter>, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value && !(key === "status" && value === "OPEN")) params.set(key, String(value));
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return `/o/${orgId}/jobs${query ? `?${query}` : ""}`;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "jobs:view");
  const { actor, org } = scope;
  const url = new URL(request.url);
  const filter = readFilter(url);
  const canCreate = can(actor, "jobs:manage", org.id);
  const creating = canCreate && url.searchParams.has("new");
  const [all, projects] = await Promise.all([
    asPageError(() =>
      listJobs(scope, {
        status: filter.status,
        q: filter.q,
        customerId: filter.customerId,
        projectId: filter.projectId,
        limit: LIST_LIMIT,
      }),
    ),
    canCreate ? listProjects(scope, { status: "ALL" }) : Promise.resolve([]),
  ]);
  // The API lists by status, project, customer and words; priority narrows what it answered.
  const jobs = filter.priority ? all.filter((job) => job.priority === filter.priority) : all;
  const [names, customers, locations, unitList] = await Promise.all([
    technicianNames(
      scope,
      jobs.flatMap((job) => job.technicianIds),
    ),
    creating || canCreate ? customerChoices(scope) : Promise.resolve([]),
    creating ? locationChoices(scope) : Promise.resolve([]),
    creating ? listUnits(scope, { status: "ACTIVE", limit: 500 }) : Promise.resolve({ units: [], truncated: false }),
  ]);
  // Visits are read in the org's zone, as on the schedule board and the job page.
  const tz = org.timeZone;
  const openProjects = projects.filter((project) => project.status !== "CANCELED" && project.status !== "COMPLETED");
  const prefillProject = projects.find((project) => project.id === url.searchParams.get("projectId"));
  const filterProject = projects.find((project) => project.id === filter.projectId);
  const filterCustomer = customers.find((customer) => customer.id === filter.customerId);
  return {
    orgId: org.id,
    meId: scope.user.id,
    filter,
    canCreate,
    creating,
    truncated: all.length >= LIST_LIMIT,
    deleted: url.searchParams.has("deleted"),
    scopeName: filterProject?.name ?? filterCustomer?.name ?? null,
    jobs: jobs.map((job) => toJobRow(job, names, scope.user.id, tz)),
    customers,
    projectFilterOptions: projects.map((project) => ({ value: project.id, label: project.name })),
    form: creating
      ? {
          customers,
          locations,
          units: unitList.units.map((unit) => ({
            id: unit.id,
            name: unit.name,
            locationId: unit.location.id,
            refrigerant: unit.refrigerant,
            category: unit.category,
          })),
          projects: openProjects.map((project) => ({
            id: project.id,
            name: project.customer ? `${project.name} (${project.customer.name})` : project.name,
            customerId: project.customer?.id ?? null,
          })),
          initial: {
            projectId: prefillProject && openProjects.includes(prefillProject) ? prefillProject.id : undefined,
            customerId: prefillProject?.customer?.id ?? url.searchParams.get("customerId") ?? undefined,
            locationId: url.searchParams.get("locationId") ?? undefined,
          },
        }
      : null,
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "jobs:manage");
  const form = formObject(await request.formData());
  const body: Record<string, unknown> = { ...form, unitIds: listField(form.unitIds) };
  const result = await formAction(body, JobCreateInput, (input) => createJob(scope, input));
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/jobs/${result.result.id}?created=1`);
}

export const meta: Route.MetaFunction = () => [{ title: "Jobs · RefriTrak" }];

export default function Jobs({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, filter, canCreate, creating, jobs, truncated, scopeName } = loaderData;
  const filtered = Boolean(
    filter.q || filter.priority || filter.customerId || filter.projectId || filter.status !== "OPEN",
  );
  const statusWord = filter.status === "OPEN" ? "open " : "";
  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <h1 className="page-title">Jobs</h1>
          <p className="lede">
            {canCreate
              ? "Work orders: where, what, how urgent, and who is on it."
              : "The jobs you are assigned to, with their next visit."}
          </p>
        </div>
        {canCreate && !creating ? (
          <Link
            className="button button-primary"
            to={listHref(orgId, filter, {
              new: "1",
              ...(filter.projectId ? { projectId: filter.projectId } : {}),
              ...(filter.customerId ? { customerId: filter.customerId } : {}),
            })}
          >
            New job
          </Link>
        ) : null}
      </header>

      <div role="status" className="job-notice">
        {loaderData.deleted ? <p className="alert alert-success">Job deleted.</p> : null}
      </div>

      {creating && loaderData.form ? (
        <NewJobPanel form={loaderData.form} actionData={actionData} close={listHref(orgId, filter)} />
      ) : (
        <>
          <Form method="get" className="job-filters" aria-label="Filter jobs">
            {filter.customerId ? <input type="hidden" name="customerId" value={filter.customerId} /> : null}
            {filter.projectId ? <input type="hidden" name="projectId" value={filter.projectId} /> : null}
            <div className="field job-filter-search">
              <label className="field-label" htmlFor="filter-q">
                Search
              </label>
              <input
                id="filter-q"
                name="q"
                type="search"
                className="input"
                defaultValue={filter.q ?? ""}
                key={filter.q}
                placeholder="J-1001, customer, site, street, work…"
                autoComplete="off"
                enterKeyHint="search"
              />
            </div>
            <FilterSelect
              id="filter-status"
              name="status"
              label="Status"
              value={filter.status}
              options={JOB_STATUS_FILTERS.map((option) => ({ ...option }))}
            />
            <FilterSelect
              id="filter-priority"
              name="priority"
              label="Priority"
              value={filter.priority}
              all="Any priority"
              options={JOB_PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }))}
            />
            <div className="job-filter-actions">
              <button type="submit" className="button button-secondary">
                Apply
              </button>
              {filtered ? <Link to={`/o/${orgId}/jobs`}>Clear filters</Link> : null}
            </div>
          </Form>

          <p className="muted small" role="status">
            {jobs.length === 1 ? `1 ${statusWord}job` : `${jobs.length} ${statusWord}jobs`}
            {scopeName ? ` · ${scopeName}` : ""}
            {truncated ? " shown — more match: narrow the filters or search." : ""}
          </p>

          {jobs.length === 0 ? (
            <div className="empty-state">
              <p>
                {filtered
                  ? "No jobs match these filters."
                  : canCreate
                    ? "No open jobs. New work orders appear here."
                    : "No open jobs assigned to you."}
              </p>
            </div>
          ) : (
            <JobTable orgId={orgId} jobs={jobs} caption="Jobs, newest first" />
          )}
        </>
      )}
    </div>
  );
}

type LoaderData = Route.ComponentProps["loaderData"];

function NewJobPanel({
  form,
  actionData,
  close,
}: {
  form: NonNullable<LoaderData["form"]>;
  actionData: unknown;
  close: string;
}) {
  const navigation = useNavigation();
  const errors = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="card stack job-new" aria-labelledby="new-job-heading">
      <h2 id="new-job-heading">New job</h2>
      <FormErrors error={actionErrorOf(actionData)} shownFields={JOB_FIELD_NAMES} />
      {form.customers.length === 0 ? (
        <p className="alert alert-info">Add a customer with a location first: a job happens at a customer's site.</p>
      ) : null}
      <Form method="post" className="form">
        <SitePicker
          customers={form.customers}
          locations={form.locations}
          units={form.units}
          errors={errors}
          initial={form.initial}
        />
        <JobDetailFields projects={form.projects} errors={errors} values={{ projectId: form.initial.projectId }} />
        <div className="form-actions">
          <SubmitButton pending={navigation.state === "submitting"} pendingLabel="Creating…">
            Create job
          </SubmitButton>
          <Link className="button button-secondary" to={close}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
