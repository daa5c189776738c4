/**
 * The billing page's parts: current plan, seats meter, plan comparison with change buttons, and
 * the billing events table. They show what the billing service computed; no rule is decided here.
 */
import { Form, Link } from "react-router";
import { FEATURE_LABELS, formatPrice, type PlanFeature } from "../../../worker/billing/plans";
import type { BillingState } from "../../../worker/billing/service";
import { SubmitButton } from "../form";
import { PlanBadge } from "../RoleBadge";

type PlanOption = BillingState["plans"][number];
export type BillingEventView = BillingState["events"][number] & { when: string };

const FEATURES = Object.keys(FEATURE_LABELS) as PlanFeature[];
const seatText = (limit: number | null) => (limit === null ? "Unlimited users" : `Up to ${limit} active users`);

export function CurrentPlanCard({ billing, companyName }: { billing: BillingState; companyName: string }) {
  const current = billing.plans.find((plan) => plan.current);
  return (
    <section className="card billing-current" aria-labelledby="current-plan-heading">
      <div className="billing-current-head">
        <h3 id="current-plan-heading" className="card-title">
          Current plan
        </h3>
        <PlanBadge plan={billing.plan} />
      </div>
      <p className="billing-price">
        <span className="billing-price-amount">{formatPrice(current?.priceCents ?? 0)}</span>
        <span className="muted"> per month</span>
      </p>
      <dl className="kv billing-kv">
        <dt>Company</dt>
        <dd>{companyName}</dd>
        <dt>Status</dt>
        <dd>
          <SubscriptionStatus status={billing.status} />
        </dd>
        <dt>Payments</dt>
        <dd>{billing.providerConfigured ? "Stripe" : "Direct (no payment provider configured)"}</dd>
        <dt>Sub-organizations</dt>
        <dd>
          {billing.subOrgCount}
          {billing.subOrgsAllowed ? null : <span className="muted"> · needs Pro or Enterprise</span>}
        </dd>
      </dl>
    </section>
  );
}

function SubscriptionStatus({ status }: { status: string }) {
  const tone =
    status === "active" || status === "trialing"
      ? "badge-green"
      : status === "past_due" || status === "unpaid" || status === "incomplete"
        ? "badge-amber"
        : "badge-red";
  return <span className={`badge ${tone}`}>{status.replaceAll("_", " ")}</span>;
}

export function SeatsMeter({ used, limit }: { used: number; limit: number | null }) {
  const percent = limit === null ? 0 : Math.min(100, Math.round((used / limit) * 100));
  const full = limit !== null && used >= limit;
  return (
    <section className="card billing-seats" aria-labelledby="seats-heading">
      <h3 id="seats-heading" className="card-title">
        Seats
      </h3>
      <p className="billing-seats-count">
        <strong>{used}</strong> {limit === null ? "active users · unlimited" : `of ${limit} active users`}
      </p>
      {limit === null ? null : (
        <meter
          className={`billing-meter${full ? " billing-meter-full" : ""}`}
          min={0}
          max={limit}
          low={Math.floor(limit * 0.8)}
          high={limit}
          optimum={0}
          value={Math.min(used, limit)}
          aria-labelledby="seats-heading"
          aria-valuetext={`${used} of ${limit} seats used (${percent}%)`}
        >
          {percent}%
        </meter>
      )}
      <p className="field-hint">
        {full
          ? "Every seat is taken: new users cannot be added until someone is deactivated or the plan is upgraded."
          : "Active users across the company and all its sub-organizations."}
      </p>
    </section>
  );
}

