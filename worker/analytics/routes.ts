import { createRoute } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { Analytics } from "./schemas";
import { orgAnalytics } from "./service";

export const analyticsRoutes = createApi().openapi(
  createRoute({
    method: "get",
    path: "/orgs/{orgId}/analytics",
    tags: ["analytics"],
    summary:
      "Dashboard figures: every org of the company side by side and in total for a parent org admin at the top-level org, else this org (reports:view)",
    request: { params: OrgParams },
    responses: { 200: jsonContent(Analytics), ...errorResponses },
  }),
  async (c) => {
    const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "reports:view");
    return c.json(await orgAnalytics(scope), 200);
  },
);
