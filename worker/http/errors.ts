import type { ZodError } from "zod";

export type ErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_ORIGIN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL";

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502;

export type ErrorBody = {
  error: { code: ErrorCode | (string & {}); message: string; fields?: Record<string, string[]> };
};

/** A failure a user can act on, answered as `{ error: { code, message, fields? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly fields?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export const badRequest = (message: string, fields?: Record<string, string[]>) =>
  new HttpError(400, "VALIDATION_FAILED", message, fields);
export const unauthenticated = (message = "Sign in to continue.") => new HttpError(401, "UNAUTHENTICATED", message);
export const forbidden = (message = "You do not have permission to do that.") =>
  new HttpError(403, "FORBIDDEN", message);
export const notFound = (what = "Resource") => new HttpError(404, "NOT_FOUND", `${what} not found.`);
export const conflict = (message: string, code = "CONFLICT", fields?: Record<string, string[]>) =>
  new HttpError(409, code, message, fields);

/** Turns zod issues into `{ "path.to.field": ["message"] }`; unknown keys are reported on their own names. */
export function zodFields(error: ZodError): Record<string, string[]> {
  // A Map, not a plain object: client-chosen keys such as `__proto__` or `constructor` must not
  // hit Object.prototype (that answered 500).
  const fields = new Map<string, string[]>();
  const add = (key: string, message: string) => {
    const list = fields.get(key) ?? [];
    list.push(message);
    fields.set(key, list);
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const base = issue.path.join(".");
      for (const key of issue.keys) add(base ? `${base}.${key}` : key, "Unknown field.");
      continue;
    }
    add(issue.path.join(".") || "_", issue.message);
  }
  return Object.fromEntries(fields);
}

export const validationError = (error: ZodError) => badRequest("Some fields are missing or invalid.", zodFields(error));

/**
 * Whether a D1 error (possibly wrapped by Drizzle) is the named constraint failing, e.g.
 * "UNIQUE constraint failed: users.email" or "CHECK constraint failed: cylinders_contents_not_negative".
 */
export function isConstraintError(error: unknown, fragment: string): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error) {
      if (current.message.includes("constraint failed") && current.message.includes(fragment)) return true;
      current = current.cause;
    } else {
      return false;
    }
  }
  return false;
}
