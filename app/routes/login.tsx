import { Form, Link, redirect, useSearchParams } from "react-router";
import { LoginInput } from "../../worker/auth/schemas";
import { login } from "../../worker/auth/service";
import { sessionCookie } from "../../worker/auth/session";
import { AuthLayout } from "../components/AuthLayout";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton, TextField } from "../components/form";
import { safeRedirect } from "../components/redirect";
import { formAction, formObject, requestScope } from "../lib/server";
import type { Route } from "./+types/login";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · RefriTrak" }];

/** Already signed in: straight on to where the user was going. */
export async function loader({ context, request }: Route.LoaderArgs) {
  if (await requestScope(context).session.get()) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  }
  return null;
}

export async function action({ context, request }: Route.ActionArgs) {
  const { db } = requestScope(context);
  const formData = await request.formData();
  const { redirectTo: _redirectTo, ...fields } = formObject(formData, { keepEmpty: ["email", "password"] });
  const ip = request.headers.get("CF-Connecting-IP") ?? "local";
  const result = await formAction(fields, LoginInput, (input) => login(db, input, ip));
  if (!("ok" in result)) return result;
  const { token, session } = result.result;
  return redirect(safeRedirect(formData.get("redirectTo")), {
    headers: { "Set-Cookie": sessionCookie(token, session.expiresAt, request.url) },
  });
}

const SHOWN = ["email", "password"];

export default function Login({ actionData }: Route.ComponentProps) {
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  const signupHref = redirectTo ? `/signup?redirectTo=${encodeURIComponent(redirectTo)}` : "/signup";
  return (
    <AuthLayout footer="Refrigerant compliance and field service for HVAC/R contractors.">
      <h1>Sign in to RefriTrak</h1>
      <Form method="post" className="form" noValidate>
        {/* Field errors are listed under their fields; the summary carries the message. */}
        <FormErrors error={error} shownFields={SHOWN} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          errors={fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          errors={fields.password}
        />
        <div className="form-actions">
          <SubmitButton className="button-block" pendingLabel="Signing in…">
            Sign in
          </SubmitButton>
        </div>
      </Form>
      <p className="auth-switch">
        New to RefriTrak? <Link to={signupHref}>Create an account</Link>
      </p>
    </AuthLayout>
  );
}
