/**
 * POST /api/billing/stripe/webhook against the real Worker, with payloads signed here by Stripe's
 * documented scheme (`t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`) and the test-only
 * STRIPE_WEBHOOK_SECRET from vitest.config.ts: valid, tampered, wrong secret, missing header,
 * stale, replayed; then what each event type does to the company, once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, createOrg, createTree, createUser, signIn, type TestOrg } from "./helpers";
import { auditOf, expectError, sqlAll, sqlRun, unique } from "./support";

const WEBHOOK = "/api/billing/stripe/webhook";
const SECRET = env.STRIPE_WEBHOOK_SECRET as string;
const now = () => Math.floor(Date.now() / 1000);

async function hmacHex(secret: string, message: string) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function signature(body: string, { secret = SECRET, t = now() } = {}) {
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
}

/** Delivers a raw body as Stripe does: no session, no Origin, the signature header. */
function deliver(body: string, header: string | null) {
  return api(WEBHOOK, {
    method: "POST",
    body,
    origin: null,
    headers: { "Content-Type": "application/json", ...(header === null ? {} : { "Stripe-Signature": header }) },
  });
}

async function send(event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  return deliver(body, await signature(body));
}

const stripeEvent = (type: string, object: Record<string, unknown>, id = unique("evt_")) => ({
  id,
  object: "event",
  type,
  created: now(),
  data: { object },
});

const checkoutCompleted = (org: TestOrg, plan: string, id?: string) =>
  stripeEvent(
    "checkout.session.completed",
    {
      id: unique("cs_"),
      object: "checkout.session",
      mode: "subscription",
      client_reference_id: org.id,
      customer: `cus_${org.id}`,
      subscription: `sub_${org.id}`,
      metadata: { orgId: org.id, plan },
    },
    id,
  );

const subscription = (org: TestOrg, type: string, fields: Record<string, unknown>) =>
  stripeEvent(type, {
    id: `sub_${org.id}`,
    object: "subscription",
    customer: `cus_${org.id}`,
    status: "active",
    metadata: { orgId: org.id },
    items: { data: [{ price: { id: "price_1", lookup_key: null, metadata: {} } }] },
    ...fields,
  });

const orgRow = async (org: TestOrg) =>
  (
    await sqlAll(
      "SELECT plan, billing_customer_id, billing_subscription_id, subscription_status FROM organizations WHERE id = ?",
      org.id,
    )
  )[0];
const eventsOf = (org: TestOrg) =>
  sqlAll(
    "SELECT provider, provider_event_id, type, plan, amount_cents, currency, description FROM billing_events WHERE org_id = ? ORDER BY created_at",
    org.id,
  );

/** A FREE company with its owner, and the Stripe references of a paying customer when `subscribed`. */
async function company(plan: TestOrg["plan"] = "FREE", subscribed = false) {
  const org = await createOrg({ plan });
  if (subscribed) {
    await sqlRun(
      "UPDATE organizations SET billing_customer_id = ?, billing_subscription_id = ?, subscription_status = 'active' WHERE id = ?",
      `cus_${org.id}`,
      `sub_${org.id}`,
      org.id,
    );
  }
  const owner = await createUser({ orgId: org.id, role: "PARENT_ORG_ADMIN" });
  return { org, owner };
}

