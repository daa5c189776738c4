import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { createSupportRequest, SupportInput } from "./service";

export const supportRoutes = createApi().openapi(
  createRoute({
    method: "post",
    path: "/orgs/{orgId}/support",
    tags: ["support"],
    summary: "Send a support request from the user menu",
    request: { params: OrgParams, body: jsonBody(SupportInput) },
    responses: { 201: jsonContent(z.object({ id: z.string(), createdAt: z.string() })), ...errorResponses },
  }),
  async (c) => {
    const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "support:create");
    return c.json(await createSupportRequest(scope, c.req.valid("json")), 201);
  },
);
