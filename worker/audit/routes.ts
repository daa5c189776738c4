import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { AuditQuery, listAuditLog } from "./service";

export const auditRoutes = createApi().openapi(
  createRoute({
    method: "get",
    path: "/orgs/{orgId}/audit-log",
    tags: ["audit"],
    summary: "Append-only audit log, newest first (?before= cursor)",
    request: { params: OrgParams, query: AuditQuery },
    responses: {
      200: jsonContent(z.object({ entries: z.array(z.any()), nextBefore: z.number().nullable().optional() })),
      ...errorResponses,
    },
  }),
  async (c) => {
    const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "audit:view");
    return c.json(await listAuditLog(scope, c.req.valid("query")), 200);
  },
);
