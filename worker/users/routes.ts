import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, OrgUserParams, scopeOf } from "../http/app";
import { requireOrgPermission } from "../policy/guards";
import { UserCreateInput, UserListQuery, UserPatchInput } from "./schemas";
import { createUser, deactivateUser, getUser, listUsers, updateUser, usersCsv } from "./service";

const User = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    status: z.string(),
    accessibleOrgIds: z.array(z.string()),
  })
  .passthrough()
  .openapi("OrgUser");
const tags = ["users"];
const writeErrors = { ...errorResponses, 409: errorResponses[400] };

export const userRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/users",
      tags,
      summary: "Users of the org (the parent org lists the whole company); ?format=csv exports",
      request: { params: OrgParams, query: UserListQuery },
      responses: { 200: jsonContent(z.object({ users: z.array(User) })), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "users:view");
      const query = c.req.valid("query");
      const list = await listUsers(scope, query);
      if (query.format === "csv") {
        c.header("Content-Type", "text/csv; charset=utf-8");
        c.header("Content-Disposition", `attachment; filename="users-${scope.org.id}.csv"`);
        return c.body(usersCsv(list), 200) as never;
      }
      return c.json({ users: list }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/users",
      tags,
      summary: "Add a user: creates an invitation whose link is returned and mailed",
      request: { params: OrgParams, body: jsonBody(UserCreateInput) },
      responses: {
        201: jsonContent(z.object({ user: User, invitation: z.object({ url: z.string(), expiresAt: z.string() }) })),
        ...writeErrors,
      },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "users:manage");
      return c.json(await createUser(scope, c.req.valid("json"), new URL(c.req.url).origin), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/users/{userId}",
      tags,
      summary: "One user, with the roles the caller may assign them",
      request: { params: OrgUserParams },
      responses: { 200: jsonContent(User), ...errorResponses },
    }),
    async (c) => {
      const { orgId, userId } = c.req.valid("param");
      return c.json(await getUser(await requireOrgPermission(scopeOf(c), orgId, "users:view"), userId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/users/{userId}",
      tags,
      summary: "Edit name, role, time zone, certification, accessibleOrgIds",
      request: { params: OrgUserParams, body: jsonBody(UserPatchInput) },
      responses: { 200: jsonContent(User), ...errorResponses },
    }),
    async (c) => {
      const { orgId, userId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "users:manage");
      return c.json(await updateUser(scope, userId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/users/{userId}",
      tags,
      summary: "Deactivate a user (history keeps their name); their sessions end at once",
      request: { params: OrgUserParams },
      responses: { 200: jsonContent(User), ...errorResponses },
    }),
    async (c) => {
      const { orgId, userId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "users:manage");
      return c.json(await deactivateUser(scope, userId), 200);
    },
  );
