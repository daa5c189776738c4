/**
 * What the billing service needs from a payment provider. Stripe implements it (stripe.ts); without
 * provider keys there is none and plan changes apply directly (provider "DIRECT").
 */
import type { Plan } from "./plans";

export type CheckoutUrls = { successUrl: string; cancelUrl: string };

/** The company a checkout is for: the top-level org. */
export type BillingCustomer = {
  orgId: string;
  name: string;
  billingCustomerId: string | null;
};

/**
 * A verified provider event, translated into what billing acts on. `orgId` is the company the
 * provider was told about (client reference or metadata); `customerId` finds it otherwise.
 */
export type ProviderEvent = { id: string; type: string; orgId: string | null; customerId: string | null } & (
  | {
      kind: "checkout-completed";
      plan: Plan | null;
      subscriptionId: string | null;
    }
  | {
      kind: "subscription";
      subscriptionId: string;
      plan: Plan | null;
      /** The provider's status (active, trialing, past_due, canceled, …). */
      status: string;
      /** The subscription ended: the company falls back to FREE if the rules allow. */
      ended: boolean;
    }
  | {
      kind: "invoice";
      paid: boolean;
      amountCents: number | null;
      currency: string | null;
      description: string;
    }
  /** A verified event of a type billing does not act on: answered 200, not recorded. */
  | { kind: "ignored" }
);

export interface PaymentProvider {
  readonly name: "STRIPE";
  /** A hosted checkout page that starts a subscription to `plan`. */
  createCheckoutSession(customer: BillingCustomer, plan: Plan, urls: CheckoutUrls): Promise<{ url: string }>;
  /** Ends a subscription now; the provider's webhook then reports it. */
  cancelSubscription(subscriptionId: string): Promise<void>;
  /** Verifies a webhook delivery (signature, timestamp) and translates it; throws a 400 HttpError otherwise. */
  parseWebhook(request: Request): Promise<ProviderEvent>;
}
