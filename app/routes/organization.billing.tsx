import { redirect, useNavigation } from "react-router";
import { checkoutUrls } from "../../worker/billing/routes";
import { CheckoutInput } from "../../worker/billing/schemas";
import { getBilling, startCheckout } from "../../worker/billing/service";
import { BillingEventsTable, CurrentPlanCard, PlanComparison, SeatsMeter } from "../components/billing/BillingPanels";
import { formatDateTime } from "../components/datetime";
import { actionErrorOf, FormErrors, FormSuccess } from "../components/form";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import type { Route } from "./+types/organization.billing";
import "../components/billing/billing.css";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "billing:manage");
  const billing = await asPageError(() => getBilling(scope));
  const checkout = new URL(request.url).searchParams.get("checkout");
  return {
    orgId: scope.org.id,
    billing,
    events: billing.events.map((event) => ({ ...event, when: formatDateTime(event.createdAt, scope.user.timeZone) })),
    checkout: checkout === "success" || checkout === "canceled" ? checkout : null,
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "billing:manage");
  const { intent: _intent, ...form } = formObject(await request.formData());
  const urls = checkoutUrls(new URL(request.url).origin, scope.org.id);
  const result = await formAction(form, CheckoutInput, (input) => startCheckout(scope, input, urls));
  if ("result" in result && result.result.kind === "redirect") throw redirect(result.result.url);
  return result;
}

export function meta() {
  return [{ title: "Billing · Organization · RefriTrak" }];
}

export default function BillingTab({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, billing, events, checkout } = loaderData;
  const navigation = useNavigation();
  const error = actionErrorOf(actionData);
  const changed =
    actionData && "result" in actionData && actionData.result.kind === "billing" ? actionData.result : null;
  const pendingPlan = navigation.state === "submitting" ? String(navigation.formData?.get("plan") ?? "") : null;
  const forCompany = billing.orgId !== orgId;

  return (
    <section aria-labelledby="billing-heading" className="org-tab-panel stack">
      <div className="section-title">
        <h2 id="billing-heading">Billing</h2>
      </div>
      {forCompany ? (
        <p className="muted">
          Billing covers the whole company: it is managed for {billing.orgName} and every sub-organization together.
        </p>
      ) : null}
      <div role="status">
        {checkout === "success" ? (
          <p className="alert alert-success">
            Payment received by Stripe. The new plan applies as soon as Stripe confirms it (usually within seconds).
          </p>
        ) : checkout === "canceled" ? (
          <p className="alert alert-info">Checkout was canceled; the plan is unchanged.</p>
        ) : null}
      </div>
      {changed ? <FormSuccess>The company is now on the {labelOf(changed.billing.plan)} plan.</FormSuccess> : null}
      <FormErrors error={error} title={error ? "The plan was not changed" : undefined} />

      <div className="billing-summary">
        <CurrentPlanCard billing={billing} companyName={billing.orgName} />
        <SeatsMeter used={billing.seatsUsed} limit={billing.seatLimit} />
      </div>
      <PlanComparison
        plans={billing.plans}
        providerConfigured={billing.providerConfigured}
        orgId={billing.orgId}
        pendingPlan={pendingPlan}
      />
      <BillingEventsTable events={events} />
    </section>
  );
}

const labelOf = (plan: string) => (plan === "ENTERPRISE" ? "Enterprise" : plan === "PRO" ? "Pro" : "Free");
