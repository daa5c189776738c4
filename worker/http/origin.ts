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

export const originCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  const upgrade = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  if ((!SAFE.has(c.req.method) || upgrade) && !isSameOrigin(c.req.raw)) {
    throw new HttpError(403, "BAD_ORIGIN", "This request did not come from RefriTrak.");
  }
  await next();
};
