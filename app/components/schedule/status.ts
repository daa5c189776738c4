/**
 * What only the board and My day need beyond the shared labels of `../jobs/labels` (status and
 * priority words and tones, durations, name lists): the duration choices and the short warning marks.
 */
import type { ScheduleWarning } from "../../../worker/field/shapes";
import { formatDuration } from "../jobs/labels";

export const DURATION_CHOICES = [30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 480].map((minutes) => ({
  value: String(minutes),
  label: formatDuration(minutes),
}));

/** The short mark on a block: "Double-booked", "Certification". */
export const WARNING_SHORT: Record<ScheduleWarning["code"], string> = {
  DOUBLE_BOOKED: "Double-booked",
  CERTIFICATION: "Certification",
};