describe("signature", () => {
  it("accepts a correctly signed delivery without session or Origin and applies it", async () => {
    const { org } = await company();
    const res = await send(checkoutCompleted(org, "PRO"));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, outcome: "applied" });
    expect(await orgRow(org)).toEqual({
      plan: "PRO",
      billing_customer_id: `cus_${org.id}`,
      billing_subscription_id: `sub_${org.id}`,
      subscription_status: "active",
    });
  });

  it("refuses a tampered body, a wrong secret, a missing or malformed header: 400, nothing recorded", async () => {
    const { org } = await company();
    const body = JSON.stringify(checkoutCompleted(org, "PRO"));
    const tampered = body.replace('"plan":"PRO"', '"plan":"ENTERPRISE"');
    expect(tampered).not.toBe(body);
    expectError(await deliver(tampered, await signature(body)), 400, "WEBHOOK_SIGNATURE_INVALID");
    expectError(
      await deliver(body, await signature(body, { secret: "whsec_someone_else" })),
      400,
      "WEBHOOK_SIGNATURE_INVALID",
    );
    expectError(await deliver(body, null), 400, "WEBHOOK_SIGNATURE_MISSING");
    const t = now();
    for (const header of [`t=${t}`, `v1=${await hmacHex(SECRET, `${t}.${body}`)}`, "garbage", `t=${t},v1=zz`]) {
      expectError(await deliver(body, header), 400, "WEBHOOK_SIGNATURE_INVALID");
    }
    // A signature for another timestamp does not carry over.
    const valid = await hmacHex(SECRET, `${t}.${body}`);
    expectError(await deliver(body, `t=${t + 1},v1=${valid}`), 400, "WEBHOOK_SIGNATURE_INVALID");
    expect(await eventsOf(org)).toEqual([]);
    expect(await orgRow(org)).toMatchObject({ plan: "FREE", billing_customer_id: null });
  });

  it("refuses a delivery older than 300 s (400 WEBHOOK_TIMESTAMP_STALE) and accepts one inside the tolerance", async () => {
    const { org } = await company();
    const stale = JSON.stringify(checkoutCompleted(org, "PRO"));
    expectError(await deliver(stale, await signature(stale, { t: now() - 301 })), 400, "WEBHOOK_TIMESTAMP_STALE");
    expect(await eventsOf(org)).toEqual([]);
    const recent = JSON.stringify(checkoutCompleted(org, "PRO"));
    expect((await deliver(recent, await signature(recent, { t: now() - 240 }))).status).toBe(200);
    expect(await orgRow(org)).toMatchObject({ plan: "PRO" });
  });

  it("accepts any of several v1 signatures (a secret being rolled)", async () => {
    const { org } = await company();
    const body = JSON.stringify(checkoutCompleted(org, "PRO"));
    const t = now();
    const header = `t=${t},v1=${await hmacHex("whsec_old", `${t}.${body}`)},v1=${await hmacHex(SECRET, `${t}.${body}`)},v0=ignored`;
    expect((await deliver(body, header)).status).toBe(200);
  });

  it("refuses a signed body that is not JSON or has no event id (400), never 500", async () => {
    for (const body of ["{not json", JSON.stringify({ type: "invoice.paid" })]) {
      expectError(await deliver(body, await signature(body)), 400, "WEBHOOK_PAYLOAD_INVALID");
    }
  });

  it("is exempt from the Origin check on this path only", async () => {
    const t = await createTree();
    const res = await api(`/api/orgs/${t.parent.id}/billing/checkout`, {
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
      body: { plan: "ENTERPRISE" },
      origin: null,
    });
    expectError(res, 403, "BAD_ORIGIN");
  });
});

describe("idempotency", () => {
  it("applies a replayed event id once: the same delivery again answers 200 duplicate and changes nothing", async () => {
    const { org } = await company();
    const event = checkoutCompleted(org, "PRO");
    const body = JSON.stringify(event);
    const header = await signature(body);
    expect((await deliver(body, header)).body).toEqual({ received: true, outcome: "applied" });
    const after = await orgRow(org);
    const replay = await deliver(body, header);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true, outcome: "duplicate" });
    // Even re-signed with other content, the event id was seen.
    const changed = await send({ ...checkoutCompleted(org, "ENTERPRISE"), id: event.id });
    expect(changed.body).toEqual({ received: true, outcome: "duplicate" });
    expect(await orgRow(org)).toEqual(after);
    expect(await eventsOf(org)).toHaveLength(1);
    expect((await auditOf(org.id)).filter((e) => e.action === "billing.plan")).toHaveLength(1);
  });

  it("applies two concurrent deliveries of one event once", async () => {
    const { org } = await company();
    const body = JSON.stringify(checkoutCompleted(org, "ENTERPRISE"));
    const header = await signature(body);
    const results = await Promise.all([deliver(body, header), deliver(body, header)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => r.body.outcome).sort()).toEqual(["applied", "duplicate"]);
    expect(await eventsOf(org)).toHaveLength(1);
  });
});

