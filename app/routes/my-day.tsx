import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useFetcher } from "react-router";
import { AppointmentCompleteInput, AppointmentProgressInput } from "../../worker/appointments/schemas";
import {
  completeAppointment,
  listAppointments,
  markEnRoute,
  startAppointment,
} from "../../worker/appointments/service";
import type { Appointment } from "../../worker/field/shapes";
import { getJob } from "../../worker/jobs/service";
import { actionErrorOf, FormErrors } from "../components/form";
import { APPOINTMENT_STATUS_LABELS, APPOINTMENT_STATUS_TONES } from "../components/jobs/labels";
import { byStart, eventAppointment, eventJob, overlaps } from "../components/schedule/board-state";
import {
  addDays,
  formatDay,
  formatTime,
  formatTimeRange,
  localParts,
  parseDay,
  todayIn,
  zonedLocalToInstant,
} from "../components/schedule/time";
import { asPageError, formAction, intentAction, pageOrgScope } from "../lib/server";
import { useLiveEvents } from "../live";
import "../components/schedule/schedule.css";
import type { Route } from "./+types/my-day";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "appointments:work-own");
  const { org, user } = scope;
  const timeZone = org.timeZone;
  const today = todayIn(timeZone);
  const day = parseDay(new URL(request.url).searchParams.get("date")) ?? today;
  const list = await asPageError(() =>
    listAppointments(scope, { from: day, to: day, technicianId: user.id, status: "ALL" }),
  );
  const appointments = list.filter((appointment) => appointment.status !== "CANCELED");
  // Unit names for the quick buttons (the appointment carries only the ids).
  const jobIds = [...new Set(appointments.map((appointment) => appointment.jobId))];
  const jobs = await Promise.all(jobIds.map((jobId) => getJob(scope, jobId).catch(() => null)));
  const units = Object.fromEntries(
    jobs.flatMap((job) => job?.units ?? []).map((unit) => [unit.id, `${unit.name} · ${unit.refrigerant}`]),
  );
  return {
    orgId: org.id,
    orgName: org.name,
    meId: user.id,
    firstName: user.name.split(" ")[0] ?? user.name,
    timeZone,
    today,
    day,
    from: zonedLocalToInstant(day, timeZone)?.toISOString() ?? `${day}T00:00:00Z`,
    to: zonedLocalToInstant(addDays(day, 1), timeZone)?.toISOString() ?? `${addDays(day, 1)}T00:00:00Z`,
    appointments,
    units,
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const permission = "appointments:work-own" as const;
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, {
    "en-route": permission,
    start: permission,
    complete: permission,
  });
  const appointmentId = String(formData.get("appointmentId") ?? "");
  const note = String(formData.get("note") ?? "").trim();
  if (intent === "complete") {
    const jobComplete = formData.get("jobComplete");
    const input = {
      ...(note ? { note } : {}),
      ...(jobComplete === "true" || jobComplete === "false" ? { jobComplete: jobComplete === "true" } : {}),
    };
    return formAction(input, AppointmentCompleteInput, (valid) => completeAppointment(scope, appointmentId, valid));
  }
  const run = intent === "start" ? startAppointment : markEnRoute;
  return formAction(note ? { note } : {}, AppointmentProgressInput, (valid) => run(scope, appointmentId, valid));
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: `My day · ${loaderData?.orgName ?? "RefriTrak"} · RefriTrak` },
];

type Arrival = { id: string; text: string; day: string; kind: "new" | "changed" | "removed" };

