import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { data, Form, Link, useFetcher } from "react-router";
import { getSchedule } from "../../worker/appointments/schedule";
import {
  AppointmentCancelInput,
  AppointmentCreateInput,
  AppointmentPatchInput,
} from "../../worker/appointments/schemas";
import { cancelAppointment, createAppointment, updateAppointment } from "../../worker/appointments/service";
import type { Appointment, JobSummary } from "../../worker/field/shapes";
import { badRequest } from "../../worker/http/errors";
import { listJobs } from "../../worker/jobs/service";
import { can } from "../../worker/policy/permissions";
import { listTransfers } from "../../worker/transfers/service";
import { APPOINTMENT_STATUS_LABELS, joinNames } from "../components/jobs/labels";
import {
  AppointmentDialog,
  type DialogRequest,
  type WriteResult as DialogResult,
} from "../components/schedule/AppointmentDialog";
import {
  applyAppointment,
  applyJob,
  type BoardState,
  eventAppointment,
  eventJob,
  isOpenAppointment,
} from "../components/schedule/board-state";
import { DayBoard, WarningIcon } from "../components/schedule/DayBoard";
import type { DragItem, DropTarget } from "../components/schedule/drag";
import { JobTray } from "../components/schedule/JobTray";
import {
  addDays,
  formatDay,
  formatTimeRange,
  formatWeek,
  hhmm,
  localParts,
  localToIso,
  parseDay,
  todayIn,
  weekStart,
} from "../components/schedule/time";
import { WeekBoard } from "../components/schedule/WeekBoard";
import { type ActionError, asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import { useLiveEvents } from "../live";
import "../components/schedule/schedule.css";
import type { Route } from "./+types/schedule";

type View = "day" | "week";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "appointments:view-all");
  const { actor, org } = scope;
  const url = new URL(request.url);
  const timeZone = org.timeZone;
  const today = todayIn(timeZone);
  const view: View = url.searchParams.get("view") === "week" ? "week" : "day";
  const date = parseDay(url.searchParams.get("date")) ?? today;
  const first = view === "week" ? weekStart(date) : date;
  const last = view === "week" ? addDays(first, 6) : date;
  const canManage = can(actor, "jobs:manage", org.id);
  const canReview = can(actor, "transfers:review", org.id);
  const [schedule, openJobs, pending] = await Promise.all([
    asPageError(() => getSchedule(scope, { from: first, to: last })),
    canManage ? listJobs(scope, { status: "OPEN", limit: 500 }) : Promise.resolve([]),
    canReview ? listTransfers(scope, { status: "PENDING", voided: "false", limit: 100 }) : Promise.resolve(null),
  ]);
  return {
    orgId: org.id,
    orgName: org.name,
    timeZone,
    today,
    view,
    date,
    first,
    schedule,
    canManage,
    openJobs,
    pendingTransfers: pending ? pending.length : null,
  };
}

/** "2026-12-02" + "09:30" in the org's zone, or an ISO instant from a drag. */
function startsAtOf(form: Record<string, unknown>, timeZone: string): string | undefined | { error: string } {
  if (typeof form.startsAt === "string") return form.startsAt;
  const date = typeof form.date === "string" ? form.date : "";
  const time = typeof form.time === "string" ? form.time : "";
  if (!date && !time) return undefined;
  const iso = localToIso(date, time, timeZone);
  return iso ?? { error: !date ? "Choose a date." : !time ? "Choose a start time." : "Not a real date and time." };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, {
    assign: "jobs:manage",
    reschedule: "jobs:manage",
    cancel: "jobs:manage",
  });
  const form = formObject(formData, { keepEmpty: ["note"] });
  const appointmentId = String(form.appointmentId ?? "");
  if (intent === "cancel") {
    const input = { reason: typeof form.reason === "string" && form.reason ? form.reason : null };
    return formAction(input, AppointmentCancelInput, async (valid) => ({
      intent,
      appointment: await cancelAppointment(scope, appointmentId, valid),
    }));
  }

  const startsAt = startsAtOf(form, scope.org.timeZone);
  if (typeof startsAt === "object") {
    const error = badRequest("Some fields are missing or invalid.", { time: [startsAt.error] });
    return data<ActionError>({ ok: false, ...error.toBody() }, { status: error.status });
  }
  // The dialog's checkboxes send nothing when none is ticked: that is "no technician", not "unchanged".
  const technicianIds =
    formData.has("_technicians") || formData.has("technicianIds")
      ? formData.getAll("technicianIds").map(String)
      : undefined;
  const input: Record<string, unknown> = {
    startsAt,
    technicianIds,
    durationMinutes: form.durationMinutes === undefined ? undefined : Number(form.durationMinutes),
  };
  if (typeof form.note === "string")
    input.note = form.note === "" ? (intent === "reschedule" ? null : undefined) : form.note;
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];

  if (intent === "assign") {
    return formAction({ ...input, jobId: form.jobId }, AppointmentCreateInput, async (valid) => ({
      intent,
      appointment: await createAppointment(scope, valid),
    }));
  }
  return formAction(input, AppointmentPatchInput, async (valid) => ({
    intent,
    appointment: await updateAppointment(scope, appointmentId, valid),
  }));
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: `Schedule · ${loaderData?.orgName ?? "RefriTrak"} · RefriTrak` },
];