describe("events", () => {
  it("checkout.session.completed: records the event, audits the plan change without a user, lists it on the billing page", async () => {
    const { org, owner } = await company();
    const event = checkoutCompleted(org, "ENTERPRISE");
    await send(event);
    expect(await eventsOf(org)).toEqual([
      {
        provider: "STRIPE",
        provider_event_id: event.id,
        type: "checkout.session.completed",
        plan: "ENTERPRISE",
        amount_cents: null,
        currency: null,
        description: "Checkout completed: subscribed to Enterprise",
      },
    ]);
    expect((await auditOf(org.id)).filter((e) => e.action === "billing.plan")).toEqual([
      expect.objectContaining({ actorId: null, before: expect.objectContaining({ plan: "FREE" }) }),
    ]);
    const billing = await api(`/api/orgs/${org.id}/billing`, { cookie: await signIn(owner.id) });
    expect(billing.body).toMatchObject({ plan: "ENTERPRISE", status: "active", seatLimit: null });
    expect(billing.body.events).toEqual([expect.objectContaining({ provider: "STRIPE", plan: "ENTERPRISE" })]);
  });

  it("customer.subscription.updated: the plan from the price's lookup key or the metadata when active; status only otherwise", async () => {
    const { org } = await company("PRO", true);
    const upgraded = subscription(org, "customer.subscription.updated", {
      items: { data: [{ price: { id: "price_ent", lookup_key: "enterprise", metadata: {} } }] },
    });
    expect((await send(upgraded)).body.outcome).toBe("applied");
    expect(await orgRow(org)).toMatchObject({ plan: "ENTERPRISE", subscription_status: "active" });

    await send(
      subscription(org, "customer.subscription.updated", {
        status: "past_due",
        metadata: { orgId: org.id, plan: "PRO" },
      }),
    );
    expect(await orgRow(org)).toMatchObject({ plan: "ENTERPRISE", subscription_status: "past_due" });
  });

  it("customer.subscription.created finds the company by its Stripe customer when the metadata does not name it", async () => {
    const { org } = await company("FREE", true);
    await send(subscription(org, "customer.subscription.created", { metadata: { plan: "PRO" } }));
    expect(await orgRow(org)).toMatchObject({ plan: "PRO", subscription_status: "active" });
  });

  it("customer.subscription.deleted: back to FREE when the rules allow", async () => {
    const { org } = await company("PRO", true);
    expect((await send(subscription(org, "customer.subscription.deleted", { status: "canceled" }))).body.outcome).toBe(
      "applied",
    );
    expect(await orgRow(org)).toEqual({
      plan: "FREE",
      billing_customer_id: `cus_${org.id}`,
      billing_subscription_id: null,
      subscription_status: "canceled",
    });
  });

  it("customer.subscription.deleted: keeps the plan while sub-orgs exist, and records why", async () => {
    const t = await createTree();
    await sqlRun(
      "UPDATE organizations SET billing_customer_id = ?, billing_subscription_id = ? WHERE id = ?",
      `cus_${t.parent.id}`,
      `sub_${t.parent.id}`,
      t.parent.id,
    );
    await send(subscription(t.parent, "customer.subscription.deleted", { status: "canceled" }));
    expect(await orgRow(t.parent)).toMatchObject({ plan: "PRO", subscription_status: "canceled" });
    const [event] = await eventsOf(t.parent);
    expect(event?.description).toMatch(/^Kept Pro instead of Free: .*sub-organizations/);
    expect(
      (await sqlAll("SELECT plan FROM organizations WHERE parent_org_id = ?", t.parent.id)).map((r) => r.plan),
    ).toEqual(["PRO", "PRO"]);
  });

  it("an earlier subscription ending does not touch the current one", async () => {
    const { org } = await company("ENTERPRISE", true);
    await send(
      stripeEvent("customer.subscription.deleted", { id: "sub_old", customer: `cus_${org.id}`, status: "canceled" }),
    );
    expect(await orgRow(org)).toMatchObject({ plan: "ENTERPRISE", billing_subscription_id: `sub_${org.id}` });
    expect((await eventsOf(org))[0]?.description).toBe("Earlier subscription sub_old ended");
  });

  it("invoice.paid and invoice.payment_failed: recorded with amount and currency", async () => {
    const { org } = await company("PRO", true);
    const invoice = (type: string, fields: Record<string, unknown>) =>
      stripeEvent(type, {
        id: unique("in_"),
        number: "RT-0001",
        customer: `cus_${org.id}`,
        currency: "usd",
        ...fields,
      });
    expect((await send(invoice("invoice.paid", { amount_paid: 4900, amount_due: 4900 }))).body.outcome).toBe(
      "recorded",
    );
    await send(invoice("invoice.payment_failed", { amount_paid: 0, amount_due: 4900 }));
    expect(
      (await eventsOf(org)).map(({ type, amount_cents, currency, description }) => ({
        type,
        amount_cents,
        currency,
        description,
      })),
    ).toEqual([
      { type: "invoice.paid", amount_cents: 4900, currency: "usd", description: "Invoice RT-0001 paid" },
      {
        type: "invoice.payment_failed",
        amount_cents: 4900,
        currency: "usd",
        description: "Payment failed for invoice RT-0001",
      },
    ]);
    expect(await orgRow(org)).toMatchObject({ plan: "PRO" });
  });

  it("unknown event types: 200 ignored, not recorded; events for no known company: 200, not recorded", async () => {
    const { org } = await company("PRO", true);
    expect((await send(stripeEvent("customer.created", { id: `cus_${org.id}` }))).body).toEqual({
      received: true,
      outcome: "ignored",
    });
    const stranger = stripeEvent("checkout.session.completed", {
      client_reference_id: "no-such-org",
      customer: "cus_nobody",
      metadata: { plan: "PRO" },
    });
    expect((await send(stranger)).body).toEqual({ received: true, outcome: "unknown-org" });
    expect(await eventsOf(org)).toEqual([]);
    expect(await sqlAll("SELECT id FROM billing_events WHERE provider_event_id = ?", stranger.id)).toEqual([]);
  });

  it("never applies to a sub-org named in the metadata", async () => {
    const t = await createTree();
    const res = await send(checkoutCompleted(t.subA, "ENTERPRISE"));
    expect(res.body.outcome).toBe("unknown-org");
    expect(await orgRow(t.subA)).toMatchObject({ plan: "PRO" });
  });
});