export default function MyDay({ loaderData }: Route.ComponentProps) {
  const { orgId, meId, timeZone, today, day, from, to, appointments: loaded, units } = loaderData;
  const [list, setList] = useState<Appointment[]>(loaded);
  useEffect(() => setList(loaded), [loaded]);
  const listRef = useRef(list);
  listRef.current = list;
  // Appointments this page has seen (any day): one it has not seen that names me is a new assignment.
  const known = useRef(new Set(loaded.map((appointment) => appointment.id)));
  useEffect(() => {
    for (const appointment of loaded) known.current.add(appointment.id);
  }, [loaded]);
  const [arrival, setArrival] = useState<Arrival | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(() => new Set());

  const describe = (appointment: Appointment) => {
    const { day: on } = localParts(appointment.startsAt, timeZone);
    const when = on === today ? "today" : on === addDays(today, 1) ? "tomorrow" : formatDay(on, "medium");
    return {
      on,
      text: `${appointment.job.label} · ${appointment.job.customerName}, ${when} at ${formatTime(appointment.startsAt, timeZone)}`,
    };
  };

  useLiveEvents((event) => {
    if (event.orgId !== orgId) return;
    // A job event, or the job's new state riding along with an appointment event.
    const job = event.entity === "job" || event.entity === "appointment" ? eventJob(event.data) : null;
    if (job) {
      setList((current) =>
        current.map((appointment) =>
          appointment.jobId === job.id
            ? {
                ...appointment,
                job: { ...appointment.job, status: job.status, description: job.description, priority: job.priority },
              }
            : appointment,
        ),
      );
    }
    if (event.entity !== "appointment") return;
    const appointment = eventAppointment(event.data);
    if (!appointment) return;
    const mine = appointment.technicians.some((tech) => tech.id === meId);
    const open = appointment.status !== "CANCELED" && appointment.status !== "COMPLETED";
    const inDay = overlaps(appointment, from, to);
    const had = listRef.current.some((existing) => existing.id === appointment.id);
    const seen = known.current.has(appointment.id);
    known.current.add(appointment.id);
    setList((current) => {
      const others = current.filter((existing) => existing.id !== appointment.id);
      return mine && inDay && appointment.status !== "CANCELED" ? [...others, appointment].sort(byStart) : others;
    });
    const { on, text } = describe(appointment);
    if (mine && open && !seen) {
      setArrival({ id: appointment.id, day: on, kind: "new", text: `New assignment: ${text}.` });
      setFresh((current) => new Set(current).add(appointment.id));
    } else if (had && (!mine || appointment.status === "CANCELED")) {
      setArrival({ id: appointment.id, day: on, kind: "removed", text: `Taken off your schedule: ${text}.` });
    } else if (had && mine && inDay && event.action === "updated") {
      setArrival({ id: appointment.id, day: on, kind: "changed", text: `Appointment changed: ${text}.` });
    }
  });

  const dayHref = (next: string) => `/o/${orgId}/my-day${next === today ? "" : `?date=${next}`}`;
  const done = list.filter((appointment) => appointment.status === "COMPLETED").length;
  const dayTitle =
    day === today
      ? "Today"
      : day === addDays(today, 1)
        ? "Tomorrow"
        : day === addDays(today, -1)
          ? "Yesterday"
          : formatDay(day, "medium");

  return (
    <div className="page myday-page stack">
      <header className="page-header">
        <div>
          <p className="eyebrow">{formatDay(day, "long")}</p>
          <h1 className="page-title">My day</h1>
          <p className="lede">
            {list.length === 0
              ? `Nothing booked ${day === today ? "today" : "on this day"}, ${loaderData.firstName}.`
              : `${list.length} ${list.length === 1 ? "appointment" : "appointments"}${done ? `, ${done} done` : ""}.`}
          </p>
        </div>
      </header>

      <div className="myday-alert" role="status" aria-live="polite" aria-atomic="true">
        {arrival ? (
          <div
            className={arrival.kind === "removed" ? "myday-arrival is-removed" : "myday-arrival"}
            data-testid="arrival"
          >
            <p>
              <strong>{arrival.text}</strong>
              {arrival.day !== day && arrival.kind !== "removed" ? (
                <>
                  {" "}
                  <Link to={dayHref(arrival.day)}>Open {formatDay(arrival.day, "medium")}</Link>
                </>
              ) : null}
            </p>
            <button type="button" className="button button-ghost button-small" onClick={() => setArrival(null)}>
              Dismiss
            </button>
          </div>
        ) : null}
      </div>

      <nav className="myday-days" aria-label="Days">
        <Link className="button button-secondary button-small" to={dayHref(addDays(day, -1))}>
          <span aria-hidden="true">‹</span> {day === today ? "Yesterday" : "Previous day"}
        </Link>
        <h2>{dayTitle}</h2>
        <Link className="button button-secondary button-small" to={dayHref(addDays(day, 1))}>
          {day === today ? "Tomorrow" : "Next day"} <span aria-hidden="true">›</span>
        </Link>
      </nav>
      {day !== today ? (
        <p className="small">
          <Link to={dayHref(today)}>Back to today</Link>
        </p>
      ) : null}

      <div className="myday-tools">
        <Link className="button button-secondary" to={`/o/${orgId}/cylinders?holder=me`}>
          My cylinders
        </Link>
        <Link className="button button-secondary" to={`/o/${orgId}/transfers/new`}>
          Record a transfer
        </Link>
      </div>

      {list.length === 0 ? (
        <div className="empty-state">
          <p>
            No appointments {day === today ? "today" : "on this day"}. New assignments show up here as soon as the
            office makes them.
          </p>
        </div>
      ) : (
        <ol className="myday-list" aria-label={`Appointments, ${dayTitle.toLowerCase()}`}>
          {list.map((appointment) => (
            <AppointmentCard
              key={appointment.id}
              appointment={appointment}
              orgId={orgId}
              timeZone={timeZone}
              units={units}
              meId={meId}
              isNew={fresh.has(appointment.id)}
              onSettled={(next) => {
                setFresh((current) => {
                  const copy = new Set(current);
                  copy.delete(appointment.id);
                  return copy;
                });
                if (next) setList((current) => current.map((a) => (a.id === next.id ? next : a)));
              }}
            />
          ))}
        </ol>
      )}
      <p className="muted small">Times are in {timeZone.replaceAll("_", " ")}.</p>
    </div>
  );
}

type ActionResult =
  | { ok: true; result: Appointment }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string[]> } };

