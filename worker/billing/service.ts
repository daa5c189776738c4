/**
 * Billing for a company (the top-level org and its sub-orgs): its plan, seats, the plan rules,
 * plan changes (directly without provider keys, through Stripe Checkout with them) and the
 * provider's webhook events, applied once each.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { billingEvents, organizations } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { type Db, newId } from "../db";
import { conflict, HttpError, isConstraintError } from "../http/errors";
import { publish } from "../live/publish";
import type { Org } from "../orgs/reach";
import type { OrgScope } from "../policy/guards";
import { type CompanyUsage, changeBlockers, PLAN_RULES, PLANS, type Plan, type PlanBlocker } from "./plans";
import type { CheckoutUrls, PaymentProvider, ProviderEvent } from "./provider";
import type { CheckoutInput, PlanInput } from "./schemas";
import { stripeFromEnv } from "./stripe";
import { companyOf, companyUsage } from "./usage";

const EVENTS_LISTED = 50;
const ADMINS_ONLY = { roles: ["PARENT_ORG_ADMIN" as const] };

/** The configured payment provider, or null: plan changes then apply directly. */
export const paymentProvider = (env: Env): PaymentProvider | null => stripeFromEnv(env);

const actorOf = (scope: OrgScope) => ({ id: scope.user.id, name: scope.user.name });

function blockedError(plan: Plan, blockers: PlanBlocker[]) {
  return conflict(
    `The company cannot move to ${PLAN_RULES[plan].label} yet: ${blockers.map((b) => b.message).join(" ")}`,
    "DOWNGRADE_BLOCKED",
    { plan: blockers.map((b) => b.message) },
  );
}

function billingState(root: Org, usage: CompanyUsage, provider: PaymentProvider | null, events: BillingEventRow[]) {
  const rule = PLAN_RULES[root.plan];
  return {
    orgId: root.id,
    orgName: root.name,
    plan: root.plan,
    status: root.subscriptionStatus ?? "active",
    seatsUsed: usage.activeSeats,
    seatLimit: rule.seatLimit,
    features: { ...rule.features },
    subOrgCount: usage.subOrgCount,
    subOrgsAllowed: rule.features.subOrgs,
    branded: usage.branded,
    provider: provider ? provider.name : ("DIRECT" as const),
    providerConfigured: provider !== null,
    plans: PLANS.map((plan) => ({
      plan,
      label: PLAN_RULES[plan].label,
      priceCents: PLAN_RULES[plan].priceCents,
      seatLimit: PLAN_RULES[plan].seatLimit,
      features: { ...PLAN_RULES[plan].features },
      description: PLAN_RULES[plan].description,
      current: plan === root.plan,
      blockers: changeBlockers(root.plan, plan, usage),
    })),
    events: events.map((event) => ({
      id: event.id,
      provider: event.provider,
      type: event.type,
      plan: event.plan,
      amountCents: event.amountCents,
      currency: event.currency,
      description: event.description,
      createdAt: event.createdAt.toISOString(),
    })),
  };
}

type BillingEventRow = typeof billingEvents.$inferSelect;
export type BillingState = ReturnType<typeof billingState>;

/** Billing belongs to the top-level org; asked from a sub-org it answers for the whole company. */
export async function getBilling(scope: OrgScope, provider = paymentProvider(scope.env)): Promise<BillingState> {
  const root = await companyOf(scope.db, scope.org);
  const [usage, events] = await Promise.all([
    companyUsage(scope.db, root),
    scope.db
      .select()
      .from(billingEvents)
      .where(eq(billingEvents.orgId, root.id))
      .orderBy(desc(billingEvents.createdAt), desc(billingEvents.id))
      .limit(EVENTS_LISTED)
      .all(),
  ]);
  return billingState(root, usage, provider, events);
}

/** Sets the plan on the top-level org and every sub-org (a sub-org runs on its parent's plan). */
const setPlanStatements = (db: Db, rootId: string, plan: Plan) =>
  [
    db.update(organizations).set({ plan }).where(eq(organizations.parentOrgId, rootId)),
    db.update(organizations).set({ plan }).where(eq(organizations.id, rootId)),
  ] as const;

async function publishBilling(env: Env, root: Org) {
  await publish(env, root, { entity: "org", action: "billing", id: root.id, orgId: root.id }, ADMINS_ONLY);
}

