import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { requireOrgAccess, requireOrgPermission } from "../policy/guards";
import { OrgSettingsPatch, SubOrgInput } from "./schemas";
import {
  archiveSubOrg,
  createSubOrg,
  getOrgSettings,
  listArchivedSubOrgs,
  listSubOrgs,
  updateOrgSettings,
} from "./service";

const Org = z
  .object({ id: z.string(), name: z.string(), parentOrgId: z.string().nullable(), plan: z.string() })
  .passthrough()
  .openapi("Organization");
const SubOrgParams = OrgParams.extend({ subOrgId: z.string().min(1).max(64) });
const tags = ["organizations"];
const writeErrors = { ...errorResponses, 409: errorResponses[400] };

export const orgRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}",
      tags,
      summary: "Organization settings (any member)",
      request: { params: OrgParams },
      responses: { 200: jsonContent(Org), ...errorResponses },
    }),
    async (c) => c.json(await getOrgSettings(await requireOrgAccess(scopeOf(c), c.req.valid("param").orgId)), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}",
      tags,
      summary: "Update name, EIN, brand, time zone, EPA config (org admins)",
      request: { params: OrgParams, body: jsonBody(OrgSettingsPatch) },
      responses: { 200: jsonContent(Org), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "org:settings");
      return c.json(await updateOrgSettings(scope, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/sub-orgs",
      tags,
      summary: "Sub-organizations (parent org admin), and the archived ones (records kept)",
      request: { params: OrgParams },
      responses: {
        200: jsonContent(
          z.object({
            subOrgs: z.array(Org),
            archivedSubOrgs: z.array(z.object({ id: z.string(), name: z.string(), archivedAt: z.string() })),
          }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "suborgs:manage");
      const [subOrgs, archivedSubOrgs] = await Promise.all([listSubOrgs(scope), listArchivedSubOrgs(scope)]);
      return c.json({ subOrgs, archivedSubOrgs }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/sub-orgs",
      tags,
      summary: "Create a sub-organization (parent org admin, PRO/ENTERPRISE)",
      request: { params: OrgParams, body: jsonBody(SubOrgInput) },
      responses: { 201: jsonContent(Org), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "suborgs:manage");
      return c.json(await createSubOrg(scope, c.req.valid("json")), 201);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/sub-orgs/{subOrgId}",
      tags,
      summary: "Archive a sub-organization (its records are kept)",
      request: { params: SubOrgParams },
      responses: { 204: { description: "Archived" }, ...errorResponses },
    }),
    async (c) => {
      const { orgId, subOrgId } = c.req.valid("param");
      await archiveSubOrg(await requireOrgPermission(scopeOf(c), orgId, "suborgs:manage"), subOrgId);
      return c.body(null, 204);
    },
  );
