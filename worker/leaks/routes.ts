import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import {
  LeakCloseInput,
  LeakListQuery,
  LeakParams,
  LeakRepairInput,
  LeakReportInput,
  LeakRetrofitPlanInput,
  LeakVerificationInput,
} from "./schemas";
import {
  closeLeak,
  getLeak,
  listLeaks,
  recordRepair,
  recordRetrofitPlan,
  recordVerification,
  reportLeak,
} from "./service";

const Deadline = z
  .object({ key: z.string(), label: z.string(), dueAt: z.string(), metAt: z.string().nullable(), overdue: z.boolean() })
  .passthrough()
  .openapi("LeakDeadline");
const LeakSummary = z
  .object({
    id: z.string(),
    status: z.string(),
    unit: z.object({ id: z.string(), name: z.string() }).passthrough(),
    foundAt: z.string(),
    repairDueAt: z.string().nullable(),
    overdue: z.boolean(),
    nextDeadline: Deadline.nullable(),
  })
  .passthrough()
  .openapi("LeakSummary");
const Leak = LeakSummary.extend({ deadlines: z.array(Deadline), timeline: z.array(z.any()) })
  .passthrough()
  .openapi("Leak");
const tags = ["leaks"];
const writeErrors = { ...errorResponses, 409: { ...errorResponses[400], description: "Out of order" } };

export const leaksRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/leaks",
      tags,
      summary: "Leak cases: overdue first, then by the nearest deadline (?status=ACTIVE for open cases, ?overdue=true)",
      request: { params: OrgParams, query: LeakListQuery },
      responses: { 200: jsonContent(z.object({ leaks: z.array(LeakSummary) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "leaks:view");
      return c.json({ leaks: await listLeaks(scope, c.req.valid("query")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/leaks",
      tags,
      summary:
        "Report a leak; when the unit's latest approved leak rate is over its threshold, the repair deadline runs",
      request: { params: OrgParams, body: jsonBody(LeakReportInput) },
      responses: { 201: jsonContent(Leak, "Reported"), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "leaks:report");
      return c.json(await reportLeak(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/leaks/{leakId}",
      tags,
      summary: "One leak case with its unit, the leak rate that opened it, its deadlines and timeline",
      request: { params: LeakParams },
      responses: { 200: jsonContent(Leak), ...errorResponses },
    }),
    async (c) => {
      const { orgId, leakId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "leaks:view");
      return c.json(await getLeak(scope, leakId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/leaks/{leakId}/repair",
      tags,
      summary: "Record the repair (after the leak was found)",
      request: { params: LeakParams, body: jsonBody(LeakRepairInput) },
      responses: { 200: jsonContent(Leak), ...writeErrors },
    }),
    async (c) => {
      const { orgId, leakId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "leaks:report");
      return c.json(await recordRepair(scope, leakId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/leaks/{leakId}/verification",
      tags,
      summary: "Record the initial or the follow-up verification test (follow-up due 10 days after the initial one)",
      request: { params: LeakParams, body: jsonBody(LeakVerificationInput) },
      responses: { 200: jsonContent(Leak), ...writeErrors },
    }),
    async (c) => {
      const { orgId, leakId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "leaks:report");
      return c.json(await recordVerification(scope, leakId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/leaks/{leakId}/retrofit-plan",
      tags,
      summary: "Record a retrofit or retirement plan (done within one year)",
      request: { params: LeakParams, body: jsonBody(LeakRetrofitPlanInput) },
      responses: { 200: jsonContent(Leak), ...writeErrors },
    }),
    async (c) => {
      const { orgId, leakId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "leaks:plan");
      return c.json(await recordRetrofitPlan(scope, leakId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/leaks/{leakId}/close",
      tags,
      summary: "Close the case as repaired or retired",
      request: { params: LeakParams, body: jsonBody(LeakCloseInput) },
      responses: { 200: jsonContent(Leak), ...writeErrors },
    }),
    async (c) => {
      const { orgId, leakId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "leaks:plan");
      return c.json(await closeLeak(scope, leakId, c.req.valid("json")), 200);
    },
  );
