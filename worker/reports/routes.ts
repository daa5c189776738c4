import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { serviceRecordsCsv } from "./csv";
import { complianceReportPdf } from "./pdf";
import { ComplianceReportQuery } from "./schemas";
import { complianceReport, complianceSummary } from "./service";

const tags = ["reports"];

// The report and summary are large nested documents built by the services; the schemas name their
// top-level parts for the OpenAPI document.
const ComplianceReportBody = z
  .object({
    org: z.object({ id: z.string(), name: z.string(), ein: z.string().nullable() }).passthrough(),
    aggregated: z.boolean(),
    period: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), start: z.string(), end: z.string() }),
    generatedAt: z.string(),
    serviceRecords: z.array(z.object({ id: z.string(), kind: z.string(), performedAt: z.string() }).passthrough()),
    leakRepairs: z.array(z.object({ id: z.string(), status: z.string(), overdue: z.boolean() }).passthrough()),
    chronicLeakers: z.array(z.object({ year: z.number(), reportDueAt: z.string() }).passthrough()),
    summary: z
      .object({
        lbAddedByRefrigerant: z.record(z.string(), z.number()),
        lbRecoveredByRefrigerant: z.record(z.string(), z.number()),
        unitsOverThreshold: z.number(),
        openRepairs: z.number(),
        overdueRepairs: z.number(),
      })
      .passthrough(),
  })
  .passthrough()
  .openapi("ComplianceReport");

const ComplianceSummaryBody = z
  .object({
    org: z.object({ id: z.string(), name: z.string() }).passthrough(),
    aggregated: z.boolean(),
    openRepairs: z.array(z.object({ id: z.string(), orgId: z.string(), overdue: z.boolean() }).passthrough()),
    alerts: z.array(z.object({ orgId: z.string() }).passthrough()),
    unitsOverThreshold: z.array(z.object({ orgId: z.string() }).passthrough()),
    chronicLeakers: z.array(z.object({ orgId: z.string(), year: z.number() }).passthrough()),
    counts: z.record(z.string(), z.number()),
  })
  .passthrough()
  .openapi("ComplianceSummary");

/** "Polar North" → "polar-north", for file names. */
const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "org";

export const reportsRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/reports/compliance",
      tags,
      summary:
        "Compliance report for a period (default: this calendar year): service records, leak repairs, chronic leakers; ?format=csv (service records) or pdf",
      request: { params: OrgParams, query: ComplianceReportQuery },
      responses: {
        200: {
          description: "The report as JSON, CSV or PDF",
          content: {
            "application/json": { schema: ComplianceReportBody },
            "text/csv": { schema: z.string() },
            "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "reports:view");
      const query = c.req.valid("query");
      const report = await complianceReport(scope, query);
      const file = `compliance-${slug(report.org.name)}-${report.period.from}-to-${report.period.to}`;
      if (query.format === "csv") {
        c.header("Content-Type", "text/csv; charset=utf-8");
        c.header("Content-Disposition", `attachment; filename="${file}.csv"`);
        c.header("Cache-Control", "private, no-store");
        return c.body(serviceRecordsCsv(report), 200) as never;
      }
      if (query.format === "pdf") {
        const pdf = await complianceReportPdf(report);
        c.header("Content-Type", "application/pdf");
        c.header("Content-Disposition", `attachment; filename="${file}.pdf"`);
        c.header("Cache-Control", "private, no-store");
        return c.body(pdf as Uint8Array<ArrayBuffer>, 200) as never;
      }
      return c.json(report, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/compliance/summary",
      tags,
      summary:
        "Compliance dashboard: open repairs (overdue first), leak-rate alerts, units over threshold, chronic leakers of this and last year; the whole company for a parent org admin at the parent",
      request: { params: OrgParams },
      responses: {
        200: { description: "OK", content: { "application/json": { schema: ComplianceSummaryBody } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "reports:view");
      return c.json(await complianceSummary(scope), 200);
    },
  );
