import { Form } from "react-router";
import { createSupportRequest, SupportInput } from "../../worker/support/service";
import {
  actionErrorOf,
  FormErrors,
  FormSuccess,
  fieldErrorsOf,
  SubmitButton,
  TextAreaField,
  TextField,
} from "../components/form";
import { formAction, formObject, pageOrgScope } from "../lib/server";
import type { Route } from "./+types/support";

export const meta: Route.MetaFunction = () => [{ title: "Support · RefriTrak" }];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "support:create");
  return { orgName: scope.org.name, email: scope.user.email };
}

const FIELDS = ["subject", "message"];

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "support:create");
  const form = formObject(await request.formData(), { keepEmpty: FIELDS });
  return formAction(form, SupportInput, (input) => createSupportRequest(scope, input));
}

export default function Support({ loaderData, actionData }: Route.ComponentProps) {
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  const sent = actionData && "ok" in actionData && actionData.ok ? actionData.result : null;
  return (
    <div className="page page-narrow">
      <div className="page-header">
        <div>
          <p className="eyebrow">Help</p>
          <h1 className="page-title">Contact support</h1>
          <p className="lede">
            Tell us what went wrong or what you need. We reply to {loaderData.email}, usually within one business day.
          </p>
        </div>
      </div>
      <div className="card">
        {/* A new key after each request clears the form for the next one. */}
        <Form method="post" className="form" noValidate key={sent?.id ?? "support"}>
          <FormSuccess>
            {sent ? (
              <>
                <strong>Thanks, your request was sent.</strong> Reference <span className="mono">{sent.id}</span>. We'll
                get back to you by email.
              </>
            ) : null}
          </FormSuccess>
          <FormErrors error={error} shownFields={FIELDS} />
          <TextField label="Subject" name="subject" maxLength={150} errors={fields.subject} />
          <TextAreaField
            label="Message"
            name="message"
            rows={7}
            maxLength={5000}
            hint={`Include what you were doing in ${loaderData.orgName} and what you expected to happen.`}
            errors={fields.message}
          />
          <div className="form-actions">
            <SubmitButton pendingLabel="Sending…">Send request</SubmitButton>
          </div>
        </Form>
      </div>
    </div>
  );
}
