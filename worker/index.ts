import { Hono } from "hono";
import { createRequestHandler, RouterContextProvider } from "react-router";
import { requestScopeContext } from "../app/context";
import { api } from "./api";
import { RequestSession } from "./auth/request-session";
import { blankSessionCookie, readSessionToken, sessionCookie } from "./auth/session";
import { benchRoutes } from "./bench/routes";
import { getDb } from "./db";
import { type AppEnv, onError, scopeOf } from "./http/app";
import { originCheck } from "./http/origin";
import { routeLive } from "./live/connect";

export { OrgRoom } from "../party/org-room";

const handleUi = createRequestHandler(() => import("virtual:react-router/server-build"), import.meta.env.MODE);

const app = new Hono<AppEnv>();
app.onError(onError);

app.use("*", async (c, next) => {
  c.set("db", getDb(c.env.DB));
  c.set("clientIp", c.req.header("CF-Connecting-IP") ?? "local");
  await next();
});
app.use("*", originCheck);
app.use("*", async (c, next) => {
  const token = readSessionToken(c.req.header("Cookie") ?? null);
  // The user's org reach comes in the same D1 round trip as the session, except for a page's form
  // POST: React Router runs the action and then the loaders in that request, and the loaders must
  // see what the action changed. API handlers authorize once, before they write.
  const isApi = c.req.path.startsWith("/api/");
  const withReach = c.req.method === "GET" || c.req.method === "HEAD" || isApi;
  const session = new RequestSession(c.var.db, token, { withReach });
  c.set("session", session);
  // Pages and rooms read the session now; API handlers when a guard first needs it, so that a list
  // can ride in the same D1 batch as the lookup (guards.ts requireOrgPermissionWith).
  if (!isApi) await session.get();
  await next();
  if (c.res.status === 101) return;
  const auth = session.resolved;
  if (auth?.refreshed) {
    c.res.headers.append("Set-Cookie", sessionCookie(token as string, auth.session.expiresAt, c.req.url));
  } else if (token && auth === null && !c.res.headers.get("Set-Cookie")?.startsWith("rt_session=")) {
    c.res.headers.append("Set-Cookie", blankSessionCookie(c.req.url));
  }
});

app.all(
  "/parties/*",
  async (c) =>
    (await routeLive(c.req.raw, scopeOf(c))) ?? c.json({ error: { code: "NOT_FOUND", message: "No such room." } }, 404),
);
// Only in bench mode (`--var BENCH_MODE:1`); otherwise these paths answer 404 like any unknown route.
app.route("/api/bench", benchRoutes);
app.route("/api", api);
app.all("/api/*", (c) => c.json({ error: { code: "NOT_FOUND", message: "No such API route." } }, 404));
app.all("*", (c) => {
  const context = new RouterContextProvider();
  context.set(requestScopeContext, scopeOf(c));
  return handleUi(c.req.raw, context);
});

export default app;
