import { Form, Link, redirect, useNavigation } from "react-router";
import { US_STATES } from "../../worker/customers/states";
import { forbidden } from "../../worker/http/errors";
import { can } from "../../worker/policy/permissions";
import { createLead, listLeads } from "../../worker/sales/leads";
import { LeadCreateInput } from "../../worker/sales/schemas";
import { actionErrorOf, FormErrors, fieldErrorsOf, SelectField, SubmitButton, TextField } from "../components/form";
import { dollarsToCents, formatCents, STAGE_LABELS, STAGE_ORDER, StageBadge } from "../components/sales/format";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/sales/sales.css";
import type { Route } from "./+types/leads";

/** Sales reps work their own leads; admins read everyone's. */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId);
  const owns = can(scope.actor, "leads:own", scope.org.id);
  const reads = owns || can(scope.actor, "leads:view", scope.org.id);
  await asPageError(async () => {
    if (!reads) throw forbidden();
  });
  const url = new URL(request.url);
  return {
    orgId: scope.org.id,
    owns,
    creating: owns && url.searchParams.has("new"),
    leads: await asPageError(() => listLeads(scope)),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "leads:own");
  const form = formObject(await request.formData());
  if ("value" in form) {
    form.valueCents = dollarsToCents(form.value);
    delete form.value;
  }
  const result = await formAction(form, LeadCreateInput, (input) => createLead(scope, input));
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/leads/${result.result.id}?created=1`);
}

export const meta: Route.MetaFunction = () => [{ title: "Leads · RefriTrak" }];

export default function Leads({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, owns, creating, leads } = loaderData;
  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <h1 className="page-title">{owns ? "My leads" : "Leads"}</h1>
          <p className="lede">
            {owns
              ? "Your pipeline, from first contact to a won customer."
              : "Every sales rep's leads and opportunities (read-only)."}
          </p>
        </div>
        {owns && !creating ? (
          <Link className="button button-primary" to={`/o/${orgId}/leads?new=1`}>
            New lead
          </Link>
        ) : null}
      </header>
      {creating ? <NewLeadForm orgId={orgId} actionData={actionData} /> : null}
      {leads.length === 0 ? (
        <p className="empty-state">{owns ? "No lead yet: add your first one." : "No lead yet."}</p>
      ) : (
        <div className="sales-pipeline">
          {STAGE_ORDER.map((stage) => {
            const inStage = leads.filter((lead) => lead.stage === stage);
            const total = inStage.reduce((sum, lead) => sum + lead.valueCents, 0);
            return (
              <section key={stage} className="sales-column" aria-labelledby={`stage-${stage}`}>
                <div className="sales-column-header">
                  <h2 id={`stage-${stage}`}>{STAGE_LABELS[stage]}</h2>
                  <span className="muted small" data-testid={`total-${stage}`}>
                    {inStage.length} · {formatCents(total)}
                  </span>
                </div>
                <ul className="sales-lead-list">
                  {inStage.map((lead) => (
                    <li key={lead.id} className="card sales-lead">
                      <Link to={`/o/${orgId}/leads/${lead.id}`}>{lead.company}</Link>
                      <div className="sales-lead-meta">
                        <StageBadge stage={lead.stage} />
                        <span>{formatCents(lead.valueCents)}</span>
                        {lead.dueDate && lead.open ? <span>Due {lead.dueDate}</span> : null}
                        {owns ? null : <span>Owner: {lead.owner.name}</span>}
                        {lead.customer ? <span>Customer</span> : null}
                      </div>
                      {lead.nextStep && lead.open ? <p className="small">{lead.nextStep}</p> : null}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}

const STATE_OPTIONS = US_STATES.map((code) => ({ value: code, label: code }));

function NewLeadForm({ orgId, actionData }: { orgId: string; actionData: unknown }) {
  const navigation = useNavigation();
  const fields = fieldErrorsOf(actionData);
  const shown = ["company", "contactName", "email", "phone", "state", "zip", "valueCents", "nextStep", "dueDate"];
  return (
    <section className="card stack" aria-labelledby="new-lead-heading">
      <h2 id="new-lead-heading">New lead</h2>
      <FormErrors error={actionErrorOf(actionData)} shownFields={shown} />
      <Form method="post" className="form">
        <div className="grid-2">
          <TextField label="Company" name="company" maxLength={120} errors={fields.company} />
          <TextField label="Contact" name="contactName" required={false} maxLength={120} errors={fields.contactName} />
          <TextField label="Email" name="email" type="email" required={false} errors={fields.email} />
          <TextField label="Phone" name="phone" type="tel" required={false} errors={fields.phone} />
          <SelectField
            label="State"
            name="state"
            required={false}
            placeholder="—"
            options={STATE_OPTIONS}
            errors={fields.state}
          />
          <TextField label="ZIP" name="zip" required={false} inputMode="numeric" errors={fields.zip} />
          <TextField
            label="Value (USD)"
            name="value"
            required={false}
            inputMode="decimal"
            hint="e.g. 2500 or 2,500.00"
            errors={fields.valueCents}
          />
          <TextField label="Due date" name="dueDate" type="date" required={false} errors={fields.dueDate} />
        </div>
        <TextField label="Next step" name="nextStep" required={false} maxLength={200} errors={fields.nextStep} />
        <div className="form-actions">
          <SubmitButton pending={navigation.state === "submitting"} pendingLabel="Adding…">
            Add lead
          </SubmitButton>
          <Link className="button button-secondary" to={`/o/${orgId}/leads`}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
