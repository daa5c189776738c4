import { Form, Link, useNavigation } from "react-router";
import { PlanInput } from "../../worker/orgs/schemas";
import { getBilling, updatePlan } from "../../worker/orgs/service";
import { actionErrorOf, FormErrors, FormSuccess, fieldErrorsOf, SubmitButton } from "../components/form";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import type { Route } from "./+types/organization.billing";

const PLANS = [
  { value: "FREE", label: "Free", description: "One organization with all compliance and field-service features." },
  {
    value: "PRO",
    label: "Pro",
    description: "Adds sub-organizations for branches, the organization switcher and the multi-org dashboard.",
  },
  { value: "ENTERPRISE", label: "Enterprise", description: "Everything in Pro, plus white-label branding." },
] as const;

const planLabel = (plan: string) => PLANS.find((p) => p.value === plan)?.label ?? plan;

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "billing:manage");
  const billing = await asPageError(() => getBilling(scope));
  const company = scope.orgs.find((org) => org.id === billing.orgId);
  return { orgId: scope.org.id, billing, companyName: company?.name ?? scope.org.name };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "billing:manage");
  const { intent: _intent, ...form } = formObject(await request.formData());
  return formAction(form, PlanInput, (input) => updatePlan(scope, input));
}

export function meta() {
  return [{ title: "Billing · Organization · RefriTrak" }];
}

export default function BillingTab({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, billing, companyName } = loaderData;
  const navigation = useNavigation();
  const changed = actionData && "result" in actionData ? actionData.result : null;
  const error = actionErrorOf(actionData);
  const planErrors = fieldErrorsOf(actionData).plan;
  const forCompany = billing.orgId !== orgId;

  return (
    <section aria-labelledby="billing-heading" className="org-tab-panel">
      <div className="section-title">
        <h2 id="billing-heading">Billing</h2>
      </div>
      {forCompany ? (
        <p className="muted">
          Billing covers the whole company: it is managed for {companyName} and every sub-organization together.
        </p>
      ) : null}

      <dl className="stats org-stats">
        <div className="stat">
          <dt className="stat-label">Plan</dt>
          <dd className="stat-value">{planLabel(billing.plan)}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Seats used</dt>
          <dd className="stat-value">{billing.seatsUsed}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Sub-organizations</dt>
          <dd className="stat-value">
            {billing.subOrgCount}
            {billing.subOrgsAllowed ? null : <span className="stat-label">Needs Pro or Enterprise</span>}
          </dd>
        </div>
      </dl>
      <p className="field-hint">Seats are active users across {companyName} and its sub-organizations.</p>

      <section className="card stack org-panel" aria-labelledby="plan-heading">
        <h3 id="plan-heading" className="org-panel-heading">
          Change plan
        </h3>
        {changed ? <FormSuccess>Your company is now on the {planLabel(changed.plan)} plan.</FormSuccess> : null}
        <FormErrors error={error} shownFields={["plan"]} />
        <Form method="post" className="form" key={billing.plan}>
          <fieldset
            className="org-fieldset org-plan-options"
            aria-labelledby="plan-heading"
            aria-describedby={planErrors ? "plan-error" : undefined}
          >
            {PLANS.map((plan) => (
              <label key={plan.value} className="org-plan-option">
                <input type="radio" name="plan" value={plan.value} defaultChecked={billing.plan === plan.value} />
                <span>
                  <span className="org-plan-name">
                    {plan.label}
                    {billing.plan === plan.value ? <span className="badge badge-green">Current</span> : null}
                  </span>
                  <span className="field-hint">{plan.description}</span>
                </span>
              </label>
            ))}
            {planErrors ? (
              <p id="plan-error" className="field-error">
                {planErrors.join(" ")}
              </p>
            ) : null}
          </fieldset>
          {billing.subOrgCount > 0 ? (
            <p className="field-hint">
              Moving to Free needs every sub-organization archived first (
              <Link to={`/o/${billing.orgId}/organization/sub-orgs`}>Sub-organizations</Link>).
            </p>
          ) : null}
          <div className="form-actions">
            <SubmitButton
              name="intent"
              value="plan"
              pending={navigation.state === "submitting"}
              pendingLabel="Changing plan…"
            >
              Change plan
            </SubmitButton>
          </div>
        </Form>
      </section>
    </section>
  );
}
