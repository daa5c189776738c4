/**
 * Assign or reschedule by picking: the board's accessible way to do what drag and drop does (the
 * only way on a phone and from the keyboard). A native modal <dialog>: focus moves into it, Escape
 * closes it, and the page behind is inert. Writes go through the page action with a fetcher, so
 * the board stays where it is and shows the result (with any warnings) right after.
 */
import { useEffect, useId, useRef } from "react";
import { Link, useFetcher } from "react-router";
import type { Appointment, JobSummary } from "../../../worker/field/shapes";
import { actionErrorOf, FormErrors, SubmitButton, TextAreaField, TextField } from "../form";
import { APPOINTMENT_STATUS_LABELS, formatDuration, PRIORITY_LABELS } from "../jobs/labels";
import type { Technician } from "./board-state";
import { DURATION_CHOICES } from "./status";
import { formatDay, formatTimeRange, hhmm, localParts } from "./time";

export type DialogRequest =
  | { mode: "assign"; jobId?: string; technicianId?: string; day: string; minutes?: number }
  | { mode: "edit"; appointment: Appointment };

export type WriteResult =
  | { ok: true; result: { intent: string; appointment: Appointment } }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string[]> } };

const EDITABLE = new Set<Appointment["status"]>(["SCHEDULED", "EN_ROUTE"]);
/** The fields the form shows itself; other field errors go to the summary. */
const SHOWN = ["jobId", "technicianIds", "date", "time", "startsAt", "durationMinutes", "note"];

