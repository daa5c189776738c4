import { isRouteErrorResponse } from "react-router";

/** The message an error response carries (`{ error: { message } }` from the services), if any. */
export function errorMessage(error: unknown): string | undefined {
  if (!isRouteErrorResponse(error)) return undefined;
  const body = error.data as { error?: { message?: unknown } } | string | undefined;
  if (typeof body === "string") return body;
  const message = body?.error?.message;
  return typeof message === "string" ? message : undefined;
}

/** A short page title for an error. */
export function errorTitle(error: unknown): string {
  if (!isRouteErrorResponse(error)) return "Something went wrong";
  if (error.status === 404) return "Not found";
  if (error.status === 403) return "Not allowed";
  return `Error ${error.status}`;
}
