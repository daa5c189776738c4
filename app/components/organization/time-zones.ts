/** Time-zone choices: the zones US contractors use first, then every zone the runtime knows. */
import type { SelectOption } from "../form";

const COMMON_ZONES: readonly SelectOption[] = [
  { value: "America/New_York", label: "Eastern (New York)" },
  { value: "America/Chicago", label: "Central (Chicago)" },
  { value: "America/Denver", label: "Mountain (Denver)" },
  { value: "America/Phoenix", label: "Mountain, no DST (Phoenix)" },
  { value: "America/Los_Angeles", label: "Pacific (Los Angeles)" },
  { value: "America/Anchorage", label: "Alaska (Anchorage)" },
  { value: "Pacific/Honolulu", label: "Hawaii (Honolulu)" },
  { value: "America/Puerto_Rico", label: "Atlantic (Puerto Rico)" },
];

/**
 * Computed in a loader (server side) so the list the browser hydrates is the one the server
 * rendered, whatever the browser's own time-zone database holds.
 */
export function timeZoneOptions(current?: string | null): SelectOption[] {
  const common = new Set(COMMON_ZONES.map((zone) => zone.value));
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const rest = [...new Set([...all, ...(current ? [current] : [])])]
    .filter((zone) => !common.has(zone))
    .sort()
    .map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }));
  return [...COMMON_ZONES, ...rest];
}
