/**
 * The shared date formats (worker/intl.ts): reused, but never mixed up between time zones, locales
 * or options, and an unknown zone still fails so that callers fall back as before.
 */
import { describe, expect, it } from "vitest";
import { formatDateTime } from "../../app/components/datetime";
import { formatTimeRange } from "../../app/components/schedule/time";
import { todayIn } from "../../worker/cylinders/rules";
import { dateTimeFormat } from "../../worker/intl";

const instant = new Date("2026-11-28T04:30:00Z");

describe("dateTimeFormat", () => {
  it("reuses one format per locale and options, and keeps zones, locales and options apart", () => {
    const chicago = dateTimeFormat("en-US", { timeZone: "America/Chicago", hour: "numeric", minute: "2-digit" });
    expect(dateTimeFormat("en-US", { timeZone: "America/Chicago", hour: "numeric", minute: "2-digit" })).toBe(chicago);
    expect(chicago.format(instant)).toBe("10:30 PM");
    expect(
      dateTimeFormat("en-US", { timeZone: "Asia/Tokyo", hour: "numeric", minute: "2-digit" }).format(instant),
    ).toBe("1:30 PM");
    expect(dateTimeFormat("en-US", { timeZone: "America/Chicago", hour: "numeric" }).format(instant)).toBe("10 PM");
    const day = { timeZone: "America/Chicago", year: "numeric", month: "2-digit", day: "2-digit" } as const;
    expect(dateTimeFormat("en-CA", day).format(instant)).toBe("2026-11-27");
    expect(dateTimeFormat("en-US", day).format(instant)).toBe("11/27/2026");
  });

  it("still refuses an unknown time zone every time, so the screens fall back to UTC", () => {
    for (let i = 0; i < 2; i++) {
      expect(() => dateTimeFormat("en-US", { timeZone: "Mars/Olympus_Mons" })).toThrow(RangeError);
    }
    expect(formatDateTime(instant.toISOString(), "Mars/Olympus_Mons")).toBe("Nov 28, 2026, 4:30 AM");
    expect(formatDateTime(instant.toISOString(), "America/Chicago")).toBe("Nov 27, 2026, 10:30 PM");
  });

  it("formats what the board and the cylinder rules show, in each org's zone, however often", () => {
    for (let i = 0; i < 3; i++) {
      expect(formatTimeRange("2026-11-28T15:00:00Z", "2026-11-28T17:00:00Z", "America/New_York")).toBe(
        "10:00 AM – 12:00 PM",
      );
      expect(formatTimeRange("2026-11-28T15:00:00Z", "2026-11-28T17:00:00Z", "America/Los_Angeles")).toBe(
        "7:00 AM – 9:00 AM",
      );
      expect(todayIn("Pacific/Auckland", instant)).toBe("2026-11-28");
      expect(todayIn("America/Chicago", instant)).toBe("2026-11-27");
    }
  });
});
