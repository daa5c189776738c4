import { z } from "@hono/zod-openapi";

/** The longest period one report covers (EPA asks to keep records 3 years). */
export const MAX_REPORT_YEARS = 3;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether "YYYY-MM-DD" names a day that exists (2026-02-30 does not). */
export function isRealDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The day `years` years after a YYYY-MM-DD day (Feb 29 → Feb 28 in a common year). */
export function addYearsToDay(day: string, years: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const target = y + years;
  const lastDay = new Date(Date.UTC(target, m, 0)).getUTCDate();
  return `${target}-${String(m).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
}

const Day = z
  .string()
  .regex(DAY, "Use a date as YYYY-MM-DD.")
  .refine(isRealDay, "This date does not exist.")
  .refine((value) => {
    const year = Number(value.slice(0, 4));
    return year >= 1970 && year <= 2999;
  }, "Use a year between 1970 and 2999.");

export const ReportFormat = z.enum(["json", "csv", "pdf"]);

export const ComplianceReportQuery = z
  .object({
    from: Day.optional().openapi({
      description: "First day (in the org's time zone), inclusive",
      example: "2026-01-01",
    }),
    to: Day.optional().openapi({ description: "Last day (in the org's time zone), inclusive", example: "2026-12-31" }),
    format: ReportFormat.optional().openapi({ description: "json (default), csv (service records) or pdf" }),
  })
  .superRefine((query, ctx) => {
    const { from, to } = query;
    if (!from || !to || !isRealDay(from) || !isRealDay(to)) return;
    if (from > to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end date must be on or after the start date." });
    } else if (to >= addYearsToDay(from, MAX_REPORT_YEARS)) {
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `A report covers at most ${MAX_REPORT_YEARS} years: choose an end date before ${addYearsToDay(from, MAX_REPORT_YEARS)}.`,
      });
    }
  })
  .openapi("ComplianceReportQuery");

export type ComplianceReportQuery = z.infer<typeof ComplianceReportQuery>;
