/**
 * HTML5 drag and drop on the board: what is being dragged lives in a ref the page owns (a
 * dataTransfer cannot be read during dragover), and a drop answers where it landed.
 */
import type { Appointment } from "../../../worker/field/shapes";

export type DragItem =
  | { kind: "job"; jobId: string; label: string }
  | {
      kind: "appointment";
      appointment: Appointment;
      /** The row it was dragged from (a block shows once per technician). */
      fromTechnicianId: string;
      /** Minutes between the block's start and where it was grabbed (day view), so it moves as held. */
      grabMinutes: number;
    };

export type DropTarget = {
  technicianId: string;
  day: string /** Minutes after local midnight; null: keep the time of day. */;
  minutes: number | null;
};

export type DragRef = { current: DragItem | null };

/** Snap to quarter hours, within the day. */
export const snapMinutes = (minutes: number) => Math.min(24 * 60 - 15, Math.max(0, Math.round(minutes / 15) * 15));

/** Marks the drag as a move, with a plain-text payload (some browsers start no drag without one). */
export function startDrag(event: React.DragEvent, text: string) {
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", text);
}