export function AppointmentDialog({
  request,
  onClose,
  onResult,
  orgId,
  jobs,
  technicians,
  timeZone,
}: {
  request: DialogRequest | null;
  onClose: () => void;
  /** Told about every answer, so the page can show it (and its warnings) after the dialog closes. */
  onResult: (result: WriteResult) => void;
  orgId: string;
  /** Jobs that can be scheduled: the tray first. */
  jobs: { tray: JobSummary[]; scheduled: JobSummary[] };
  technicians: Technician[];
  timeZone: string;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const fetcher = useFetcher<WriteResult>({ key: "schedule-dialog" });
  const cancelFetcher = useFetcher<WriteResult>({ key: "schedule-cancel" });
  const open = request !== null;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  // Report each answer once, and close on success.
  const reported = useRef<unknown>(null);
  useEffect(() => {
    for (const f of [fetcher, cancelFetcher]) {
      if (f.state !== "idle" || !f.data || reported.current === f.data) continue;
      reported.current = f.data;
      onResult(f.data);
      if (f.data.ok) onClose();
    }
  }, [fetcher, cancelFetcher, onResult, onClose]);

  const error = open ? actionErrorOf(fetcher.data) : undefined;
  const cancelError = open ? actionErrorOf(cancelFetcher.data) : undefined;
  const fields = error?.fields ?? {};
  const appointment = request?.mode === "edit" ? request.appointment : null;
  const editable = appointment ? EDITABLE.has(appointment.status) : true;
  const start = appointment ? localParts(appointment.startsAt, timeZone) : null;
  const day = start?.day ?? (request?.mode === "assign" ? request.day : "");
  const minutes = start?.minutes ?? (request?.mode === "assign" ? (request.minutes ?? 8 * 60) : 8 * 60);
  const chosenTechs = new Set(
    appointment
      ? appointment.technicians.map((tech) => tech.id)
      : request?.mode === "assign" && request.technicianId
        ? [request.technicianId]
        : [],
  );
  const rows = [...technicians];
  for (const tech of appointment?.technicians ?? []) if (!rows.some((row) => row.id === tech.id)) rows.push(tech);
  const jobLabel = (job: JobSummary) =>
    `${job.label} · ${job.customer.name} — ${job.description.length > 60 ? `${job.description.slice(0, 57)}…` : job.description}${job.priority === "HIGH" || job.priority === "EMERGENCY" ? ` (${PRIORITY_LABELS[job.priority]})` : ""}`;
  const techErrorId = `${titleId}-tech-error`;
  // Re-mounts the form per request, so defaults follow what was picked.
  const formKey =
    request === null
      ? "closed"
      : request.mode === "edit"
        ? `edit-${request.appointment.id}`
        : `assign-${request.jobId ?? ""}-${request.technicianId ?? ""}-${request.day}-${request.minutes ?? ""}`;

  return (
    <dialog
      ref={dialogRef}
      className="sched-dialog"
      aria-labelledby={titleId}
      onClose={() => {
        if (open) onClose();
      }}
    >
      {request ? (
        <div className="sched-dialog-body" key={formKey}>
          <div className="sched-dialog-head">
            <h2 id={titleId}>{appointment ? `${appointment.job.label} appointment` : "Schedule a job"}</h2>
            <button type="button" className="button button-ghost button-small" onClick={onClose}>
              Close
            </button>
          </div>
          {appointment ? (
            <div className="sched-dialog-summary">
              <p>
                <strong>{appointment.job.customerName}</strong> · {appointment.job.locationName}
                <br />
                <span className="muted">{appointment.job.address}</span>
              </p>
              <p className="muted small">
                {formatDay(localParts(appointment.startsAt, timeZone).day, "medium")},{" "}
                {formatTimeRange(appointment.startsAt, appointment.endsAt, timeZone)} ·{" "}
                {APPOINTMENT_STATUS_LABELS[appointment.status]}
              </p>
              <p className="small">{appointment.job.description}</p>
              <Link to={`/o/${orgId}/jobs/${appointment.jobId}`} className="small">
                Open job {appointment.job.label}
              </Link>
            </div>
          ) : null}
          {editable ? (
            <fetcher.Form method="post" className="form" noValidate>
              <input type="hidden" name="intent" value={appointment ? "reschedule" : "assign"} />
              {appointment ? <input type="hidden" name="appointmentId" value={appointment.id} /> : null}
              <input type="hidden" name="_technicians" value="1" />
              <FormErrors error={error} shownFields={SHOWN} />
              {appointment ? null : (
                <div className={fields.jobId ? "field field-invalid" : "field"}>
                  <label className="field-label" htmlFor={`${titleId}-job`}>
                    Job
                  </label>
                  <select
                    id={`${titleId}-job`}
                    name="jobId"
                    className="input"
                    required
                    defaultValue={request.mode === "assign" ? (request.jobId ?? "") : ""}
                    aria-invalid={fields.jobId ? true : undefined}
                    aria-describedby={fields.jobId ? `${titleId}-job-error` : undefined}
                  >
                    <option value="" disabled>
                      Choose a job…
                    </option>
                    {jobs.tray.length ? (
                      <optgroup label="Unassigned">
                        {jobs.tray.map((job) => (
                          <option key={job.id} value={job.id}>
                            {jobLabel(job)}
                          </option>
                        ))}
                      </optgroup>
                    ) : null}
                    {jobs.scheduled.length ? (
                      <optgroup label="Already scheduled (another visit)">
                        {jobs.scheduled.map((job) => (
                          <option key={job.id} value={job.id}>
                            {jobLabel(job)}
                          </option>
                        ))}
                      </optgroup>
                    ) : null}
                  </select>
                  {fields.jobId ? (
                    <p id={`${titleId}-job-error`} className="field-error">
                      {fields.jobId.join(" ")}
                    </p>
                  ) : null}
                </div>
              )}
              <fieldset
                className={fields.technicianIds ? "field sched-techs field-invalid" : "field sched-techs"}
                aria-describedby={fields.technicianIds ? techErrorId : undefined}
              >
                <legend className="field-label">Technicians</legend>
                <div className="sched-tech-choices">
                  {rows.map((tech) => (
                    <label key={tech.id} className="sched-tech-choice">
                      <input
                        type="checkbox"
                        name="technicianIds"
                        value={tech.id}
                        defaultChecked={chosenTechs.has(tech.id)}
                      />
                      <span>
                        {tech.name}
                        {tech.certificationType ? (
                          <span className="muted small"> · {certLabel(tech.certificationType)}</span>
                        ) : null}
                      </span>
                    </label>
                  ))}
                </div>
                {fields.technicianIds ? (
                  <p id={techErrorId} className="field-error">
                    {fields.technicianIds.join(" ")}
                  </p>
                ) : null}
              </fieldset>
              <div className="sched-when">
                <TextField label="Date" name="date" type="date" defaultValue={day} errors={fields.date} />
                <TextField
                  label="Start time"
                  name="time"
                  type="time"
                  step={900}
                  defaultValue={hhmm(minutes)}
                  errors={fields.time ?? fields.startsAt}
                />
                <div className={fields.durationMinutes ? "field field-invalid" : "field"}>
                  <label className="field-label" htmlFor={`${titleId}-duration`}>
                    Duration
                  </label>
                  <select
                    id={`${titleId}-duration`}
                    name="durationMinutes"
                    className="input"
                    defaultValue={String(appointment?.durationMinutes ?? 120)}
                    aria-invalid={fields.durationMinutes ? true : undefined}
                  >
                    {withCurrent(DURATION_CHOICES, appointment?.durationMinutes).map((choice) => (
                      <option key={choice.value} value={choice.value}>
                        {choice.label}
                      </option>
                    ))}
                  </select>
                  {fields.durationMinutes ? <p className="field-error">{fields.durationMinutes.join(" ")}</p> : null}
                </div>
              </div>
              <TextAreaField
                label="Note for the technician"
                name="note"
                rows={2}
                required={false}
                defaultValue={appointment?.note ?? ""}
                errors={fields.note}
              />
              <p className="muted small">Times are in {timeZone.replaceAll("_", " ")}.</p>
              <div className="form-actions">
                <SubmitButton pending={fetcher.state !== "idle"} pendingLabel="Saving…">
                  {appointment ? "Save changes" : "Assign"}
                </SubmitButton>
                <button type="button" className="button button-secondary" onClick={onClose}>
                  Close
                </button>
              </div>
            </fetcher.Form>
          ) : (
            <p className="alert alert-info">
              This appointment is {APPOINTMENT_STATUS_LABELS[appointment?.status ?? "SCHEDULED"].toLowerCase()}: it can
              no longer be moved.
            </p>
          )}
          {appointment && editable ? (
            <details className="sched-cancel">
              <summary>Cancel this appointment</summary>
              <cancelFetcher.Form method="post" className="form">
                <input type="hidden" name="intent" value="cancel" />
                <input type="hidden" name="appointmentId" value={appointment.id} />
                <FormErrors error={cancelError} shownFields={["reason"]} />
                <TextField
                  label="Reason"
                  name="reason"
                  required={false}
                  maxLength={500}
                  errors={cancelError?.fields?.reason}
                />
                <p className="muted small">The job stays open and goes back to the tray if nothing else is planned.</p>
                <SubmitButton variant="danger" pending={cancelFetcher.state !== "idle"} pendingLabel="Canceling…">
                  Cancel appointment
                </SubmitButton>
              </cancelFetcher.Form>
            </details>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}

function withCurrent(choices: { value: string; label: string }[], minutes: number | undefined) {
  if (minutes === undefined || choices.some((choice) => choice.value === String(minutes))) return choices;
  return [...choices, { value: String(minutes), label: formatDuration(minutes) }].sort(
    (a, b) => Number(a.value) - Number(b.value),
  );
}

export function certLabel(type: string): string {
  return type === "UNIVERSAL" ? "Universal" : `Type ${type}`;
}
