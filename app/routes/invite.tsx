import { Form, Link, redirect } from "react-router";
import { AcceptInvitationInput } from "../../worker/auth/schemas";
import { acceptInvitation, getInvitation } from "../../worker/auth/service";
import { invalidateSession, sessionCookie } from "../../worker/auth/session";
import { ROLE_LABELS } from "../../worker/policy/permissions";
import { AuthLayout } from "../components/AuthLayout";
import { errorMessage } from "../components/errors";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton, TextField } from "../components/form";
import { RoleBadge } from "../components/RoleBadge";
import { asPageError, formAction, formObject, requestScope } from "../lib/server";
import type { Route } from "./+types/invite";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `Join ${loaderData.invitation.organization.name} · RefriTrak` : "Invitation · RefriTrak" },
];

export async function loader({ context, params }: Route.LoaderArgs) {
  const { db } = requestScope(context);
  const invitation = await asPageError(() => getInvitation(db, params.token));
  return { invitation };
}

const FIELDS = ["password", "confirmPassword"];

/** Accepting sets the password and signs the invited user in (ending any other session here). */
export async function action({ context, params, request }: Route.ActionArgs) {
  const scope = requestScope(context);
  const { db } = scope;
  const auth = await scope.session.get();
  const { confirmPassword, ...fields } = formObject(await request.formData(), { keepEmpty: FIELDS });
  const result = await formAction(fields, AcceptInvitationInput, async (input) => {
    if (confirmPassword !== input.password) {
      return { mismatch: true as const };
    }
    return { mismatch: false as const, accepted: await acceptInvitation(db, params.token, input.password) };
  });
  if (!("ok" in result)) return result;
  if (!result.result.accepted) {
    return {
      ok: false as const,
      error: {
        code: "VALIDATION_FAILED",
        message: "The passwords do not match.",
        fields: { confirmPassword: ["Type the same password twice."] },
      },
    };
  }
  const { user, token, session } = result.result.accepted;
  if (auth) await invalidateSession(db, auth.session.id);
  return redirect(`/o/${user.orgId}`, {
    headers: { "Set-Cookie": sessionCookie(token, session.expiresAt, request.url) },
  });
}

export default function Invite({ loaderData, actionData }: Route.ComponentProps) {
  const { invitation } = loaderData;
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  const expires = new Date(invitation.expiresAt).toLocaleDateString("en-US", {
    month: "long",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });
  return (
    <AuthLayout footer={`This invitation expires on ${expires}.`}>
      <p className="eyebrow">Invitation</p>
      <h1>Join {invitation.organization.name}</h1>
      <p>
        Welcome, <strong>{invitation.name}</strong>. You have been invited to{" "}
        <strong>{invitation.organization.name}</strong> as <RoleBadge role={invitation.role} />.
      </p>
      <dl className="kv">
        <dt>Email</dt>
        <dd>{invitation.email}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[invitation.role]}</dd>
      </dl>
      <Form method="post" className="form section" noValidate>
        <h2>Set your password</h2>
        <FormErrors error={error} shownFields={FIELDS} />
        {/* Lets password managers store the new password under the right account. */}
        <input type="hidden" name="_username" autoComplete="username" value={invitation.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters. A passphrase is easiest to remember."
          errors={fields.password}
        />
        <TextField
          label="Confirm password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          errors={fields.confirmPassword}
        />
        <div className="form-actions">
          <SubmitButton className="button-block" pendingLabel="Joining…">
            Set password and sign in
          </SubmitButton>
        </div>
      </Form>
    </AuthLayout>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return (
    <AuthLayout>
      <h1>This invitation can't be used</h1>
      <p>{errorMessage(error) ?? "Something went wrong."}</p>
      <p className="muted">Ask the person who invited you to send a new invitation from the Users tab.</p>
      <Link className="button button-secondary" to="/login">
        Go to sign in
      </Link>
    </AuthLayout>
  );
}
