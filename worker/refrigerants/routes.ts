import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgAccess } from "../policy/guards";
import { listRefrigerants } from "./service";

const Refrigerant = z
  .object({
    designation: z.string(),
    ods: z.boolean(),
    gwp: z.number(),
    family: z.string(),
    safetyClass: z.string(),
  })
  .openapi("Refrigerant");

export const refrigerantsRoutes = createApi().openapi(
  createRoute({
    method: "get",
    path: "/orgs/{orgId}/refrigerants",
    tags: ["refrigerants"],
    summary: "The refrigerant catalogue: designation, ODS or not, GWP (AR4), family, safety class (any member)",
    request: { params: OrgParams },
    responses: { 200: jsonContent(z.object({ refrigerants: z.array(Refrigerant) })), ...errorResponses },
  }),
  async (c) => {
    // Reference data: anyone who reaches the org may read it.
    const scope = await requireOrgAccess(scopeOf(c), c.req.valid("param").orgId);
    return c.json({ refrigerants: await listRefrigerants(scope.db) }, 200);
  },
);