/** A plan change without a payment provider: applied at once, recorded as a DIRECT billing event. */
async function applyDirectly(scope: OrgScope, root: Org, plan: Plan) {
  if (plan === root.plan) return;
  const blockers = changeBlockers(root.plan, plan, await companyUsage(scope.db, root));
  if (blockers.length > 0) throw blockedError(plan, blockers);
  const { db } = scope;
  const now = new Date();
  const [first, second] = setPlanStatements(db, root.id, plan);
  await db.batch([
    first,
    second,
    db.insert(billingEvents).values({
      id: newId(),
      orgId: root.id,
      provider: "DIRECT",
      type: "plan.changed",
      plan,
      description: `Plan changed from ${PLAN_RULES[root.plan].label} to ${PLAN_RULES[plan].label} by ${scope.user.name}`,
      createdAt: now,
    }),
    auditEntry(db, {
      orgId: root.id,
      actor: actorOf(scope),
      action: "billing.plan",
      entityType: "organization",
      entityId: root.id,
      before: { plan: root.plan },
      after: { plan },
    }),
  ]);
  await publishBilling(scope.env, root);
}

/**
 * PATCH billing: a direct plan change. With a payment provider configured a plan is paid for
 * through checkout, so this answers 409 CHECKOUT_REQUIRED instead of granting it unpaid.
 */
export async function changePlan(scope: OrgScope, input: PlanInput, provider = paymentProvider(scope.env)) {
  const root = await companyOf(scope.db, scope.org);
  if (provider && input.plan !== root.plan) {
    throw conflict(
      "Plans are paid through Stripe here: change the plan with POST /billing/checkout.",
      "CHECKOUT_REQUIRED",
    );
  }
  await applyDirectly(scope, root, input.plan);
  return getBilling(scope, provider);
}

export type CheckoutResult = { kind: "redirect"; url: string } | { kind: "billing"; billing: BillingState };

/**
 * Starts a plan change. Without a provider it applies directly (same rules). With one: a paid plan
 * goes through a Checkout session (the webhook applies it once paid), FREE cancels the
 * subscription (the webhook then moves the company to FREE). Refused (409) while the rules forbid it.
 */
export async function startCheckout(
  scope: OrgScope,
  input: CheckoutInput,
  urls: CheckoutUrls,
  provider = paymentProvider(scope.env),
): Promise<CheckoutResult> {
  const root = await companyOf(scope.db, scope.org);
  if (!provider) {
    await applyDirectly(scope, root, input.plan);
    return { kind: "billing", billing: await getBilling(scope, provider) };
  }
  const subscribed = root.billingSubscriptionId !== null && root.subscriptionStatus !== "canceled";
  if (input.plan === root.plan && (subscribed || input.plan === "FREE")) {
    throw conflict(`The company is already on ${PLAN_RULES[input.plan].label}.`, "ALREADY_ON_PLAN", {
      plan: ["This is the current plan."],
    });
  }
  const blockers = changeBlockers(root.plan, input.plan, await companyUsage(scope.db, root));
  if (blockers.length > 0) throw blockedError(input.plan, blockers);
  if (input.plan === "FREE") {
    if (root.billingSubscriptionId && subscribed) {
      await provider.cancelSubscription(root.billingSubscriptionId);
    } else {
      await applyDirectly(scope, root, "FREE");
    }
    return { kind: "billing", billing: await getBilling(scope, provider) };
  }
  const session = await provider.createCheckoutSession(
    { orgId: root.id, name: root.name, billingCustomerId: root.billingCustomerId },
    input.plan,
    urls,
  );
  return { kind: "redirect", url: session.url };
}

export type WebhookOutcome = "applied" | "recorded" | "duplicate" | "ignored" | "unknown-org";

/** The company an event is about: the org named in it (top level), else the provider's customer. */
async function companyOfEvent(db: Db, event: ProviderEvent): Promise<Org | null> {
  if (event.orgId) {
    const org = await db.select().from(organizations).where(eq(organizations.id, event.orgId)).get();
    if (org && org.parentOrgId === null) return org;
  }
  if (event.customerId) {
    const org = await db
      .select()
      .from(organizations)
      .where(and(eq(organizations.billingCustomerId, event.customerId), isNull(organizations.parentOrgId)))
      .get();
    if (org) return org;
  }
  return null;
}

type PlanOutcome = { plan: Plan; note: string | null };

/** The plan a company ends up on when the provider says `wanted`: kept (with why) if the rules forbid it. */
function planAfter(root: Org, usage: CompanyUsage, wanted: Plan | null): PlanOutcome {
  if (!wanted || wanted === root.plan) return { plan: root.plan, note: null };
  const blockers = changeBlockers(root.plan, wanted, usage);
  if (blockers.length === 0) return { plan: wanted, note: null };
  return {
    plan: root.plan,
    note: `Kept ${PLAN_RULES[root.plan].label} instead of ${PLAN_RULES[wanted].label}: ${blockers.map((b) => b.message).join(" ")}`,
  };
}

