import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app";
import { HttpError } from "./errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence from the Lucia guide: unsafe methods, and the WebSocket upgrade (a GET), must come
 * from our own origin.
 */
export const isSameOrigin = (request: Request) => {
  const origin = request.headers.get("Origin");
  return origin !== null && origin === new URL(request.url).origin;
};

/** Server-to-server calls that carry no Origin; their own signature is checked instead. */
const ORIGIN_EXEMPT = new Set(["/api/billing/stripe/webhook"]);

export const originCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "POST" && ORIGIN_EXEMPT.has(new URL(c.req.url).pathname)) return next();
  const upgrade = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  if ((!SAFE.has(c.req.method) || upgrade) && !isSameOrigin(c.req.raw)) {
    throw new HttpError(403, "BAD_ORIGIN", "This request did not come from RefriTrak.");
  }
  await next();
};
