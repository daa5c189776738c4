/**
 * The board's day view: one row per technician, hours across, each appointment a block placed by
 * its start and duration, coloured and labelled by status, conflicts marked with an icon and a
 * word. Overlapping blocks in a row (a double-booking) stack in lanes so both stay visible.
 * Managers drag tray jobs onto a row (new appointment at that time) and blocks to another row or
 * time (reschedule); every block is also a button that opens the picking dialog.
 */
import { useEffect, useState } from "react";
import type { Appointment } from "../../../worker/field/shapes";
import { APPOINTMENT_STATUS_LABELS } from "../jobs/labels";
import { certLabel } from "./AppointmentDialog";
import type { Technician } from "./board-state";
import { type DragRef, type DropTarget, snapMinutes, startDrag } from "./drag";
import { WARNING_SHORT } from "./status";
import { formatHour, formatTimeRange, minutesFromDayStart } from "./time";

const DEFAULT_START_HOUR = 6;
const DEFAULT_END_HOUR = 20;
const MOVABLE = new Set<Appointment["status"]>(["SCHEDULED", "EN_ROUTE"]);

type Placed = { appointment: Appointment; start: number; end: number; lane: number };

/** Start and end minutes of each appointment on `day`, and a lane per row so overlaps stack. */
function place(appointments: Appointment[], day: string, timeZone: string): { placed: Placed[]; lanes: number } {
  const items = appointments
    .map((appointment) => ({
      appointment,
      start: minutesFromDayStart(appointment.startsAt, day, timeZone),
      end: minutesFromDayStart(appointment.endsAt, day, timeZone),
      lane: 0,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const laneEnds: number[] = [];
  for (const item of items) {
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = item.end;
    item.lane = lane;
  }
  return { placed: items, lanes: Math.max(1, laneEnds.length) };
}

export function hourRange(appointments: Appointment[], day: string, timeZone: string) {
  let start = DEFAULT_START_HOUR;
  let end = DEFAULT_END_HOUR;
  for (const appointment of appointments) {
    const from = minutesFromDayStart(appointment.startsAt, day, timeZone);
    const to = minutesFromDayStart(appointment.endsAt, day, timeZone);
    start = Math.min(start, Math.max(0, Math.floor(from / 60)));
    end = Math.max(end, Math.min(24, Math.ceil(to / 60)));
  }
  return { start, end };
}

export function DayBoard({
  day,
  timeZone,
  technicians,
  appointments,
  canManage,
  drag,
  onDrop,
  onOpen,
  isToday,
}: {
  day: string;
  timeZone: string;
  technicians: Technician[];
  appointments: Appointment[];
  canManage: boolean;
  drag: DragRef;
  onDrop: (target: DropTarget) => void;
  onOpen: (appointment: Appointment) => void;
  isToday: boolean;
}) {
  const hours = hourRange(appointments, day, timeZone);
  const span = (hours.end - hours.start) * 60;
  const [hover, setHover] = useState<{ technicianId: string; minutes: number; duration: number } | null>(null);
  const [now, setNow] = useState<number | null>(null);

  // The red "now" line: only in the browser (the server's render has no clock to agree with).
  useEffect(() => {
    if (!isToday) {
      setNow(null);
      return;
    }
    const tick = () => setNow(minutesFromDayStart(new Date().toISOString(), day, timeZone));
    tick();
    const timer = setInterval(tick, 60_000);
    return () => clearInterval(timer);
  }, [isToday, day, timeZone]);

  useEffect(() => {
    const clear = () => setHover(null);
    document.addEventListener("dragend", clear);
    document.addEventListener("drop", clear);
    return () => {
      document.removeEventListener("dragend", clear);
      document.removeEventListener("drop", clear);
    };
  }, []);

  const pct = (minutes: number) => `${((minutes - hours.start * 60) / span) * 100}%`;
  const slotAt = (event: React.DragEvent<HTMLElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const ratio = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    const item = drag.current;
    const grab = item?.kind === "appointment" ? item.grabMinutes : 0;
    return snapMinutes(hours.start * 60 + ratio * span - grab);
  };
  const hourLabels = Array.from({ length: hours.end - hours.start }, (_, i) => hours.start + i);
  const style = { "--sched-hours": hours.end - hours.start } as React.CSSProperties;

  if (technicians.length === 0) {
    return (
      <div className="empty-state">
        <p>No technicians yet. Add technicians under Organization → Users to schedule work.</p>
      </div>
    );
  }

  return (
    <div className="sched-scroll">
      <div className="sched-day" style={style}>
        <div className="sched-day-head" aria-hidden="true">
          <div className="sched-name-cell sched-corner">Technician</div>
          <div className="sched-hours">
            {hourLabels.map((hour) => (
              <span key={hour} className="sched-hour" style={{ left: pct(hour * 60) }}>
                {formatHour(hour)}
              </span>
            ))}
          </div>
        </div>
        {technicians.map((tech) => {
          const own = appointments.filter((appointment) => appointment.technicians.some((t) => t.id === tech.id));
          const { placed, lanes } = place(own, day, timeZone);
          const ghost = hover?.technicianId === tech.id ? hover : null;
          return (
            <section
              key={tech.id}
              className="sched-row"
              aria-label={`${tech.name}: ${own.length} ${own.length === 1 ? "appointment" : "appointments"}`}
              data-technician-id={tech.id}
            >
              <div className="sched-name-cell">
                <span className="sched-tech-name">{tech.name}</span>
                <span className="muted small">
                  {tech.certificationType ? certLabel(tech.certificationType) : "No certification"} · {own.length}{" "}
                  {own.length === 1 ? "visit" : "visits"}
                </span>
              </div>
              {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop zone for the mouse; keyboard and touch users schedule through the dialog */}
              <div
                className={ghost ? "sched-track is-drop-target" : "sched-track"}
                style={{ "--sched-lanes": lanes } as React.CSSProperties}
                data-testid={`track-${tech.id}`}
                onDragOver={(event) => {
                  if (!canManage || !drag.current) return;
                  event.preventDefault();
                  event.dataTransfer.dropEffect = "move";
                  const minutes = slotAt(event);
                  const item = drag.current;
                  const duration = item.kind === "appointment" ? item.appointment.durationMinutes : 120;
                  if (ghost?.minutes !== minutes) setHover({ technicianId: tech.id, minutes, duration });
                }}
                onDragLeave={(event) => {
                  if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setHover(null);
                }}
                onDrop={(event) => {
                  if (!canManage || !drag.current) return;
                  event.preventDefault();
                  const minutes = slotAt(event);
                  setHover(null);
                  onDrop({ technicianId: tech.id, day, minutes });
                }}
              >
                {now !== null && now >= hours.start * 60 && now <= hours.end * 60 ? (
                  <span className="sched-now" style={{ left: pct(now) }} aria-hidden="true" />
                ) : null}
                {ghost ? (
                  <span
                    className="sched-ghost"
                    aria-hidden="true"
                    style={{
                      left: pct(ghost.minutes),
                      width: `${(Math.min(ghost.duration, hours.end * 60 - ghost.minutes) / span) * 100}%`,
                    }}
                  />
                ) : null}
                <ol className="sched-blocks">
                  {placed.map(({ appointment, start, end, lane }) => {
                    const from = Math.max(start, hours.start * 60);
                    const to = Math.min(end, hours.end * 60);
                    const warnings = appointment.warnings.filter((w) => w.technicianId === tech.id);
                    const movable = canManage && MOVABLE.has(appointment.status);
                    return (
                      <li
                        key={appointment.id}
                        className="sched-slot"
                        style={{
                          left: pct(from),
                          width: `${(Math.max(to - from, 15) / span) * 100}%`,
                          top: `calc(${lane} * var(--sched-lane-h) + 0.25rem)`,
                        }}
                      >
                        <button
                          type="button"
                          className={`sched-block is-${appointment.status.toLowerCase()}${warnings.length ? " has-warning" : ""}`}
                          draggable={movable}
                          data-appointment-id={appointment.id}
                          title={`${appointment.job.label} · ${appointment.job.customerName} · ${formatTimeRange(appointment.startsAt, appointment.endsAt, timeZone)}${warnings.map((w) => `\n⚠ ${w.message}`).join("")}`}
                          onClick={() => onOpen(appointment)}
                          onDragStart={(event) => {
                            const rect = event.currentTarget.getBoundingClientRect();
                            const trackWidth = event.currentTarget.closest(".sched-track")?.clientWidth ?? rect.width;
                            const grab = ((event.clientX - rect.left) / trackWidth) * span;
                            drag.current = {
                              kind: "appointment",
                              appointment,
                              fromTechnicianId: tech.id,
                              grabMinutes: Math.max(0, Math.round(grab / 15) * 15) + (from - start),
                            };
                            startDrag(event, appointment.job.label);
                          }}
                          onDragEnd={() => {
                            drag.current = null;
                          }}
                        >
                          <span className="sched-block-time">
                            {formatTimeRange(appointment.startsAt, appointment.endsAt, timeZone)}
                          </span>
                          <span className="sched-block-title">
                            {appointment.job.label} · {appointment.job.customerName}
                          </span>
                          <span className="sched-block-status">{APPOINTMENT_STATUS_LABELS[appointment.status]}</span>
                          {warnings.length ? (
                            <span className="sched-block-warning">
                              <WarningIcon />
                              {[...new Set(warnings.map((w) => WARNING_SHORT[w.code]))].join(", ")}
                            </span>
                          ) : null}
                        </button>
                      </li>
                    );
                  })}
                </ol>
              </div>
            </section>
          );
        })}
      </div>
    </div>
  );
}

export function WarningIcon() {
  return (
    <svg className="sched-warning-icon" viewBox="0 0 20 20" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M10 1.5a1.5 1.5 0 0 1 1.3.75l7.8 13.5A1.5 1.5 0 0 1 17.8 18H2.2a1.5 1.5 0 0 1-1.3-2.25l7.8-13.5A1.5 1.5 0 0 1 10 1.5Zm0 5a1 1 0 0 0-1 1v4a1 1 0 1 0 2 0v-4a1 1 0 0 0-1-1Zm0 8.25a1.1 1.1 0 1 0 0 2.2 1.1 1.1 0 0 0 0-2.2Z"
      />
    </svg>
  );
}
