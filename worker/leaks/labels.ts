/** Words for leak statuses and detection methods, shared by the service and the pages. */
import type { LEAK_STATUSES } from "../../db/schema";

type LeakStatus = (typeof LEAK_STATUSES)[number];

export const DETECTION_LABELS: Record<string, string> = {
  ELECTRONIC: "Electronic detector",
  BUBBLE: "Bubble solution",
  UV_DYE: "UV dye",
  ULTRASONIC: "Ultrasonic",
  PRESSURE_TEST: "Pressure test",
  VISUAL: "Visual / oil trace",
  OTHER: "Other",
  LEAK_RATE: "Leak rate over threshold",
};

export const LEAK_STATUS_LABELS: Record<LeakStatus, string> = {
  OPEN: "Open",
  REPAIRED: "Repaired, verifying",
  VERIFIED: "Verified",
  VERIFICATION_FAILED: "Verification failed",
  RETROFIT_PLANNED: "Retrofit/retirement planned",
  RETIRED: "Retired",
  CLOSED: "Closed",
};
