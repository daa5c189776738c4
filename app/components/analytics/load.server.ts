/**
 * What the dashboard loader needs for the analytics panels: the same service as
 * GET /api/orgs/:orgId/analytics, the charts drawn from it, and which view the viewer gets. The
 * dashboard re-runs its loader after every live event it may see (app/live.ts; a parent org's room
 * also hears every sub-org's), so the figures follow the branches as they work.
 */
import { orgAnalytics } from "../../../worker/analytics/service";
import type { OrgScope } from "../../../worker/policy/guards";
import { can } from "../../../worker/policy/permissions";
import { co2eChart, jobsByStatusChart, refrigerantChart } from "./charts.server";

export type AnalyticsMode = "company" | "org" | "operational";

export async function dashboardAnalytics(scope: OrgScope) {
  const analytics = await orgAnalytics(scope);
  const mode: AnalyticsMode =
    analytics.view === "company" ? "company" : scope.actor.role === "MANAGER" ? "operational" : "org";
  return {
    ...analytics,
    mode,
    orgId: scope.org.id,
    viewerTimeZone: scope.user.timeZone,
    links: {
      approvals: can(scope.actor, "transfers:review", scope.org.id),
      leaks: can(scope.actor, "leaks:view", scope.org.id),
      schedule: can(scope.actor, "appointments:view-all", scope.org.id),
      compliance: can(scope.actor, "reports:view", scope.org.id),
    },
    charts: {
      jobs: jobsByStatusChart(analytics),
      refrigerant: refrigerantChart(analytics),
      co2e: co2eChart(analytics),
    },
  };
}

export type DashboardAnalytics = Awaited<ReturnType<typeof dashboardAnalytics>>;
