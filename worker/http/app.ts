import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { RequestSession } from "../auth/request-session";
import type { Db } from "../db";
import { type RequestScope, requireSession } from "../policy/guards";
import { HttpError, validationError } from "./errors";

export type AppEnv = {
  Bindings: Env;
  Variables: { db: Db; session: RequestSession; clientIp: string };
};

export const scopeOf = (c: Context<AppEnv>): RequestScope => ({ db: c.var.db, env: c.env, session: c.var.session });

/** A sub-app whose zod validation failures answer 400 `{ error: { code, message, fields } }`. */
export function createApi() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: async (result, c) => {
      if (result.success) return;
      // Org-scoped routes answer 401 before 400 (api/index.ts checks only that a session was sent).
      if (c.req.path.startsWith("/api/orgs/")) await requireSession(scopeOf(c));
      throw validationError(result.error);
    },
  });
}

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof HttpError) {
    return c.json(error.toBody(), error.status, error.headers);
  }
  if (error instanceof HTTPException && error.status < 500) {
    const status = error.status as 400;
    const message = error.status === 400 ? "The request body is not valid JSON." : error.message;
    return c.json({ error: { code: "BAD_REQUEST", message } }, status);
  }
  console.error("Unhandled error", error);
  return c.json({ error: { code: "INTERNAL", message: "Something went wrong on our side." } }, 500);
};

/** Shared OpenAPI pieces. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional(),
    }),
  })
  .openapi("Error");

export const errorResponses = {
  400: { description: "Invalid input", content: { "application/json": { schema: ErrorSchema } } },
  401: { description: "Not signed in", content: { "application/json": { schema: ErrorSchema } } },
  403: { description: "Not allowed", content: { "application/json": { schema: ErrorSchema } } },
  404: { description: "Not found or not reachable", content: { "application/json": { schema: ErrorSchema } } },
} as const;

export const jsonContent = <T extends z.ZodType>(schema: T, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const OrgParams = z.object({ orgId: z.string().min(1).max(64) });
export const OrgUserParams = OrgParams.extend({ userId: z.string().min(1).max(64) });