/**
 * Applies a verified provider event once: the billing event row (unique per provider event id) is
 * written in the same batch as its effects, so a replay changes nothing. Unknown event types and
 * events for no known company are answered but not recorded.
 */
export async function applyProviderEvent(
  db: Db,
  env: Env,
  event: ProviderEvent,
  provider: PaymentProvider | null = paymentProvider(env),
): Promise<WebhookOutcome> {
  if (event.kind === "ignored") return "ignored";
  const root = await companyOfEvent(db, event);
  if (!root) return "unknown-org";
  const seen = await db
    .select({ id: billingEvents.id })
    .from(billingEvents)
    .where(and(eq(billingEvents.provider, "STRIPE"), eq(billingEvents.providerEventId, event.id)))
    .get();
  if (seen) return "duplicate";

  const usage = await companyUsage(db, root);
  let plan = root.plan;
  let changes: Partial<Org> = {};
  let description: string;
  let eventPlan: Plan | null = null;
  let amountCents: number | null = null;
  let currency: string | null = null;
  /** A subscription this event replaces, canceled at the provider after commit. */
  let replaced: string | null = null;

  switch (event.kind) {
    case "checkout-completed": {
      const after = planAfter(root, usage, event.plan);
      plan = after.plan;
      eventPlan = event.plan;
      if (event.subscriptionId && root.billingSubscriptionId && root.billingSubscriptionId !== event.subscriptionId) {
        replaced = root.billingSubscriptionId;
      }
      changes = {
        billingCustomerId: event.customerId ?? root.billingCustomerId,
        billingSubscriptionId: event.subscriptionId ?? root.billingSubscriptionId,
        subscriptionStatus: "active",
      };
      description =
        after.note ?? `Checkout completed: subscribed to ${event.plan ? PLAN_RULES[event.plan].label : "a plan"}`;
      break;
    }
    case "subscription": {
      eventPlan = event.plan;
      const current = root.billingSubscriptionId;
      if (event.ended) {
        if (current && current !== event.subscriptionId) {
          description = `Earlier subscription ${event.subscriptionId} ended`;
          break;
        }
        const after = planAfter(root, usage, "FREE");
        plan = after.plan;
        eventPlan = after.plan;
        changes = { billingSubscriptionId: null, subscriptionStatus: "canceled" };
        description = after.note ?? "Subscription ended: moved to Free";
        break;
      }
      if (current && current !== event.subscriptionId) replaced = current;
      const active = event.status === "active" || event.status === "trialing";
      const after = active ? planAfter(root, usage, event.plan) : { plan: root.plan, note: null };
      plan = after.plan;
      changes = {
        billingCustomerId: event.customerId ?? root.billingCustomerId,
        billingSubscriptionId: event.subscriptionId,
        subscriptionStatus: event.status,
      };
      description =
        after.note ?? `Subscription ${event.status}${event.plan ? ` on ${PLAN_RULES[event.plan].label}` : ""}`;
      break;
    }
    case "invoice":
      amountCents = event.amountCents;
      currency = event.currency;
      description = event.description;
      break;
  }

  const statements = [
    // First: if another delivery of this event committed meanwhile, the unique index fails the batch.
    db.insert(billingEvents).values({
      id: newId(),
      orgId: root.id,
      provider: "STRIPE",
      providerEventId: event.id,
      type: event.type,
      plan: eventPlan,
      amountCents,
      currency,
      description,
      payload: { kind: event.kind, customerId: event.customerId },
      createdAt: new Date(),
    }),
    ...(Object.keys(changes).length > 0
      ? [db.update(organizations).set(changes).where(eq(organizations.id, root.id))]
      : []),
    ...(plan !== root.plan ? setPlanStatements(db, root.id, plan) : []),
    auditEntry(db, {
      orgId: root.id,
      actor: null,
      action: plan !== root.plan ? "billing.plan" : "billing.event",
      entityType: "organization",
      entityId: root.id,
      before: { plan: root.plan, subscriptionStatus: root.subscriptionStatus },
      after: { plan, ...changes, provider: "STRIPE", event: event.type },
    }),
  ];
  try {
    await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  } catch (error) {
    if (isConstraintError(error, "billing_events")) return "duplicate";
    throw error;
  }
  if (replaced && provider) {
    try {
      await provider.cancelSubscription(replaced);
    } catch (error) {
      // The new subscription stands; the old one is left for the admin to cancel in Stripe.
      if (!(error instanceof HttpError)) throw error;
      console.warn("could not cancel the replaced subscription", replaced, error.message);
    }
  }
  await publishBilling(env, root);
  return Object.keys(changes).length > 0 || plan !== root.plan ? "applied" : "recorded";
}