function AppointmentCard({
  appointment,
  orgId,
  timeZone,
  units,
  isNew,
  onSettled,
  meId,
}: {
  meId: string;
  appointment: Appointment;
  orgId: string;
  timeZone: string;
  units: Record<string, string>;
  isNew: boolean;
  onSettled: (next: Appointment | null) => void;
}) {
  const fetcher = useFetcher<ActionResult>();
  const [finishing, setFinishing] = useState(false);
  const busy = fetcher.state !== "idle";
  const error = actionErrorOf(fetcher.data);
  const applied = useRef<unknown>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || applied.current === fetcher.data) return;
    applied.current = fetcher.data;
    if (fetcher.data.ok) {
      // Only a completion closes the "Is the job finished?" panel: the answer to an earlier "Start"
      // can settle (after its revalidation) while the technician already has the panel open.
      if (fetcher.data.result?.status === "COMPLETED") setFinishing(false);
      onSettled(fetcher.data.result);
    }
  }, [fetcher.state, fetcher.data, onSettled]);
  const titleId = `appt-${appointment.id}`;
  const unitLinks = useMemo(
    () =>
      appointment.job.unitIds.map((unitId, index) => ({
        unitId,
        label: units[unitId] ?? (appointment.job.unitIds.length === 1 ? "Unit" : `Unit ${index + 1}`),
      })),
    [appointment.job.unitIds, units],
  );
  const status = appointment.status;
  const others = appointment.technicians.filter((tech) => tech.id !== meId);

  return (
    <li
      className={`myday-card is-${status.toLowerCase()}${isNew ? " is-new" : ""}${status === "COMPLETED" ? " is-done" : ""}`}
      aria-labelledby={titleId}
      data-appointment-id={appointment.id}
    >
      {isNew ? <span className="myday-new-tag">New</span> : null}
      <div className="myday-card-head">
        <span className="myday-time">{formatTimeRange(appointment.startsAt, appointment.endsAt, timeZone)}</span>
        <span className={`badge ${APPOINTMENT_STATUS_TONES[status]}`}>{APPOINTMENT_STATUS_LABELS[status]}</span>
      </div>
      <h3 id={titleId}>
        <Link to={`/o/${orgId}/jobs/${appointment.jobId}`} className="myday-job-link">
          {appointment.job.label} · {appointment.job.customerName}
        </Link>
      </h3>
      <p className="myday-address">
        {appointment.job.locationName}
        <br />
        {appointment.job.address}
      </p>
      <p className="myday-desc">{appointment.job.description}</p>
      {appointment.note ? <p className="myday-note">Office note: {appointment.note}</p> : null}
      {others.length ? <p className="muted small">With {others.map((tech) => tech.name).join(", ")}</p> : null}
      <ul className="myday-quick" aria-label={`Quick links for ${appointment.job.label}`}>
        {unitLinks.map((unit) => (
          <li key={unit.unitId}>
            <Link to={`/o/${orgId}/units/${unit.unitId}`}>{unit.label}</Link>
          </li>
        ))}
        <li>
          <Link to={`/o/${orgId}/cylinders?holder=me`}>My cylinders</Link>
        </li>
        <li>
          <Link to={`/o/${orgId}/jobs/${appointment.jobId}`}>Job {appointment.job.label}</Link>
        </li>
      </ul>
      <FormErrors error={error} />
      {status === "COMPLETED" ? (
        <p className="myday-finished">
          Completed{appointment.completedAt ? ` at ${formatTime(appointment.completedAt, timeZone)}` : ""}.
          {appointment.job.status === "COMPLETED" ? " Job finished." : " Return visit needed."}
        </p>
      ) : finishing ? (
        <fetcher.Form method="post" className="myday-finish" aria-label={`Complete ${appointment.job.label}`}>
          <input type="hidden" name="intent" value="complete" />
          <input type="hidden" name="appointmentId" value={appointment.id} />
          <label className="field-label" htmlFor={`${titleId}-note`}>
            Completion note <span className="field-optional">(optional)</span>
          </label>
          <textarea id={`${titleId}-note`} name="note" rows={2} className="input" maxLength={2000} />
          <p>Is the job finished?</p>
          <button type="submit" name="jobComplete" value="true" className="button button-primary" disabled={busy}>
            Yes, job finished
          </button>
          <button type="submit" name="jobComplete" value="false" className="button button-secondary" disabled={busy}>
            No, a return visit is needed
          </button>
          <button type="button" className="button button-ghost" onClick={() => setFinishing(false)}>
            Not yet
          </button>
        </fetcher.Form>
      ) : (
        <div className="myday-actions">
          {status === "SCHEDULED" ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="en-route" />
              <input type="hidden" name="appointmentId" value={appointment.id} />
              <button type="submit" className="button button-secondary button-large" disabled={busy}>
                On my way
              </button>
            </fetcher.Form>
          ) : null}
          {status === "SCHEDULED" || status === "EN_ROUTE" ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="start" />
              <input type="hidden" name="appointmentId" value={appointment.id} />
              <button type="submit" className="button button-primary button-large" disabled={busy}>
                {busy ? "Saving…" : "Start job"}
              </button>
            </fetcher.Form>
          ) : null}
          {status === "IN_PROGRESS" ? (
            <button type="button" className="button button-primary button-large" onClick={() => setFinishing(true)}>
              Complete
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}
