import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AppEnv, createApi, errorResponses, jsonBody, jsonContent, scopeOf } from "../http/app";
import { requireSession } from "../policy/guards";
import { AcceptInvitationInput, LoginInput, SignupInput } from "./schemas";
import { acceptInvitation, getInvitation, login, logout, me, signup } from "./service";
import { blankSessionCookie, sessionCookie } from "./session";

const UserOut = z
  .object({ id: z.string(), name: z.string(), email: z.string(), role: z.string(), orgId: z.string() })
  .passthrough()
  .openapi("User");
const OrgOut = z
  .object({ id: z.string(), name: z.string(), parentOrgId: z.string().nullable(), plan: z.string(), role: z.string() })
  .openapi("ReachableOrg");
const MeOut = z.object({ user: UserOut, orgs: z.array(OrgOut) }).openapi("Me");
const TokenParams = z.object({ token: z.string().min(1).max(200) });

const signIn = (c: Context<AppEnv>, token: string, expiresAt: Date) =>
  c.header("Set-Cookie", sessionCookie(token, expiresAt, c.req.url), { append: true });

export const authRoutes = createApi()
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/signup",
      tags: ["auth"],
      summary: "Create an organization and its first user (PARENT_ORG_ADMIN)",
      request: { body: jsonBody(SignupInput) },
      responses: {
        201: jsonContent(MeOut, "Signed up and signed in"),
        400: errorResponses[400],
        409: jsonContent(z.any(), "Email taken"),
      },
    }),
    async (c) => {
      const { user, token, session } = await signup(c.var.db, c.req.valid("json"));
      signIn(c, token, session.expiresAt);
      return c.json(await me(scopeOf(c), user), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags: ["auth"],
      summary: "Sign in with email and password",
      request: { body: jsonBody(LoginInput) },
      responses: {
        200: jsonContent(MeOut, "Signed in"),
        400: errorResponses[400],
        401: errorResponses[401],
        429: jsonContent(z.any(), "Too many failed attempts"),
      },
    }),
    async (c) => {
      const { user, token, session } = await login(c.var.db, c.req.valid("json"), c.var.clientIp);
      signIn(c, token, session.expiresAt);
      return c.json(await me(scopeOf(c), user), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      tags: ["auth"],
      summary: "Sign out this session",
      responses: { 204: { description: "Signed out" } },
    }),
    async (c) => {
      await logout(c.var.db, await c.var.session.get());
      c.header("Set-Cookie", blankSessionCookie(c.req.url), { append: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["auth"],
      summary: "The signed-in user and every org they reach",
      responses: { 200: jsonContent(MeOut), 401: errorResponses[401] },
    }),
    async (c) => {
      const scope = scopeOf(c);
      return c.json(await me(scope, await requireSession(scope)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/invitations/{token}",
      tags: ["auth"],
      summary: "Who an open invitation is for",
      request: { params: TokenParams },
      responses: { 200: jsonContent(z.any()), 404: errorResponses[404] },
    }),
    async (c) => c.json(await getInvitation(c.var.db, c.req.valid("param").token), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invitations/{token}/accept",
      tags: ["auth"],
      summary: "Set a password from an invitation and sign in",
      request: { params: TokenParams, body: jsonBody(AcceptInvitationInput) },
      responses: { 200: jsonContent(MeOut), 400: errorResponses[400], 404: errorResponses[404] },
    }),
    async (c) => {
      const { user, token, session } = await acceptInvitation(
        c.var.db,
        c.req.valid("param").token,
        c.req.valid("json").password,
      );
      signIn(c, token, session.expiresAt);
      return c.json(await me(scopeOf(c), user), 200);
    },
  );
