import { Form, Link, redirect } from "react-router";
import { SignupInput } from "../../worker/auth/schemas";
import { signup } from "../../worker/auth/service";
import { sessionCookie } from "../../worker/auth/session";
import { AuthLayout } from "../components/AuthLayout";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton, TextField } from "../components/form";
import { formAction, formObject, requestScope } from "../lib/server";
import type { Route } from "./+types/signup";

export const meta: Route.MetaFunction = () => [{ title: "Create your account · RefriTrak" }];

export async function loader({ context }: Route.LoaderArgs) {
  if (await requestScope(context).session.get()) throw redirect("/");
  return null;
}

const FIELDS = ["name", "email", "password", "organizationName"];

/** Sign-up creates the company (a top-level org) and its first user, a parent org admin. */
export async function action({ context, request }: Route.ActionArgs) {
  const { db } = requestScope(context);
  const fields = formObject(await request.formData(), { keepEmpty: FIELDS });
  const result = await formAction(fields, SignupInput, (input) => signup(db, input));
  if (!("ok" in result)) return result;
  const { user, token, session } = result.result;
  return redirect(`/o/${user.orgId}`, {
    headers: { "Set-Cookie": sessionCookie(token, session.expiresAt, request.url) },
  });
}

export default function Signup({ actionData }: Route.ComponentProps) {
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  return (
    <AuthLayout footer="You become the company's administrator and can invite your team afterwards.">
      <h1>Create your RefriTrak account</h1>
      <p className="muted">Start with your company; add branches and your team when you're ready.</p>
      <Form method="post" className="form" noValidate>
        <FormErrors error={error} shownFields={FIELDS} />
        <TextField label="Your name" name="name" autoComplete="name" errors={fields.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          errors={fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters. A passphrase is easiest to remember."
          errors={fields.password}
        />
        <TextField
          label="Company name"
          name="organizationName"
          autoComplete="organization"
          errors={fields.organizationName}
        />
        <div className="form-actions">
          <SubmitButton className="button-block" pendingLabel="Creating account…">
            Create account
          </SubmitButton>
        </div>
      </Form>
      <p className="auth-switch">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </AuthLayout>
  );
}
