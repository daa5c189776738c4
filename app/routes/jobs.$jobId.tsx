/**
 * One job: where and what (header), its units, its appointments (dispatchers add and cancel them;
 * an assigned technician goes on the way, starts and completes from here), its notes, the
 * refrigerant transfers recorded against it, and the manager's edit / complete / cancel / reopen
 * and the admin's delete. Every write answers through the same services as the API; scheduling
 * warnings (double booking, certification) come back from the write and are shown, not blocking.
 */
import type { ReactNode } from "react";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import {
  AppointmentCancelInput,
  AppointmentCompleteInput,
  AppointmentCreateInput,
  AppointmentProgressInput,
} from "../../worker/appointments/schemas";
import {
  cancelAppointment,
  completeAppointment,
  createAppointment,
  markEnRoute,
  startAppointment,
} from "../../worker/appointments/service";
import type { Appointment } from "../../worker/field/shapes";
import { zodFields } from "../../worker/http/errors";
import { listProjects } from "../../worker/jobs/projects";
import { JobNoteInput, JobPatchInput } from "../../worker/jobs/schemas";
import { addJobNote, deleteJob, getJob, updateJob } from "../../worker/jobs/service";
import { can, type Permission } from "../../worker/policy/permissions";
import { instantToZonedLocal, nextDay, zonedLocalToInstant } from "../../worker/transfers/dates";
import { listUnits } from "../../worker/units/service";
import { describeTimeZone, formatDateTime } from "../components/datetime";
import {
  actionErrorOf,
  CheckboxField,
  FormErrors,
  fieldErrorsOf,
  SubmitButton,
  TextAreaField,
} from "../components/form";
import { AppointmentForm } from "../components/jobs/AppointmentForm";
import { AppointmentStatusBadge, JobStatusBadge, PriorityBadge, ScheduleWarnings } from "../components/jobs/badges";
import { JOB_FIELD_NAMES, JobDetailFields, listField, UnitPicker } from "../components/jobs/JobFields";
import { formatAppointmentTime, formatDuration, joinNames } from "../components/jobs/labels";
import { technicianChoices } from "../components/jobs/technicians.server";
import { friendlyErrors } from "../components/organization/errors";
import { ConfirmPanel, PanelHeading } from "../components/organization/panel";
import {
  formatLb,
  KIND_LABELS,
  STATUS_LABELS as TRANSFER_STATUS_LABELS,
  STATUS_TONES as TRANSFER_STATUS_TONES,
  type TransferKind,
  type TransferStatus,
} from "../components/transfers/format";
import { CATEGORY_LABELS, CERTIFICATION_LABELS, type UnitCategory } from "../components/units/labels";
import { type ActionError, asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/jobs/jobs.css";
import type { Route } from "./+types/jobs.$jobId";

const NOTICES: Record<string, string> = {
  created: "Job created. Add an appointment to put a technician on it.",
  saved: "Changes saved.",
  completed: "Job completed.",
  canceled: "Job canceled. Its open appointments were canceled with it.",
  reopened: "Job reopened.",
  noted: "Note added.",
  "appointment-canceled": "Appointment canceled.",
  "en-route": "Marked on your way. The office can see it.",
  started: "Visit started: the job is in progress.",
  "visit-completed": "Visit completed.",
};

type Panel =
  | { kind: "edit" | "cancel" | "delete" | "appointment" }
  | { kind: "cancel-appointment" | "complete-visit"; appointmentId: string };

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "jobs:view");
  const { actor, org, user } = scope;
  const url = new URL(request.url);
  const job = await asPageError(() => getJob(scope, params.jobId));
  const open = job.status !== "COMPLETED" && job.status !== "CANCELED";
  const allowed = {
    manage: can(actor, "jobs:manage", org.id),
    note: can(actor, "jobnotes:create", org.id),
    delete: can(actor, "records:delete", org.id),
    work: can(actor, "appointments:work-own", org.id),
    recordTransfer: can(actor, "transfers:record", org.id),
  };
  const mine = (appointment: Appointment) => appointment.technicians.some((tech) => tech.id === user.id);
  const panel = ((): Panel | null => {
    const wanted = url.searchParams.get("panel");
    const appointmentId = url.searchParams.get("appointment") ?? "";
    const appointment = job.appointments.find((item) => item.id === appointmentId);
    if (wanted === "edit" && allowed.manage) return { kind: "edit" };
    if (wanted === "cancel" && allowed.manage && open) return { kind: "cancel" };
    if (wanted === "delete" && allowed.delete) return { kind: "delete" };
    if (wanted === "appointment" && allowed.manage && open) return { kind: "appointment" };
    if (wanted === "cancel-appointment" && allowed.manage && appointment && isOpenAppointment(appointment))
      return { kind: "cancel-appointment", appointmentId };
    if (wanted === "complete-visit" && allowed.work && appointment?.status === "IN_PROGRESS" && mine(appointment))
      return { kind: "complete-visit", appointmentId };
    return null;
  })();

  const tz = org.timeZone;
  const [technicians, projects, unitList] = await Promise.all([
    panel?.kind === "appointment" ? technicianChoices(scope) : Promise.resolve([]),
    panel?.kind === "edit" ? listProjects(scope, { status: "ALL" }) : Promise.resolve([]),
    panel?.kind === "edit"
      ? listUnits(scope, { locationId: job.location.id, limit: 500 })
      : Promise.resolve({ units: [], truncated: false }),
  ]);
  const unitNames = new Map(job.units.map((unit) => [unit.id, unit.name]));
  return {
    orgId: org.id,
    meId: user.id,
    job: {
      id: job.id,
      label: job.label,
      description: job.description,
      status: job.status,
      priority: job.priority,
      customer: job.customer,
      location: job.location,
      project: job.project,
      closedNote:
        job.status === "COMPLETED" && job.completedAt
          ? `Completed ${formatDateTime(job.completedAt, user.timeZone)}.`
          : job.status === "CANCELED"
            ? `Canceled${job.canceledAt ? ` ${formatDateTime(job.canceledAt, user.timeZone)}` : ""}${job.cancelReason ? `: ${job.cancelReason}` : "."}`
            : null,
      open,
      unitIds: job.unitIds,
    },
    units: job.units,
    appointments: job.appointments.map((appointment) => ({
      id: appointment.id,
      status: appointment.status,
      when: formatAppointmentTime(appointment.startsAt, appointment.endsAt, tz),
      startsAt: appointment.startsAt,
      duration: formatDuration(appointment.durationMinutes),
      technicians: appointment.technicians,
      note: appointment.note,
      progress: appointmentProgress(appointment, tz),
      // For dispatchers (who can act on them); the appointment just scheduled has them at the top, once.
      warnings:
        allowed.manage && isOpenAppointment(appointment) && appointment.id !== url.searchParams.get("scheduled")
          ? appointment.warnings
          : [],
      mine: mine(appointment),
      open: isOpenAppointment(appointment),
    })),
    notes: job.notes.map((note) => ({ ...note, when: formatDateTime(note.createdAt, user.timeZone) })),
    transfers: job.transfers.map((transfer) => ({
      ...transfer,
      when: formatDateTime(transfer.performedAt, user.timeZone),
      unitName: transfer.unitId ? (unitNames.get(transfer.unitId) ?? null) : null,
    })),
    timeZoneLabel: `Times in ${describeTimeZone(tz)}`,
    appointmentDefaults: appointmentDefaults(tz),
    technicians,
    editForm:
      panel?.kind === "edit"
        ? {
            projects: projects
              .filter(
                (project) =>
                  project.id === job.project?.id ||
                  (project.status !== "CANCELED" &&
                    project.status !== "COMPLETED" &&
                    (!project.customer || project.customer.id === job.customer.id)),
              )
              .map((project) => ({ id: project.id, name: project.name, customerId: project.customer?.id ?? null })),
            units: unitList.units
              .filter((unit) => unit.status === "ACTIVE" || job.unitIds.includes(unit.id))
              .map((unit) => ({
                id: unit.id,
                name: unit.name,
                locationId: unit.location.id,
                refrigerant: unit.refrigerant,
                category: unit.category,
              })),
          }
        : null,
    scheduled: (() => {
      const appointment = job.appointments.find((item) => item.id === url.searchParams.get("scheduled"));
      return appointment
        ? {
            when: formatAppointmentTime(appointment.startsAt, appointment.endsAt, tz),
            warnings: appointment.warnings,
          }
        : null;
    })(),
    can: allowed,
    panel,
    notice: [...url.searchParams.keys()].map((key) => NOTICES[key]).find(Boolean) ?? null,
  };
}

