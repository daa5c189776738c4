/**
 * The board's week view: technicians as rows, seven days as columns, each appointment a compact
 * chip (time, job, status, conflict mark). Dropping a tray job on a cell books it that day at
 * 8 AM; dropping a chip moves it to that technician and day at the same time of day.
 */
import { Link } from "react-router";
import type { Appointment } from "../../../worker/field/shapes";
import { APPOINTMENT_STATUS_LABELS } from "../jobs/labels";
import { certLabel } from "./AppointmentDialog";
import type { Technician } from "./board-state";
import { WarningIcon } from "./DayBoard";
import { type DragRef, type DropTarget, startDrag } from "./drag";
import { WARNING_SHORT } from "./status";
import { addDays, formatDay, formatTime, localParts } from "./time";

const MOVABLE = new Set<Appointment["status"]>(["SCHEDULED", "EN_ROUTE"]);

export function WeekBoard({
  firstDay,
  today,
  timeZone,
  technicians,
  appointments,
  canManage,
  drag,
  onDrop,
  onOpen,
  dayHref,
}: {
  firstDay: string;
  today: string;
  timeZone: string;
  technicians: Technician[];
  appointments: Appointment[];
  canManage: boolean;
  drag: DragRef;
  onDrop: (target: DropTarget) => void;
  onOpen: (appointment: Appointment) => void;
  dayHref: (day: string) => string;
}) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(firstDay, i));
  const dayOf = new Map(appointments.map((a) => [a.id, localParts(a.startsAt, timeZone).day]));

  if (technicians.length === 0) {
    return (
      <div className="empty-state">
        <p>No technicians yet. Add technicians under Organization → Users to schedule work.</p>
      </div>
    );
  }

  return (
    <div className="sched-scroll">
      <table className="sched-week">
        <caption className="visually-hidden">Appointments by technician and day</caption>
        <thead>
          <tr>
            <th scope="col" className="sched-name-cell sched-corner">
              Technician
            </th>
            {days.map((day) => (
              <th key={day} scope="col" className={day === today ? "is-today" : undefined}>
                <Link to={dayHref(day)} className="sched-week-day">
                  <span>{formatDay(day, "weekday")}</span>
                  <span className="sched-week-date">{formatDay(day, "short")}</span>
                </Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {technicians.map((tech) => (
            <tr key={tech.id} data-technician-id={tech.id}>
              <th scope="row" className="sched-name-cell">
                <span className="sched-tech-name">{tech.name}</span>
                <br />
                <span className="muted small">
                  {tech.certificationType ? certLabel(tech.certificationType) : "No certification"}
                </span>
              </th>
              {days.map((day) => {
                const own = appointments.filter(
                  (a) => dayOf.get(a.id) === day && a.technicians.some((t) => t.id === tech.id),
                );
                return (
                  <td
                    key={day}
                    className={day === today ? "sched-week-cell is-today" : "sched-week-cell"}
                    data-testid={`cell-${tech.id}-${day}`}
                    onDragOver={(event) => {
                      if (!canManage || !drag.current) return;
                      event.preventDefault();
                      event.dataTransfer.dropEffect = "move";
                      event.currentTarget.classList.add("is-drop-target");
                    }}
                    onDragLeave={(event) => {
                      if (!event.currentTarget.contains(event.relatedTarget as Node | null))
                        event.currentTarget.classList.remove("is-drop-target");
                    }}
                    onDrop={(event) => {
                      event.currentTarget.classList.remove("is-drop-target");
                      if (!canManage || !drag.current) return;
                      event.preventDefault();
                      onDrop({ technicianId: tech.id, day, minutes: null });
                    }}
                  >
                    {own.length ? (
                      <ul className="sched-chips">
                        {own.map((appointment) => {
                          const warnings = appointment.warnings.filter((w) => w.technicianId === tech.id);
                          return (
                            <li key={appointment.id}>
                              <button
                                type="button"
                                className={`sched-chip is-${appointment.status.toLowerCase()}${warnings.length ? " has-warning" : ""}`}
                                draggable={canManage && MOVABLE.has(appointment.status)}
                                data-appointment-id={appointment.id}
                                title={`${appointment.job.customerName} — ${appointment.job.description}`}
                                onClick={() => onOpen(appointment)}
                                onDragStart={(event) => {
                                  drag.current = {
                                    kind: "appointment",
                                    appointment,
                                    fromTechnicianId: tech.id,
                                    grabMinutes: 0,
                                  };
                                  startDrag(event, appointment.job.label);
                                }}
                                onDragEnd={() => {
                                  drag.current = null;
                                }}
                              >
                                <span className="sched-chip-time">{formatTime(appointment.startsAt, timeZone)}</span>
                                <span className="sched-chip-title">{appointment.job.label}</span>
                                <span className="sched-chip-status">
                                  {APPOINTMENT_STATUS_LABELS[appointment.status]}
                                </span>
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
                      </ul>
                    ) : (
                      <span className="visually-hidden">Free</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
