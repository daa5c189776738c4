import { z } from "@hono/zod-openapi";
import { JOB_STATUSES } from "../../db/schema";

const Count = z.number().int().nonnegative();
const Lb = z.number().nonnegative();

export const RefrigerantFigures = z
  .object({
    refrigerant: z.string(),
    /** AR4 GWP from the refrigerants table; null when the designation is not in the catalogue. */
    gwp: z.number().nullable(),
    chargedLb: Lb,
    recoveredLb: Lb,
    /** Metric tonnes CO2e: lb × 0.45359237 × GWP / 1000. */
    chargedCo2eTonnes: Lb,
    recoveredCo2eTonnes: Lb,
  })
  .openapi("AnalyticsRefrigerant");

export const Figures = z
  .object({
    activeUsers: Count,
    jobs: z.object({
      /** Every status, zero when none (deleted jobs are not counted). */
      byStatus: z.object(
        Object.fromEntries(JOB_STATUSES.map((status) => [status, Count])) as Record<
          (typeof JOB_STATUSES)[number],
          typeof Count
        >,
      ),
      total: Count,
      /** PENDING, SCHEDULED or IN_PROGRESS. */
      open: Count,
    }),
    /** Appointments (not canceled) overlapping today, in the org's time zone. */
    appointmentsToday: Count,
    /** APPROVED, not voided transfers performed this calendar month (the org's time zone). */
    refrigerant: z.object({
      byRefrigerant: z.array(RefrigerantFigures),
      chargedLb: Lb,
      recoveredLb: Lb,
      chargedCo2eTonnes: Lb,
      recoveredCo2eTonnes: Lb,
    }),
    leaks: z.object({
      /** Leak cases with work or a deadline ahead (OPEN, REPAIRED, VERIFICATION_FAILED, RETROFIT_PLANNED). */
      openRepairs: Count,
      /** Of those, the ones with a deadline past and unmet (the leaks list's "overdue"). */
      overdueRepairs: Count,
      /** Active units whose latest approved leak rate is over the threshold, not repaired since. */
      unitsOverThreshold: Count,
      /** Chronic leakers (≥125% of the full charge added in a calendar year) of `chronicLeakerYears`. */
      chronicLeakers: Count,
    }),
    /** Cylinders not SOLD or RETIRED and not deleted. */
    cylinders: z.object({
      onHand: Count,
      lb: Lb,
      byRefrigerant: z.array(z.object({ refrigerant: z.string(), count: Count, lb: Lb })),
    }),
    /** Transfers waiting for a reviewer. */
    pendingApprovals: Count,
  })
  .openapi("AnalyticsFigures");

export const OrgFigures = Figures.extend({
  orgId: z.string(),
  name: z.string(),
  /** The top-level org of the company (the parent). */
  isParent: z.boolean(),
  timeZone: z.string(),
  /** Today (YYYY-MM-DD) and this month (YYYY-MM) in the org's time zone. */
  today: z.string(),
  month: z.string(),
}).openapi("AnalyticsOrg");

export const TechnicianWorkload = z
  .object({
    orgId: z.string(),
    userId: z.string(),
    name: z.string(),
    /** Appointments (not canceled) overlapping today in the org's time zone. */
    appointments: Count,
    /** Their scheduled duration, in hours. */
    hours: z.number().nonnegative(),
  })
  .openapi("TechnicianWorkload");

export const Analytics = z
  .object({
    /** "company": a parent org admin at the top-level org sees every org of the tree; "org": one org. */
    view: z.enum(["company", "org"]),
    generatedAt: z.string(),
    chronicLeakerYears: z.array(z.number().int()),
    /** The orgs covered (the parent first), side by side. */
    orgs: z.array(OrgFigures),
    /** The sum over `orgs`. */
    total: Figures,
    /** Today's load of every active technician of the covered orgs (home or granted access). */
    workload: z.array(TechnicianWorkload),
  })
  .openapi("Analytics");

export type Analytics = z.infer<typeof Analytics>;
export type Figures = z.infer<typeof Figures>;
export type OrgFigures = z.infer<typeof OrgFigures>;
