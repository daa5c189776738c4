/** How leak cases read on screen. Labels come from the service; tones are presentation. */
import type { LEAK_STATUSES } from "../../../db/schema";

export type LeakStatus = (typeof LEAK_STATUSES)[number];

export const LEAK_STATUS_TONES: Record<LeakStatus, string> = {
  OPEN: "badge-red",
  REPAIRED: "badge-amber",
  VERIFIED: "badge-teal",
  VERIFICATION_FAILED: "badge-red",
  RETROFIT_PLANNED: "badge-violet",
  RETIRED: "",
  CLOSED: "badge-green",
};

export const DETECTION_OPTIONS = [
  { value: "ELECTRONIC", label: "Electronic detector" },
  { value: "BUBBLE", label: "Bubble solution" },
  { value: "UV_DYE", label: "UV dye" },
  { value: "ULTRASONIC", label: "Ultrasonic" },
  { value: "PRESSURE_TEST", label: "Pressure test" },
  { value: "VISUAL", label: "Visual / oil trace" },
  { value: "OTHER", label: "Other" },
] as const;