type Notice =
  | { tone: "success"; text: string; appointment: Appointment }
  | { tone: "error"; text: string; fields?: Record<string, string[]> };

function describeResult(result: DialogResult, timeZone: string, today: string): Notice {
  if (!result.ok) return { tone: "error", text: result.error.message, fields: result.error.fields };
  const { intent, appointment } = result.result;
  const names = joinNames(appointment.technicians.map((tech) => tech.name));
  const { day } = localParts(appointment.startsAt, timeZone);
  const when = `${day === today ? "today" : formatDay(day, "medium")}, ${formatTimeRange(appointment.startsAt, appointment.endsAt, timeZone)}`;
  const text =
    intent === "cancel"
      ? `${appointment.job.label} appointment canceled.`
      : intent === "assign"
        ? `${appointment.job.label} assigned to ${names} — ${when}.`
        : `${appointment.job.label} moved: ${names} — ${when}.`;
  return { tone: "success", text, appointment };
}

export default function Schedule({ loaderData }: Route.ComponentProps) {
  const { orgId, timeZone, today, view, date, first, schedule, canManage, openJobs, pendingTransfers } = loaderData;
  const [board, setBoard] = useState<BoardState>(schedule);
  // A fresh load (navigation or background revalidation) is the truth; live events refine it.
  useEffect(() => setBoard(schedule), [schedule]);
  const range = useMemo(() => ({ from: schedule.from, to: schedule.to }), [schedule.from, schedule.to]);

  useLiveEvents((event) => {
    if (event.orgId !== orgId) return;
    if (event.entity === "appointment") {
      const appointment = eventAppointment(event.data);
      if (appointment) setBoard((state) => applyAppointment(state, appointment, range));
      // The job's new state rides along when the appointment moved it (e.g. to SCHEDULED).
      const job = eventJob(event.data);
      if (job) setBoard((state) => applyJob(state, job, "updated"));
    } else if (event.entity === "job") {
      const job = eventJob(event.data);
      if (job) setBoard((state) => applyJob(state, job, event.action));
    }
  });

  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const onResult = useCallback(
    (result: DialogResult) => setNotice(describeResult(result, timeZone, today)),
    [timeZone, today],
  );
  const closeDialog = useCallback(() => setDialog(null), []);

  // Drag and drop writes through its own fetcher; its answer shows like the dialog's.
  const dragFetcher = useFetcher<DialogResult>({ key: "schedule-drag" });
  const dragReported = useRef<unknown>(null);
  useEffect(() => {
    if (dragFetcher.state !== "idle" || !dragFetcher.data || dragReported.current === dragFetcher.data) return;
    dragReported.current = dragFetcher.data;
    onResult(dragFetcher.data);
    // A refused move snaps back to what the server holds.
    if (!dragFetcher.data.ok) setBoard(schedule);
  }, [dragFetcher.state, dragFetcher.data, onResult, schedule]);

  const drag = useRef<DragItem | null>(null);
  const onDrop = (target: DropTarget) => {
    const item = drag.current;
    drag.current = null;
    if (!item) return;
    const body = new FormData();
    if (item.kind === "job") {
      const startsAt = localToIso(target.day, hhmm(target.minutes ?? 8 * 60), timeZone);
      if (!startsAt) return;
      body.set("intent", "assign");
      body.set("jobId", item.jobId);
      body.set("technicianIds", target.technicianId);
      body.set("startsAt", startsAt);
      setNotice(null);
      void dragFetcher.submit(body, { method: "post" });
      return;
    }
    const { appointment, fromTechnicianId } = item;
    const minutes = target.minutes ?? localParts(appointment.startsAt, timeZone).minutes;
    const startsAt = localToIso(target.day, hhmm(minutes), timeZone);
    if (!startsAt) return;
    const technicianIds = appointment.technicians.map((tech) =>
      tech.id === fromTechnicianId ? target.technicianId : tech.id,
    );
    const uniqueIds = [...new Set(technicianIds)];
    const sameTechs = uniqueIds.join() === appointment.technicians.map((tech) => tech.id).join();
    if (Date.parse(startsAt) === Date.parse(appointment.startsAt) && sameTechs) return;
    // Show the move at once; the answer (or the live event) confirms it.
    const techniciansById = new Map(board.technicians.map((tech) => [tech.id, tech]));
    const moved: Appointment = {
      ...appointment,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + appointment.durationMinutes * 60_000).toISOString(),
      technicians: uniqueIds.map(
        (id) =>
          techniciansById.get(id) ??
          appointment.technicians.find((tech) => tech.id === id) ?? { id, name: "", certificationType: null },
      ),
    };
    setBoard((state) => applyAppointment(state, moved, range));
    body.set("intent", "reschedule");
    body.set("appointmentId", appointment.id);
    body.set("startsAt", startsAt);
    if (!sameTechs) for (const id of uniqueIds) body.append("technicianIds", id);
    setNotice(null);
    void dragFetcher.submit(body, { method: "post" });
  };

  const trayIds = new Set(board.unassignedJobs.map((job) => job.id));
  const pickerJobs = {
    tray: board.unassignedJobs,
    scheduled: openJobs.filter((job: JobSummary) => !trayIds.has(job.id)),
  };
  const href = (next: { date?: string; view?: View }) => {
    const params = new URLSearchParams({ date: next.date ?? date });
    if ((next.view ?? view) === "week") params.set("view", "week");
    return `/o/${orgId}/schedule?${params}`;
  };
  const step = view === "week" ? 7 : 1;
  const conflicts = board.appointments.flatMap((appointment) =>
    isOpenAppointment(appointment) ? appointment.warnings.map((warning) => ({ appointment, warning })) : [],
  );
  const heading = view === "week" ? `Week of ${formatWeek(first)}` : formatDay(date, "long");

  return (
    <div className="page sched-page stack">
      <header className="page-header">
        <div>
          <p className="eyebrow">{loaderData.orgName}</p>
          <h1 className="page-title">Schedule</h1>
          <p className="lede">Who is where, live. Drag a job onto a technician, or pick one with Assign.</p>
        </div>
        <div className="cluster">
          {pendingTransfers ? (
            <Link to={`/o/${orgId}/transfers?status=PENDING`} className="button button-secondary">
              {pendingTransfers >= 100 ? "100+" : pendingTransfers} pending transfer{" "}
              {pendingTransfers === 1 ? "approval" : "approvals"}
            </Link>
          ) : null}
          {canManage ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setDialog({ mode: "assign", day: date })}
            >
              Schedule a job
            </button>
          ) : null}
        </div>
      </header>

      <div className="sched-toolbar">
        <nav className="sched-dates" aria-label="Dates">
          <Link className="button button-secondary button-small" to={href({ date: addDays(date, -step) })}>
            <span aria-hidden="true">‹</span> {view === "week" ? "Previous week" : "Previous day"}
          </Link>
          <Link
            className="button button-secondary button-small"
            to={href({ date: today })}
            aria-current={date === today ? "date" : undefined}
          >
            Today
          </Link>
          <Link className="button button-secondary button-small" to={href({ date: addDays(date, step) })}>
            {view === "week" ? "Next week" : "Next day"} <span aria-hidden="true">›</span>
          </Link>
        </nav>
        <h2 className="sched-heading" aria-live="polite">
          {heading}
        </h2>
        <Form method="get" className="sched-jump">
          {view === "week" ? <input type="hidden" name="view" value="week" /> : null}
          <label className="visually-hidden" htmlFor="sched-jump-date">
            Go to date
          </label>
          <input id="sched-jump-date" className="input" type="date" name="date" defaultValue={date} key={date} />
          <button type="submit" className="button button-ghost button-small">
            Go
          </button>
        </Form>
        <nav className="sched-views" aria-label="View">
          <Link to={href({ view: "day" })} aria-current={view === "day" ? "page" : undefined}>
            Day
          </Link>
          <Link to={href({ view: "week" })} aria-current={view === "week" ? "page" : undefined}>
            Week
          </Link>
        </nav>
      </div>

      <div className="sched-notice" role="status" aria-live="polite">
        {notice?.tone === "success" ? (
          <div className="alert alert-success">
            <p>{notice.text}</p>
            {notice.appointment.warnings.length ? (
              <ul className="sched-warning-list">
                {notice.appointment.warnings.map((warning) => (
                  <li key={`${warning.code}-${warning.technicianId}-${warning.appointmentId ?? warning.unitId ?? ""}`}>
                    <WarningIcon /> {warning.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      {notice?.tone === "error" ? (
        <div className="alert alert-error" role="alert">
          <p>{notice.text}</p>
          {notice.fields ? (
            <ul>
              {Object.entries(notice.fields).map(([name, messages]) => (
                <li key={name}>{messages.join(" ")}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {conflicts.length ? (
        <section className="alert alert-warning sched-conflicts" aria-labelledby="conflicts-title">
          <p id="conflicts-title" className="alert-title">
            <WarningIcon /> {conflicts.length} {conflicts.length === 1 ? "conflict" : "conflicts"}{" "}
            {view === "week" ? "this week" : "this day"}
          </p>
          <ul>
            {conflicts.map(({ appointment, warning }) => (
              <li key={`${appointment.id}-${warning.code}-${warning.technicianId}-${warning.unitId ?? ""}`}>
                <button type="button" className="link-button" onClick={() => setDialog({ mode: "edit", appointment })}>
                  {appointment.job.label}
                </button>{" "}
                ({formatTimeRange(appointment.startsAt, appointment.endsAt, timeZone)}): {warning.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="sched-layout">
        <section className="sched-board card" aria-label={view === "week" ? "Week board" : "Day board"}>
          <Legend />
          {view === "week" ? (
            <WeekBoard
              firstDay={first}
              today={today}
              timeZone={timeZone}
              technicians={board.technicians}
              appointments={board.appointments}
              canManage={canManage}
              drag={drag}
              onDrop={onDrop}
              onOpen={(appointment) => setDialog({ mode: "edit", appointment })}
              dayHref={(day) => href({ date: day, view: "day" })}
            />
          ) : (
            <DayBoard
              day={date}
              timeZone={timeZone}
              technicians={board.technicians}
              appointments={board.appointments}
              canManage={canManage}
              drag={drag}
              onDrop={onDrop}
              onOpen={(appointment) => setDialog({ mode: "edit", appointment })}
              isToday={date === today}
            />
          )}
          {board.appointments.length === 0 ? (
            <p className="muted small sched-empty">
              Nothing booked {view === "week" ? "this week" : date === today ? "today" : "this day"} yet.
            </p>
          ) : null}
        </section>
        <JobTray
          orgId={orgId}
          jobs={board.unassignedJobs}
          canManage={canManage}
          drag={drag}
          onAssign={(job) => setDialog({ mode: "assign", jobId: job.id, day: date })}
        />
      </div>

      {canManage ? (
        <AppointmentDialog
          request={dialog}
          onClose={closeDialog}
          onResult={onResult}
          orgId={orgId}
          jobs={pickerJobs}
          technicians={board.technicians}
          timeZone={timeZone}
        />
      ) : null}
    </div>
  );
}

function Legend() {
  const statuses = ["SCHEDULED", "EN_ROUTE", "IN_PROGRESS", "COMPLETED"] as const;
  return (
    <ul className="sched-legend" aria-label="Status colours">
      {statuses.map((status) => (
        <li key={status}>
          <span className={`sched-swatch is-${status.toLowerCase()}`} aria-hidden="true" />
          {APPOINTMENT_STATUS_LABELS[status]}
        </li>
      ))}
      <li>
        <WarningIcon /> Conflict
      </li>
    </ul>
  );
}
