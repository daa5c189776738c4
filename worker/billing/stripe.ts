/**
 * The Stripe payment provider, over Stripe's REST API with fetch (form-encoded bodies, bearer
 * secret key): no SDK, so it runs in workerd as is, and tests inject their own fetch.
 *
 * Webhooks are verified by Stripe's documented scheme (https://docs.stripe.com/webhooks#verify-manually):
 * the `Stripe-Signature` header carries `t=<unix seconds>` and one or more `v1=<hex>`, each an
 * HMAC-SHA256 of `${t}.${rawBody}` keyed with the endpoint secret; a delivery older than the
 * tolerance (300 s) is refused, against replays.
 */
import { HttpError } from "../http/errors";
import { isPlan, PLAN_RULES, type Plan } from "./plans";
import type { BillingCustomer, CheckoutUrls, PaymentProvider, ProviderEvent } from "./provider";

export const STRIPE_API = "https://api.stripe.com/v1";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string;
  /** Injected by tests; the Worker's global fetch otherwise. */
  fetch?: typeof fetch;
  /** Seconds since the epoch; injected by tests. */
  now?: () => number;
};

/** Stripe's form encoding: nested objects and arrays as `a[b][0][c]=…`. */
export function formEncode(value: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  const add = (key: string, item: unknown) => {
    if (item === undefined || item === null) return;
    if (Array.isArray(item)) {
      for (const [index, entry] of item.entries()) add(`${key}[${index}]`, entry);
    } else if (typeof item === "object") {
      for (const [child, entry] of Object.entries(item)) add(`${key}[${child}]`, entry);
    } else {
      params.append(key, String(item));
    }
  };
  for (const [key, item] of Object.entries(value)) add(key, item);
  return params;
}

const webhookError = (code: string, message: string) => new HttpError(400, code, message);

const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Checks a `Stripe-Signature` header against the raw body. Any `v1` may match (Stripe sends one per
 * active secret while a secret is rolled); comparison is constant-time (`crypto.subtle.verify`).
 */
export async function verifyStripeSignature(
  secret: string,
  header: string | null,
  rawBody: string,
  nowSeconds: number,
): Promise<void> {
  if (!header) throw webhookError("WEBHOOK_SIGNATURE_MISSING", "The Stripe-Signature header is missing.");
  let timestamp: number | null = null;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === "v1" && value) {
      const bytes = hexToBytes(value);
      if (bytes) signatures.push(bytes);
    }
  }
  if (timestamp === null || signatures.length === 0) {
    throw webhookError("WEBHOOK_SIGNATURE_INVALID", "The Stripe-Signature header has no timestamp or v1 signature.");
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  const signed = encoder.encode(`${timestamp}.${rawBody}`);
  let valid = false;
  for (const signature of signatures) {
    // Every candidate is checked, so timing does not tell which one matched.
    if (await crypto.subtle.verify("HMAC", key, signature, signed)) valid = true;
  }
  if (!valid) throw webhookError("WEBHOOK_SIGNATURE_INVALID", "The Stripe signature does not match this payload.");
  if (nowSeconds - timestamp > SIGNATURE_TOLERANCE_SECONDS) {
    throw webhookError("WEBHOOK_TIMESTAMP_STALE", "The Stripe event is older than the 300-second tolerance.");
  }
}

type StripeObject = Record<string, unknown>;

const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const obj = (value: unknown): StripeObject => (value && typeof value === "object" ? (value as StripeObject) : {});
/** An id field that Stripe may send as a string or, when expanded, as an object with an id. */
const idOf = (value: unknown) => str(value) ?? str(obj(value).id);
const planOf = (value: unknown): Plan | null => {
  const upper = typeof value === "string" ? value.toUpperCase() : null;
  return isPlan(upper) ? upper : null;
};
const amountOf = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : null);

/** The plan a subscription is on: its price (lookup key or metadata) first, then the subscription's metadata. */
function subscriptionPlan(subscription: StripeObject): Plan | null {
  const items = obj(subscription.items).data;
  const price = obj(obj(Array.isArray(items) ? items[0] : null).price);
  return planOf(price.lookup_key) ?? planOf(obj(price.metadata).plan) ?? planOf(obj(subscription.metadata).plan);
}