export function PlanComparison({
  plans,
  providerConfigured,
  orgId,
  pendingPlan,
}: {
  plans: PlanOption[];
  providerConfigured: boolean;
  orgId: string;
  pendingPlan: string | null;
}) {
  const currentIndex = plans.findIndex((plan) => plan.current);
  return (
    <section aria-labelledby="compare-heading" className="stack">
      <h3 id="compare-heading">Plans</h3>
      <ul className="billing-plans list-plain">
        {plans.map((plan, index) => {
          const upgrade = index > currentIndex;
          const blocked = plan.blockers.length > 0;
          const headingId = `plan-${plan.plan}-heading`;
          return (
            <li
              key={plan.plan}
              className={`card billing-plan${plan.current ? " card-current" : ""}`}
              aria-labelledby={headingId}
            >
              <div className="billing-plan-head">
                <h4 id={headingId}>{plan.plan === "FREE" ? "Free" : plan.plan === "PRO" ? "Pro" : "Enterprise"}</h4>
                {plan.current ? <span className="badge badge-green">Current</span> : null}
              </div>
              <p className="billing-price">
                <span className="billing-price-amount">{formatPrice(plan.priceCents)}</span>
                <span className="muted"> / month</span>
              </p>
              <p className="muted">{plan.description}</p>
              <ul className="billing-features">
                <li>{seatText(plan.seatLimit)}</li>
                {FEATURES.map((feature) => (
                  <li key={feature} className={plan.features[feature] ? "" : "billing-feature-off"}>
                    <span aria-hidden="true">{plan.features[feature] ? "✓ " : "✗ "}</span>
                    <span className="visually-hidden">{plan.features[feature] ? "Includes " : "Without "}</span>
                    {FEATURE_LABELS[feature]}
                  </li>
                ))}
              </ul>
              {plan.current ? null : blocked ? (
                <div className="alert alert-warning billing-blockers" id={`plan-${plan.plan}-blockers`}>
                  <p className="alert-title">Not possible yet</p>
                  <ul>
                    {plan.blockers.map((blocker) => (
                      <li key={blocker.code}>
                        {blocker.message}{" "}
                        {blocker.code === "SUBORGS_EXIST" ? (
                          <Link to={`/o/${orgId}/organization/sub-orgs`}>Sub-organizations</Link>
                        ) : blocker.code === "BRANDING_SET" ? (
                          <Link to={`/o/${orgId}/organization/settings`}>Settings</Link>
                        ) : (
                          <Link to={`/o/${orgId}/organization/users`}>Users</Link>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <Form method="post" className="form-actions">
                  <input type="hidden" name="plan" value={plan.plan} />
                  <SubmitButton
                    name="intent"
                    value="change"
                    variant={upgrade ? "primary" : "secondary"}
                    pending={pendingPlan === plan.plan}
                    pendingLabel={providerConfigured && plan.priceCents > 0 ? "Opening checkout…" : "Changing plan…"}
                    className="button-block"
                  >
                    {upgrade
                      ? providerConfigured
                        ? `Upgrade to ${plan.plan === "PRO" ? "Pro" : "Enterprise"} · checkout`
                        : `Upgrade to ${plan.plan === "PRO" ? "Pro" : "Enterprise"}`
                      : `Move to ${plan.plan === "FREE" ? "Free" : "Pro"}`}
                  </SubmitButton>
                </Form>
              )}
            </li>
          );
        })}
      </ul>
      <p className="field-hint">
        {providerConfigured
          ? "Upgrades open Stripe Checkout; the new plan applies once Stripe confirms the payment. Moving to Free cancels the subscription."
          : "No payment provider is configured, so plan changes apply at once and are recorded below."}
      </p>
    </section>
  );
}

const money = (cents: number | null, currency: string | null) =>
  cents === null
    ? "—"
    : new Intl.NumberFormat("en-US", { style: "currency", currency: (currency ?? "usd").toUpperCase() }).format(
        cents / 100,
      );

export function BillingEventsTable({ events }: { events: BillingEventView[] }) {
  return (
    <section aria-labelledby="events-heading" className="stack">
      <h3 id="events-heading">Invoices and events</h3>
      {events.length === 0 ? (
        <p className="empty-state">No invoices or plan changes yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Invoices and billing events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Event</th>
                <th scope="col">Plan</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td data-label="Date">
                    <time dateTime={event.createdAt}>{event.when}</time>
                  </td>
                  <td data-label="Event">{event.description ?? event.type}</td>
                  <td data-label="Plan">{event.plan ? <PlanBadge plan={event.plan} /> : "—"}</td>
                  <td data-label="Amount" className="num">
                    {money(event.amountCents, event.currency)}
                  </td>
                  <td data-label="Source">{event.provider === "STRIPE" ? "Stripe" : "Direct"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