const isOpenAppointment = (appointment: { status: string }) =>
  appointment.status === "SCHEDULED" || appointment.status === "EN_ROUTE" || appointment.status === "IN_PROGRESS";

/** What happened on a visit so far, in words with times. */
function appointmentProgress(appointment: Appointment, timeZone: string): string[] {
  const at = (iso: string) => formatDateTime(iso, timeZone);
  const lines: string[] = [];
  if (appointment.enRouteAt) lines.push(`On the way ${at(appointment.enRouteAt)}`);
  if (appointment.startedAt) lines.push(`Started ${at(appointment.startedAt)}`);
  if (appointment.completedAt)
    lines.push(
      `Completed ${at(appointment.completedAt)}${appointment.completionNote ? `: ${appointment.completionNote}` : ""}`,
    );
  if (appointment.canceledAt)
    lines.push(
      `Canceled ${at(appointment.canceledAt)}${appointment.cancelReason ? `: ${appointment.cancelReason}` : ""}`,
    );
  return lines;
}

/** The next full hour today in the org's zone, or 8:00 tomorrow when the working day is over. */
function appointmentDefaults(timeZone: string) {
  const local = instantToZonedLocal(new Date(), timeZone);
  const today = local.slice(0, 10);
  const hour = Number(local.slice(11, 13)) + 1;
  if (hour >= 18) return { date: nextDay(today), time: "08:00" };
  if (hour < 7) return { date: today, time: "08:00" };
  return { date: today, time: `${String(hour).padStart(2, "0")}:00` };
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.job.label} · Jobs · RefriTrak` : "Job · RefriTrak" },
];

const INTENT_PERMISSION: Record<string, Permission> = {
  edit: "jobs:manage",
  complete: "jobs:manage",
  cancel: "jobs:manage",
  reopen: "jobs:manage",
  delete: "records:delete",
  note: "jobnotes:create",
  appointment: "jobs:manage",
  "cancel-appointment": "jobs:manage",
  "en-route": "appointments:work-own",
  start: "appointments:work-own",
  "complete-visit": "appointments:work-own",
};
const NoInput = z.strictObject({});

/** A write's answer: field errors stay on the page; success goes back to the job with a notice. */
function redirectOnSuccess<R extends object>(result: R, to: string): R {
  if ("result" in result) throw redirect(to);
  return result;
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, INTENT_PERMISSION);
  const id = params.jobId;
  const page = `/o/${scope.org.id}/jobs/${id}`;
  const {
    intent: _intent,
    appointmentId: rawAppointmentId,
    ...form
  } = formObject(formData, {
    keepEmpty: ["projectId", "description"],
  });
  const appointmentId = typeof rawAppointmentId === "string" ? rawAppointmentId : "";
  const done = <R extends object>(result: R, notice: string) => redirectOnSuccess(result, `${page}?${notice}=1`);

  switch (intent) {
    case "edit": {
      const body: Record<string, unknown> = { ...form, unitIds: listField(form.unitIds) };
      if (body.projectId === "") body.projectId = null;
      return done(await formAction(body, JobPatchInput, (input) => updateJob(scope, id, input)), "saved");
    }
    case "complete":
      return done(
        await formAction({ status: "COMPLETED" }, JobPatchInput, (input) => updateJob(scope, id, input)),
        "completed",
      );
    case "reopen":
      return done(
        await formAction({ status: "PENDING" }, JobPatchInput, (input) => updateJob(scope, id, input)),
        "reopened",
      );
    case "cancel":
      return done(
        await formAction({ status: "CANCELED", ...form }, JobPatchInput, (input) => updateJob(scope, id, input)),
        "canceled",
      );
    case "delete": {
      const result = await formAction({}, NoInput, () => deleteJob(scope, id));
      if (!("result" in result)) return result;
      throw redirect(`/o/${scope.org.id}/jobs?deleted=1`);
    }
    case "note":
      return done(await formAction(form, JobNoteInput, (input) => addJobNote(scope, id, input)), "noted");
    case "appointment":
      return scheduleAppointment(scope, id, form);
    case "cancel-appointment":
      return done(
        await formAction(form, AppointmentCancelInput, (input) => cancelAppointment(scope, appointmentId, input)),
        "appointment-canceled",
      );
    case "en-route":
      return done(
        await formAction(form, AppointmentProgressInput, (input) => markEnRoute(scope, appointmentId, input)),
        "en-route",
      );
    case "start":
      return done(
        await formAction(form, AppointmentProgressInput, (input) => startAppointment(scope, appointmentId, input)),
        "started",
      );
    default: {
      // complete-visit: the checkbox says whether the job is done (unchecked: a return visit is needed).
      const body = { note: form.note, jobComplete: form.jobComplete === "true" };
      return done(
        await formAction(body, AppointmentCompleteInput, (input) => completeAppointment(scope, appointmentId, input)),
        "visit-completed",
      );
    }
  }
}

/** The day and time typed in the org's zone become the instant the API takes. */
async function scheduleAppointment(
  scope: Awaited<ReturnType<typeof intentAction>>["scope"],
  jobId: string,
  form: Record<string, unknown>,
) {
  const own: Record<string, string[]> = {};
  const date = typeof form.date === "string" ? form.date : "";
  const time = typeof form.time === "string" ? form.time : "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) own.date = ["Choose the day."];
  if (!/^\d{2}:\d{2}$/.test(time)) own.time = ["Choose the start time."];
  const startsAt = own.date || own.time ? null : zonedLocalToInstant(`${date}T${time}`, scope.org.timeZone);
  if (!startsAt && !own.date && !own.time) own.date = ["Not a real date."];
  const input: Record<string, unknown> = {
    jobId,
    startsAt: startsAt?.toISOString(),
    durationMinutes: form.durationMinutes === undefined ? undefined : Number(form.durationMinutes),
    technicianIds: listField(form.technicianIds),
    note: form.note,
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  if (Object.keys(own).length > 0) {
    const parsed = AppointmentCreateInput.safeParse(input);
    const fields = { ...(parsed.success ? {} : zodFields(parsed.error)), ...own };
    delete fields.startsAt;
    return data<ActionError>(
      { ok: false, error: { code: "VALIDATION_FAILED", message: "Some fields are missing or invalid.", fields } },
      { status: 400 },
    );
  }
  const result = await formAction(input, AppointmentCreateInput, (parsed) => createAppointment(scope, parsed));
  if (!("result" in result)) return result;
  // The page reads the new appointment back with its warnings (the same ones the write answered).
  throw redirect(`/o/${scope.org.id}/jobs/${jobId}?scheduled=${encodeURIComponent(result.result.id)}`);
}

type LoaderData = Route.ComponentProps["loaderData"];
type AppointmentView = LoaderData["appointments"][number];

export default function JobPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, job, panel, notice } = loaderData;
  const allowed = loaderData.can;
  const scheduled = loaderData.scheduled;
  // Errors of forms that live outside a panel (buttons on appointments, the note form, complete/reopen).
  const pageError = panel === null ? actionErrorOf(actionData) : undefined;
  const noteError = pageError?.fields?.body ? pageError : undefined;
  return (
    <div className="page stack">
      <nav aria-label="Breadcrumb" className="small">
        <Link to={`/o/${orgId}/jobs`}>← Jobs</Link>
        {job.project ? (
          <>
            {" · "}
            <Link to={`/o/${orgId}/projects/${job.project.id}`}>{job.project.name}</Link>
          </>
        ) : null}
      </nav>
      <header className="page-header">
        <div>
          <p className="eyebrow">Job {job.label}</p>
          <h1 className="page-title job-title">{job.description}</h1>
          <div className="cluster job-header-badges">
            <JobStatusBadge status={job.status} />
            <PriorityBadge priority={job.priority} />
            {job.project ? (
              <Link className="badge badge-teal" to={`/o/${orgId}/projects/${job.project.id}`}>
                Project: {job.project.name}
              </Link>
            ) : null}
          </div>
          <div className="job-site">
            <Link to={`/o/${orgId}/customers/${job.customer.id}`}>
              <strong>{job.customer.name}</strong>
            </Link>
            <address className="muted">
              {job.location.name} · {job.location.street}, {job.location.city}, {job.location.state}
            </address>
          </div>
        </div>
      </header>

      <div role="status" className="job-notice">
        {notice ? <p className="alert alert-success">{notice}</p> : null}
        {scheduled ? (
          <p className="alert alert-success">
            Appointment scheduled for {scheduled.when}.
            {scheduled.warnings.length > 0 ? " It was saved with the warnings below: the schedule marks them too." : ""}
          </p>
        ) : null}
      </div>
      {scheduled ? <ScheduleWarnings warnings={scheduled.warnings} title="Check this assignment" role="alert" /> : null}
      {pageError && !noteError ? <FormErrors error={pageError} /> : null}
      {job.closedNote ? <p className="alert alert-info job-closed">{job.closedNote}</p> : null}

      {panel?.kind === "edit" && loaderData.editForm ? (
        <section aria-label="Edit job">
          <EditPanel loaderData={loaderData} actionData={actionData} />
        </section>
      ) : null}

      <div className="job-layout stack">
        <div className="stack">
          <AppointmentsSection loaderData={loaderData} actionData={actionData} />
          <NotesSection loaderData={loaderData} error={noteError} />
        </div>
        <div className="stack">
          <UnitsSection loaderData={loaderData} />
          <TransfersSection loaderData={loaderData} />
          {allowed.manage || allowed.delete ? <ManageSection loaderData={loaderData} actionData={actionData} /> : null}
        </div>
      </div>
    </div>
  );
}

function SectionHeader({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <div className="job-section-header">
      <h2 id={id}>{title}</h2>
      {children}
    </div>
  );
}

function AppointmentsSection({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { orgId, job, appointments, panel } = loaderData;
  const page = `/o/${orgId}/jobs/${job.id}`;
  const allowed = loaderData.can;
  return (
    <section className="card stack" aria-labelledby="appointments-heading">
      <SectionHeader id="appointments-heading" title="Appointments">
        {allowed.manage && job.open && panel?.kind !== "appointment" ? (
          <Link className="button button-primary button-small" to={`${page}?panel=appointment`}>
            Add appointment
          </Link>
        ) : null}
      </SectionHeader>
      {panel?.kind === "appointment" ? (
        <AppointmentForm
          technicians={loaderData.technicians}
          defaults={loaderData.appointmentDefaults}
          timeZoneLabel={loaderData.timeZoneLabel}
          error={actionErrorOf(actionData)}
          errors={friendlyErrors(fieldErrorsOf(actionData))}
          close={page}
        />
      ) : null}
      {appointments.length === 0 ? (
        <p className="muted">
          {job.open
            ? allowed.manage
              ? "No appointment yet: the job waits in the schedule's unassigned tray."
              : "No appointment yet."
            : "No appointments."}
        </p>
      ) : (
        <ul className="list-plain job-appointments">
          {appointments.map((appointment) => (
            <AppointmentItem
              key={appointment.id}
              appointment={appointment}
              loaderData={loaderData}
              actionData={actionData}
            />
          ))}
        </ul>
      )}
      <p className="muted small">{loaderData.timeZoneLabel}.</p>
    </section>
  );
}

function AppointmentItem({
  appointment,
  loaderData,
  actionData,
}: {
  appointment: AppointmentView;
  loaderData: LoaderData;
  actionData: unknown;
}) {
  const { orgId, job, panel, meId } = loaderData;
  const page = `/o/${orgId}/jobs/${job.id}`;
  const allowed = loaderData.can;
  const canWork = allowed.work && appointment.mine;
  const cancelling = panel?.kind === "cancel-appointment" && panel.appointmentId === appointment.id;
  const completing = panel?.kind === "complete-visit" && panel.appointmentId === appointment.id;
  const headingId = `appointment-${appointment.id}`;
  const names = appointment.technicians.map((tech) => {
    const you = tech.id === meId ? "you" : null;
    const cert = tech.certificationType ? (CERTIFICATION_LABELS[tech.certificationType] ?? null) : null;
    const extra = [you, cert].filter(Boolean).join(", ");
    return extra ? `${tech.name} (${extra})` : tech.name;
  });
  return (
    <li className={`job-appointment job-appointment-${appointment.status.toLowerCase()}`} aria-labelledby={headingId}>
      <div className="job-appointment-head">
        <p className="job-appointment-time" id={headingId}>
          <time dateTime={appointment.startsAt}>{appointment.when}</time>
        </p>
        <AppointmentStatusBadge status={appointment.status} />
      </div>
      <p className="job-appointment-meta">
        {appointment.duration} · {names.length > 0 ? joinNames(names) : "No technician"}
      </p>
      {appointment.note ? <p className="job-appointment-note">{appointment.note}</p> : null}
      {appointment.progress.length > 0 ? (
        <ul className="list-plain job-appointment-meta">
          {appointment.progress.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      <ScheduleWarnings warnings={appointment.warnings} />

      {canWork && appointment.open && !completing ? (
        <div className="job-work-buttons">
          {appointment.status === "SCHEDULED" ? (
            <WorkButton intent="en-route" appointmentId={appointment.id} variant="secondary">
              On my way
            </WorkButton>
          ) : null}
          {appointment.status === "SCHEDULED" || appointment.status === "EN_ROUTE" ? (
            <WorkButton intent="start" appointmentId={appointment.id}>
              Start visit
            </WorkButton>
          ) : null}
          {appointment.status === "IN_PROGRESS" ? (
            <Link
              className="button button-primary button-large"
              to={`${page}?panel=complete-visit&appointment=${appointment.id}`}
            >
              Complete visit
            </Link>
          ) : null}
        </div>
      ) : null}
      {completing ? <CompleteVisitPanel appointmentId={appointment.id} page={page} actionData={actionData} /> : null}

      {allowed.manage && appointment.open && !cancelling ? (
        <div className="job-appointment-actions">
          <Link
            className="button button-ghost button-small"
            to={`${page}?panel=cancel-appointment&appointment=${appointment.id}`}
          >
            Cancel appointment
          </Link>
        </div>
      ) : null}
      {cancelling ? (
        <ConfirmPanel
          id={`cancel-${appointment.id}`}
          title="Cancel this appointment?"
          intent="cancel-appointment"
          action="Cancel appointment"
          close={page}
          actionData={actionData}
          className="job-panel job-danger"
          pendingLabel="Canceling…"
          hidden={{ appointmentId: appointment.id }}
          shownFields={["reason"]}
          fields={
            <TextAreaField
              label="Reason"
              name="reason"
              rows={2}
              maxLength={500}
              required={false}
              hint="The technicians see it on their day."
              errors={fieldErrorsOf(actionData).reason}
            />
          }
        >
          The technicians are taken off this visit. The job stays open
          {appointment.status === "SCHEDULED" ? " and goes back to the unassigned tray if nothing else is planned" : ""}
          .
        </ConfirmPanel>
      ) : null}
    </li>
  );
}

function WorkButton({
  intent,
  appointmentId,
  variant = "primary",
  children,
}: {
  intent: string;
  appointmentId: string;
  variant?: "primary" | "secondary";
  children: ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="appointmentId" value={appointmentId} />
      <SubmitButton variant={variant} className="button-large" pendingLabel="Saving…">
        {children}
      </SubmitButton>
    </Form>
  );
}

function CompleteVisitPanel({
  appointmentId,
  page,
  actionData,
}: {
  appointmentId: string;
  page: string;
  actionData: unknown;
}) {
  const errors = fieldErrorsOf(actionData);
  return (
    <section className="stack job-panel" aria-labelledby="complete-visit-heading">
      <PanelHeading id="complete-visit-heading">Complete this visit</PanelHeading>
      <FormErrors error={actionErrorOf(actionData)} shownFields={["note", "jobComplete"]} />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="complete-visit" />
        <input type="hidden" name="appointmentId" value={appointmentId} />
        <CheckboxField
          label="The job is done"
          name="jobComplete"
          value="true"
          defaultChecked
          hint="Untick when a return visit is needed: the job stays open for the office to schedule."
          errors={errors.jobComplete}
        />
        <TextAreaField
          label="What was done"
          name="note"
          rows={3}
          maxLength={2000}
          required={false}
          errors={errors.note}
        />
        <div className="form-actions">
          <SubmitButton className="button-large" pendingLabel="Completing…">
            Complete visit
          </SubmitButton>
          <Link className="button button-secondary" to={page}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}

function NotesSection({ loaderData, error }: { loaderData: LoaderData; error: ReturnType<typeof actionErrorOf> }) {
  const { notes, meId } = loaderData;
  return (
    <section className="card stack" aria-labelledby="notes-heading" id="notes">
      <SectionHeader id="notes-heading" title="Notes" />
      {notes.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ol className="list-plain job-notes">
          {notes.map((note) => (
            <li key={note.id} className="job-note">
              <p className="job-note-meta">
                <strong>{note.authorId === meId ? `${note.authorName} (you)` : note.authorName}</strong> ·{" "}
                <time dateTime={note.createdAt}>{note.when}</time>
              </p>
              <p className="job-note-body">{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      {loaderData.can.note ? (
        <Form method="post" className="form" aria-label="Add a note">
          <input type="hidden" name="intent" value="note" />
          <FormErrors error={error} shownFields={["body"]} />
          <TextAreaField
            label="Add a note"
            name="body"
            rows={3}
            maxLength={5000}
            hint="Everyone on the job sees it: what you found, parts needed, access codes."
            errors={error?.fields?.body}
          />
          <div className="form-actions">
            <SubmitButton variant="secondary" pendingLabel="Adding…">
              Add note
            </SubmitButton>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

function UnitsSection({ loaderData }: { loaderData: LoaderData }) {
  const { orgId, units } = loaderData;
  return (
    <section className="card stack-sm" aria-labelledby="units-heading">
      <SectionHeader id="units-heading" title="Units" />
      {units.length === 0 ? (
        <p className="muted">No units named on this job.</p>
      ) : (
        <ul className="list-plain job-units-list">
          {units.map((unit) => (
            <li key={unit.id} className="job-unit-row">
              <Link to={`/o/${orgId}/units/${unit.id}`}>{unit.name}</Link>
              <span className="muted small">
                {CATEGORY_LABELS[unit.category as UnitCategory] ?? unit.category} · {unit.refrigerant} ·{" "}
                {formatLb(unit.fullChargeLb)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TransfersSection({ loaderData }: { loaderData: LoaderData }) {
  const { orgId, job, transfers, units } = loaderData;
  const recordHref = `/o/${orgId}/transfers/new?jobId=${encodeURIComponent(job.id)}${
    units.length === 1 && units[0] ? `&unitId=${encodeURIComponent(units[0].id)}` : ""
  }`;
  return (
    <section className="card stack-sm" aria-labelledby="transfers-heading">
      <SectionHeader id="transfers-heading" title="Refrigerant transfers">
        {loaderData.can.recordTransfer && job.open ? (
          <Link className="button button-secondary button-small" to={recordHref}>
            Record transfer
          </Link>
        ) : null}
      </SectionHeader>
      {transfers.length === 0 ? (
        <p className="muted">None recorded on this job.</p>
      ) : (
        <ul className="list-plain job-units-list">
          {transfers.map((transfer) => (
            <li key={transfer.id} className="job-unit-row">
              <span>
                <Link to={`/o/${orgId}/transfers/${transfer.id}`}>
                  {KIND_LABELS[transfer.kind as TransferKind] ?? transfer.kind} · {formatLb(transfer.amountLb)}{" "}
                  {transfer.refrigerant}
                </Link>
                <span className="job-sub">
                  {transfer.unitName ? `${transfer.unitName} · ` : ""}
                  {transfer.technicianName} · <time dateTime={transfer.performedAt}>{transfer.when}</time>
                </span>
              </span>
              {transfer.status === "VOIDED" ? (
                <span className="badge">Voided</span>
              ) : (
                <span className={`badge ${TRANSFER_STATUS_TONES[transfer.status as TransferStatus] ?? ""}`.trim()}>
                  {TRANSFER_STATUS_LABELS[transfer.status as TransferStatus] ?? transfer.status}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ManageSection({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { orgId, job, panel } = loaderData;
  const page = `/o/${orgId}/jobs/${job.id}`;
  const allowed = loaderData.can;
  return (
    <section className="card stack" aria-labelledby="manage-heading">
      <h2 id="manage-heading">Manage</h2>
      {panel?.kind === "cancel" ? (
        <ConfirmPanel
          id="cancel-heading"
          title={`Cancel ${job.label}?`}
          intent="cancel"
          action="Cancel job"
          close={page}
          actionData={actionData}
          className="job-panel job-danger"
          pendingLabel="Canceling…"
          shownFields={["cancelReason"]}
          fields={
            <TextAreaField
              label="Reason"
              name="cancelReason"
              rows={2}
              maxLength={500}
              hint="E.g. “Customer postponed to spring”."
              errors={fieldErrorsOf(actionData).cancelReason}
            />
          }
        >
          Its open appointments are canceled and the technicians taken off them. You can reopen the job later.
        </ConfirmPanel>
      ) : null}
      {panel?.kind === "delete" ? (
        <ConfirmPanel
          id="delete-heading"
          title={`Delete ${job.label}?`}
          intent="delete"
          action="Delete job"
          close={page}
          actionData={actionData}
          className="job-panel job-danger"
          pendingLabel="Deleting…"
        >
          The job disappears from every list and board, and its open appointments are canceled. Transfers recorded on it
          stay in the refrigerant records. To stop work but keep the job, cancel it instead.
        </ConfirmPanel>
      ) : null}
      {panel?.kind !== "cancel" && panel?.kind !== "delete" ? (
        <div className="cluster job-manage-actions">
          {allowed.manage ? (
            <Link className="button button-secondary" to={`${page}?panel=edit`}>
              Edit job
            </Link>
          ) : null}
          {allowed.manage && job.open ? (
            <Form method="post">
              <input type="hidden" name="intent" value="complete" />
              <SubmitButton variant="secondary" pendingLabel="Completing…">
                Mark completed
              </SubmitButton>
            </Form>
          ) : null}
          {allowed.manage && job.open ? (
            <Link className="button button-secondary" to={`${page}?panel=cancel`}>
              Cancel job
            </Link>
          ) : null}
          {allowed.manage && !job.open ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reopen" />
              <SubmitButton variant="secondary" pendingLabel="Reopening…">
                Reopen job
              </SubmitButton>
            </Form>
          ) : null}
          {allowed.delete ? (
            <Link className="button button-danger" to={`${page}?panel=delete`}>
              Delete
            </Link>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function EditPanel({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { orgId, job } = loaderData;
  const form = loaderData.editForm;
  const errors = friendlyErrors(fieldErrorsOf(actionData));
  if (!form) return null;
  return (
    <section className="stack job-panel" aria-labelledby="edit-heading">
      <PanelHeading id="edit-heading">Edit {job.label}</PanelHeading>
      <FormErrors error={actionErrorOf(actionData)} shownFields={JOB_FIELD_NAMES} />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="edit" />
        <JobDetailFields
          projects={form.projects}
          errors={errors}
          values={{ description: job.description, priority: job.priority, projectId: job.project?.id ?? null }}
        />
        <UnitPicker units={form.units} chosen={job.unitIds} errors={errors.unitIds} />
        <div className="form-actions">
          <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
          <Link className="button button-secondary" to={`/o/${orgId}/jobs/${job.id}`}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