/** Translates a verified Stripe event into what billing acts on. */
export function translateStripeEvent(event: StripeObject): ProviderEvent {
  const id = str(event.id);
  const type = str(event.type);
  if (!id || !type) throw webhookError("WEBHOOK_PAYLOAD_INVALID", "The Stripe event has no id or type.");
  const object = obj(obj(event.data).object);
  const metadata = obj(object.metadata);
  const base = { id, type, customerId: idOf(object.customer) };
  switch (type) {
    case "checkout.session.completed":
      return {
        ...base,
        kind: "checkout-completed",
        orgId: str(object.client_reference_id) ?? str(metadata.orgId),
        plan: planOf(metadata.plan),
        subscriptionId: idOf(object.subscription),
      };
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const subscriptionId = str(object.id);
      if (!subscriptionId) throw webhookError("WEBHOOK_PAYLOAD_INVALID", "The subscription has no id.");
      const status = str(object.status) ?? "unknown";
      return {
        ...base,
        kind: "subscription",
        orgId: str(metadata.orgId),
        subscriptionId,
        plan: subscriptionPlan(object),
        status: type === "customer.subscription.deleted" ? "canceled" : status,
        ended: type === "customer.subscription.deleted" || status === "canceled" || status === "incomplete_expired",
      };
    }
    case "invoice.paid":
    case "invoice.payment_failed": {
      const paid = type === "invoice.paid";
      // API versions differ on where the subscription's metadata sits on an invoice.
      const subscriptionMetadata = obj(
        obj(obj(object.parent).subscription_details).metadata ?? obj(object.subscription_details).metadata,
      );
      const number = str(object.number) ?? str(object.id) ?? "";
      return {
        ...base,
        kind: "invoice",
        orgId: str(subscriptionMetadata.orgId) ?? str(metadata.orgId),
        paid,
        amountCents: amountOf(paid ? object.amount_paid : object.amount_due),
        currency: str(object.currency),
        description: paid ? `Invoice ${number} paid` : `Payment failed for invoice ${number}`,
      };
    }
    default:
      return { ...base, kind: "ignored", orgId: null };
  }
}

export class StripeProvider implements PaymentProvider {
  readonly name = "STRIPE" as const;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly config: StripeConfig) {
    this.fetch = config.fetch ?? ((input, init) => fetch(input, init));
    this.now = config.now ?? (() => Math.floor(Date.now() / 1000));
  }

  private async call(method: "POST" | "DELETE", path: string, body?: Record<string, unknown>): Promise<StripeObject> {
    let res: Response;
    try {
      res = await this.fetch(`${STRIPE_API}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.config.secretKey}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: body ? formEncode(body).toString() : undefined,
      });
    } catch {
      throw new HttpError(502, "PAYMENT_PROVIDER_UNAVAILABLE", "Stripe could not be reached. Try again shortly.");
    }
    const answer = obj(await res.json().catch(() => null));
    if (!res.ok) {
      const message = str(obj(answer.error).message) ?? `Stripe answered ${res.status}.`;
      throw new HttpError(502, "PAYMENT_PROVIDER_ERROR", `Stripe refused the request: ${message}`);
    }
    return answer;
  }

  async createCheckoutSession(customer: BillingCustomer, plan: Plan, urls: CheckoutUrls) {
    const rule = PLAN_RULES[plan];
    const metadata = { orgId: customer.orgId, plan };
    const session = await this.call("POST", "/checkout/sessions", {
      mode: "subscription",
      client_reference_id: customer.orgId,
      customer: customer.billingCustomerId ?? undefined,
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "usd",
            unit_amount: rule.priceCents,
            recurring: { interval: "month" },
            product_data: { name: `RefriTrak ${rule.label}`, metadata: { plan } },
          },
        },
      ],
      metadata,
      subscription_data: { metadata, description: `RefriTrak ${rule.label} for ${customer.name}` },
    });
    const url = str(session.url);
    if (!url) throw new HttpError(502, "PAYMENT_PROVIDER_ERROR", "Stripe did not return a checkout address.");
    return { url };
  }

  async cancelSubscription(subscriptionId: string) {
    await this.call("DELETE", `/subscriptions/${encodeURIComponent(subscriptionId)}`);
  }

  async parseWebhook(request: Request) {
    const rawBody = await request.text();
    await verifyStripeSignature(
      this.config.webhookSecret,
      request.headers.get("Stripe-Signature"),
      rawBody,
      this.now(),
    );
    let event: unknown;
    try {
      event = JSON.parse(rawBody);
    } catch {
      throw webhookError("WEBHOOK_PAYLOAD_INVALID", "The Stripe event is not valid JSON.");
    }
    return translateStripeEvent(obj(event));
  }
}

/** Stripe when both secrets are set (wrangler secrets), otherwise null: plan changes apply directly. */
export function stripeFromEnv(env: Env, fetchImpl?: typeof fetch): StripeProvider | null {
  const secretKey = env.STRIPE_SECRET_KEY;
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (!secretKey || !webhookSecret) return null;
  return new StripeProvider({ secretKey, webhookSecret, fetch: fetchImpl });
}
