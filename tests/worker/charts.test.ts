/**
 * The dashboard's server-drawn charts are kept by the numbers they were drawn from: the same
 * figures give the same chart, and any change (a job more, a renamed org) draws a new one; a
 * chart is never stale.
 */
import { describe, expect, it } from "vitest";
import { jobsByStatusChart } from "../../app/components/analytics/charts.server";
import type { Analytics } from "../../worker/analytics/schemas";

type Org = { name: string; completed: number; pending: number };

/** Only what the jobs chart reads of the analytics. */
const analyticsOf = (orgs: Org[]) =>
  ({
    orgs: orgs.map((org) => ({
      name: org.name,
      jobs: {
        total: org.completed + org.pending,
        byStatus: { PENDING: org.pending, SCHEDULED: 0, IN_PROGRESS: 0, COMPLETED: org.completed, CANCELED: 0 },
      },
    })),
  }) as unknown as Analytics;

describe("dashboard charts", () => {
  it("draws the same chart for the same figures and a new one for any change", () => {
    const north = { name: "Polar North", completed: 3, pending: 1 };
    const south = { name: "Polar South", completed: 1, pending: 2 };
    const figures = [north, south];
    const first = jobsByStatusChart(analyticsOf(figures));
    expect(first?.wide).toContain("<svg");
    expect(first?.wide).toContain("Polar North");
    expect(jobsByStatusChart(analyticsOf(structuredClone(figures)))).toEqual(first);

    const oneMore = jobsByStatusChart(analyticsOf([{ ...north, completed: 4 }, south]));
    expect(oneMore?.wide).not.toBe(first?.wide);
    expect(oneMore?.narrow).not.toBe(first?.narrow);

    const renamed = jobsByStatusChart(analyticsOf([{ ...north, name: "Polar Northwest" }, south]));
    expect(renamed?.wide).toContain("Polar Northwest");

    // The first figures again: their own chart, not the last one drawn.
    expect(jobsByStatusChart(analyticsOf(figures))).toEqual(first);
    // No jobs anywhere: no chart.
    expect(jobsByStatusChart(analyticsOf([{ name: "Polar North", completed: 0, pending: 0 }]))).toBeNull();
  });
});
