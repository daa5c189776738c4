/**
 * Loader/action plumbing: the same guards and services as the JSON API, with errors turned into
 * what a page can show. No business rule lives here.
 */
import { data, type RouterContextProvider, redirect } from "react-router";
import type { z } from "zod";
import { HttpError, validationError } from "../../worker/http/errors";
import { type OrgScope, type RequestScope, requireOrgAccess, requirePermission } from "../../worker/policy/guards";
import type { Permission } from "../../worker/policy/permissions";
import { requestScopeContext } from "../context";

export const requestScope = (context: Readonly<RouterContextProvider>): RequestScope =>
  context.get(requestScopeContext);

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUserOrRedirect(context: Readonly<RouterContextProvider>, request: Request) {
  const auth = await requestScope(context).session.get();
  if (!auth) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return auth.user;
}

/** Org scope for a page under /o/:orgId; unreachable orgs are a 404 page, missing sessions go to login. */
export async function pageOrgScope(
  context: Readonly<RouterContextProvider>,
  request: Request,
  orgId: string | undefined,
  permission?: Permission,
): Promise<OrgScope> {
  await requireUserOrRedirect(context, request);
  return asPageError(async () => {
    const scope = await requireOrgAccess(requestScope(context), orgId ?? "");
    return permission ? requirePermission(scope, permission) : scope;
  });
}

/** Runs a service call; an HttpError becomes a thrown route error response (ErrorBoundary). */
export async function asPageError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof HttpError) throw data(error.toBody(), { status: error.status });
    throw error;
  }
}

export type ActionError = { ok: false; error: { code: string; message: string; fields?: Record<string, string[]> } };
export type ActionResult<T> = { ok: true; result: T } | ActionError;

/**
 * Runs a form action: parses the form with the same zod schema the API uses, calls the service,
 * and answers field errors (status 4xx) instead of throwing, so the form can show them.
 */
export async function formAction<S extends z.ZodType, T>(
  form: Record<string, unknown>,
  schema: S,
  run: (input: z.infer<S>) => Promise<T>,
) {
  try {
    const parsed = schema.safeParse(form);
    if (!parsed.success) throw validationError(parsed.error);
    return { ok: true as const, result: await run(parsed.data) };
  } catch (error) {
    if (error instanceof HttpError)
      return data<ActionError>({ ok: false, ...error.toBody() }, { status: error.status });
    throw error;
  }
}

/** FormData to a plain object: empty strings dropped (so optional fields stay optional). */
export function formObject(formData: FormData, { keepEmpty = [] as string[] } = {}) {
  const result: Record<string, unknown> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    if (key.startsWith("_")) continue;
    if (value === "" && !keepEmpty.includes(key)) continue;
    if (key in result) {
      const existing = result[key];
      result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    } else {
      result[key] = value;
    }
  }
  return result;
}

/**
 * A page action with several forms: reads the submitted `intent`, refuses an unknown one (400) and
 * scopes the org with the permission that intent needs.
 */
export async function intentAction(
  context: Readonly<RouterContextProvider>,
  request: Request,
  orgId: string | undefined,
  permissions: Record<string, Permission>,
) {
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const permission = permissions[intent];
  if (!permission) throw data({ error: { code: "BAD_REQUEST", message: "Unknown action." } }, { status: 400 });
  const scope = await pageOrgScope(context, request, orgId, permission);
  return { intent, scope, formData };
}
