/**
 * Billing: the company's plan and seats, the plan rules where they bite (sub-orgs, white-label
 * branding, seats, downgrades), plan changes without a payment provider (DIRECT) and the Stripe
 * Checkout request the provider would send (through an injected fetch: no network), permissions
 * and bad input.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildUser } from "../../db/factories";
import { users } from "../../db/schema";
import { RequestSession } from "../../worker/auth/request-session";
import { createSession } from "../../worker/auth/session";
import { changePlan, getBilling, startCheckout } from "../../worker/billing/service";
import { StripeProvider } from "../../worker/billing/stripe";
import { requireOrgPermission } from "../../worker/policy/guards";
import { api, createOrg, createTree, createUser, signIn, type TestOrg, type TestUser, testDb } from "./helpers";
import { auditOf, expectError, orgsSnapshot, sqlAll, sqlRun, uniqueEmail } from "./support";

const billingOf = (org: { id: string }) => `/api/orgs/${org.id}/billing`;
const checkoutOf = (org: { id: string }) => `/api/orgs/${org.id}/billing/checkout`;

/** A FREE top-level company with its PARENT_ORG_ADMIN and `extra` more active technicians. */
async function freeCompany(extra = 0) {
  const org = await createOrg({ plan: "FREE" });
  const owner = await createUser({ orgId: org.id, role: "PARENT_ORG_ADMIN" });
  const techs: TestUser[] = [];
  for (let i = 0; i < extra; i++) techs.push(await createUser({ orgId: org.id, role: "TECHNICIAN" }));
  return { org, owner, techs, cookie: await signIn(owner.id) };
}

const setPlan = (root: TestOrg, plan: string) =>
  sqlRun("UPDATE organizations SET plan = ? WHERE id = ? OR parent_org_id = ?", plan, root.id, root.id);

const eventsOf = (orgId: string) =>
  sqlAll("SELECT provider, type, plan, description FROM billing_events WHERE org_id = ? ORDER BY created_at", orgId);

/** The service-level scope of a signed-in user in an org, as the API builds it. */
async function scopeFor(userId: string, orgId: string) {
  const { token } = await createSession(testDb(), userId);
  const session = new RequestSession(testDb(), token, { withReach: false });
  return requireOrgPermission({ db: testDb(), env, session }, orgId, "billing:manage");
}

/** A Stripe provider whose fetch records each request and answers `answer`. */
function recordingStripe(answer: (url: string) => { status: number; body: unknown }) {
  const requests: { url: string; method: string; headers: Headers; body: URLSearchParams }[] = [];
  const provider = new StripeProvider({
    secretKey: "sk_test_123",
    webhookSecret: "whsec_unused",
    fetch: async (input, init) => {
      const url = String(input);
      requests.push({
        url,
        method: init?.method ?? "GET",
        headers: new Headers(init?.headers),
        body: new URLSearchParams(String(init?.body ?? "")),
      });
      const { status, body } = answer(url);
      return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    },
  });
  return { provider, requests };
}

describe("billing state", () => {
  it("shows the company's plan, seats across the tree, features, plans with their blockers, no events yet", async () => {
    const t = await createTree();
    const res = await api(billingOf(t.parent), { cookie: await signIn(t.users.PARENT_ORG_ADMIN.id) });
    expect(res.status).toBe(200);
    // 1 parent admin + 4 staff in A + 4 in B.
    expect(res.body).toMatchObject({
      orgId: t.parent.id,
      orgName: t.parent.name,
      plan: "PRO",
      status: "active",
      seatsUsed: 9,
      seatLimit: 50,
      features: { subOrgs: true, whiteLabel: false },
      subOrgCount: 2,
      subOrgsAllowed: true,
      branded: false,
      provider: "DIRECT",
      providerConfigured: false,
      events: [],
    });
    const plans = Object.fromEntries(res.body.plans.map((p: { plan: string }) => [p.plan, p]));
    expect(plans.FREE).toMatchObject({ seatLimit: 5, current: false });
    expect(plans.FREE.blockers.map((b: { code: string }) => b.code)).toEqual(["SUBORGS_EXIST", "SEATS_EXCEEDED"]);
    expect(plans.PRO).toMatchObject({ current: true, blockers: [], priceCents: 4900 });
    expect(plans.ENTERPRISE).toMatchObject({
      seatLimit: null,
      features: { subOrgs: true, whiteLabel: true },
      blockers: [],
    });
  });

  it("answers for the whole company when asked from a sub-org; archived sub-orgs and deactivated users do not count", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    expect((await api(`/api/orgs/${t.parent.id}/sub-orgs/${t.subB.id}`, { method: "DELETE", cookie })).status).toBe(
      204,
    );
    await sqlRun("UPDATE users SET status = 'DEACTIVATED' WHERE id = ?", t.users.SALES.id);
    const res = await api(billingOf(t.subA), { cookie });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orgId: t.parent.id, seatsUsed: 4, subOrgCount: 1 });
  });
});

describe("permissions", () => {
  it("lets only the PARENT_ORG_ADMIN in: org roles 403, another company's admin 404, signed out 401", async () => {
    const t = await createTree();
    const routes: ((org: { id: string }) => { path: string; method: string; body?: unknown })[] = [
      (org: { id: string }) => ({ path: billingOf(org), method: "GET" }),
      (org: { id: string }) => ({ path: billingOf(org), method: "PATCH", body: { plan: "ENTERPRISE" } }),
      (org: { id: string }) => ({ path: checkoutOf(org), method: "POST", body: { plan: "ENTERPRISE" } }),
    ];
    for (const route of routes) {
      for (const role of ["ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"] as const) {
        for (const [user, home] of [
          [t.users[role], t.subA],
          [t.sibling[role], t.subB],
        ] as const) {
          const { path, method, body } = route(home);
          expectError(await api(path, { method, body, cookie: await signIn(user.id) }), 403, "FORBIDDEN");
        }
      }
      for (const org of [t.parent, t.subA]) {
        const { path, method, body } = route(org);
        expectError(
          await api(path, { method, body, cookie: await signIn(t.outsiders.PARENT_ORG_ADMIN.id) }),
          404,
          "NOT_FOUND",
        );
      }
      const { path, method, body } = route(t.parent);
      expectError(await api(path, { method, body }), 401, "UNAUTHENTICATED");
    }
    // Nothing changed by all of that.
    expect((await sqlAll("SELECT plan FROM organizations WHERE id = ?", t.parent.id))[0]).toEqual({ plan: "PRO" });
    expect(await eventsOf(t.parent.id)).toEqual([]);
  });

  it("lets the PARENT_ORG_ADMIN change the plan from a sub-org, acting on the top-level org", async () => {
    const t = await createTree();
    const res = await api(billingOf(t.subB), {
      method: "PATCH",
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
      body: { plan: "ENTERPRISE" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orgId: t.parent.id, plan: "ENTERPRISE" });
    expect(
      await sqlAll(
        "SELECT id, plan FROM organizations WHERE id IN (?, ?, ?) ORDER BY id",
        t.parent.id,
        t.subA.id,
        t.subB.id,
      ),
    ).toEqual([t.parent.id, t.subA.id, t.subB.id].sort().map((id) => ({ id, plan: "ENTERPRISE" })));
  });
});

describe("plan rules", () => {
  it("refuses sub-orgs on FREE (403 PLAN_REQUIRED), allows them after an upgrade, on the new plan", async () => {
    const { org, cookie } = await freeCompany();
    expectError(await api(`/api/orgs/${org.id}/sub-orgs`, { cookie, body: { name: "West" } }), 403, "PLAN_REQUIRED");
    expect(await sqlAll("SELECT id FROM organizations WHERE parent_org_id = ?", org.id)).toEqual([]);

    const upgraded = await api(billingOf(org), { method: "PATCH", cookie, body: { plan: "PRO" } });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({ plan: "PRO", subOrgsAllowed: true, seatLimit: 50 });
    const sub = await api(`/api/orgs/${org.id}/sub-orgs`, { cookie, body: { name: "West" } });
    expect(sub.status).toBe(201);
    expect((await api(`/api/orgs/${sub.body.id}`, { cookie })).body).toMatchObject({ plan: "PRO" });
  });

  it("refuses white-label branding below ENTERPRISE (403 PLAN_REQUIRED naming the field), nothing written", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.ORG_ADMIN.id);
    const before = await orgsSnapshot([t.parent.id]);
    for (const body of [
      { brandColor: "#0e7490" },
      { brandLogoUrl: "https://cdn.example.test/logo.png", name: "Xavier Mechanical" },
    ]) {
      const res = await api(`/api/orgs/${t.subA.id}`, { method: "PATCH", cookie, body });
      expectError(res, 403, "PLAN_REQUIRED");
      expect(Object.keys(res.body.error.fields)).toEqual(Object.keys(body).filter((key) => key.startsWith("brand")));
    }
    expect(await orgsSnapshot([t.parent.id])).toEqual(before);
    // Other settings, and clearing the brand, stay allowed.
    const renamed = await api(`/api/orgs/${t.subA.id}`, {
      method: "PATCH",
      cookie,
      body: { name: "North", brandColor: null },
    });
    expect(renamed.status).toBe(200);

    await setPlan(t.parent, "ENTERPRISE");
    const branded = await api(`/api/orgs/${t.subA.id}`, { method: "PATCH", cookie, body: { brandColor: "#0e7490" } });
    expect(branded.status).toBe(200);
    expect(branded.body).toMatchObject({ brandColor: "#0e7490" });
  });

  it("refuses a user beyond the seat limit (409 SEAT_LIMIT, nothing written); a freed seat can be used", async () => {
    const { org, owner, techs, cookie } = await freeCompany(4);
    const email = uniqueEmail("sixth");
    const res = await api(`/api/orgs/${org.id}/users`, { cookie, body: { name: "Sixth", email, role: "TECHNICIAN" } });
    expectError(res, 409, "SEAT_LIMIT");
    expect(await sqlAll("SELECT id FROM users WHERE email = ?", email)).toEqual([]);
    expect(await sqlAll("SELECT id FROM invitations WHERE org_id = ?", org.id)).toEqual([]);

    const tech = techs[0] as TestUser;
    expect((await api(`/api/orgs/${org.id}/users/${tech.id}`, { method: "DELETE", cookie })).status).toBe(200);
    const added = await api(`/api/orgs/${org.id}/users`, {
      cookie,
      body: { name: "Sixth", email, role: "TECHNICIAN" },
    });
    expect(added.status).toBe(201);
    expect(owner.orgId).toBe(org.id);
  });

  it("counts seats across the tree: a full PRO company refuses a user in any sub-org", async () => {
    const t = await createTree();
    // 9 users already; 41 more in sub-org B fills the 50 seats of PRO.
    const db = testDb();
    const more = Array.from({ length: 41 }, () => buildUser({ orgId: t.subB.id, role: "TECHNICIAN" }));
    await db.batch(more.map((user) => db.insert(users).values(user)) as [never, ...never[]]);
    const res = await api(`/api/orgs/${t.subA.id}/users`, {
      cookie: await signIn(t.users.ORG_ADMIN.id),
      body: { name: "One Too Many", email: uniqueEmail("full"), role: "TECHNICIAN" },
    });
    expectError(res, 409, "SEAT_LIMIT");
    // ENTERPRISE has no limit.
    await setPlan(t.parent, "ENTERPRISE");
    const ok = await api(`/api/orgs/${t.subA.id}/users`, {
      cookie: await signIn(t.users.ORG_ADMIN.id),
      body: { name: "Welcome", email: uniqueEmail("ent"), role: "TECHNICIAN" },
    });
    expect(ok.status).toBe(201);
  });
});

describe("downgrades", () => {
  it("refuses PRO -> FREE with every reason (sub-orgs, seats), nothing written; allows it once clean, recorded and audited", async () => {
    const t = await createTree();
    const cookie = await signIn(t.users.PARENT_ORG_ADMIN.id);
    const before = await orgsSnapshot([t.parent.id]);
    const refused = await api(billingOf(t.parent), { method: "PATCH", cookie, body: { plan: "FREE" } });
    expectError(refused, 409, "DOWNGRADE_BLOCKED");
    expect(refused.body.error.fields.plan).toEqual([
      expect.stringContaining("archive the 2 sub-organizations"),
      expect.stringContaining("allows 5 active users; the company has 9"),
    ]);
    // The checkout route applies the same rules.
    expectError(await api(checkoutOf(t.parent), { cookie, body: { plan: "FREE" } }), 409, "DOWNGRADE_BLOCKED");
    expect(await orgsSnapshot([t.parent.id])).toEqual(before);
    expect(await eventsOf(t.parent.id)).toEqual([]);
    expect((await auditOf(t.parent.id)).filter((e) => e.action === "billing.plan")).toEqual([]);

    for (const sub of [t.subA, t.subB]) {
      expect((await api(`/api/orgs/${t.parent.id}/sub-orgs/${sub.id}`, { method: "DELETE", cookie })).status).toBe(204);
    }
    const downgraded = await api(billingOf(t.parent), { method: "PATCH", cookie, body: { plan: "FREE" } });
    expect(downgraded.status).toBe(200);
    expect(downgraded.body).toMatchObject({ plan: "FREE", seatsUsed: 1, subOrgCount: 0, subOrgsAllowed: false });
    expect(downgraded.body.events).toEqual([
      expect.objectContaining({ provider: "DIRECT", type: "plan.changed", plan: "FREE", amountCents: null }),
    ]);
    expect(await eventsOf(t.parent.id)).toEqual([
      {
        provider: "DIRECT",
        type: "plan.changed",
        plan: "FREE",
        description: `Plan changed from Pro to Free by ${t.users.PARENT_ORG_ADMIN.name}`,
      },
    ]);
    expect((await auditOf(t.parent.id)).filter((e) => e.action === "billing.plan")).toEqual([
      expect.objectContaining({
        orgId: t.parent.id,
        actorId: t.users.PARENT_ORG_ADMIN.id,
        before: { plan: "PRO" },
        after: { plan: "FREE" },
      }),
    ]);
  });

  it("refuses ENTERPRISE -> PRO while branding is set, allows it once cleared", async () => {
    const { org, cookie } = await freeCompany();
    await setPlan(org, "ENTERPRISE");
    expect(
      (await api(`/api/orgs/${org.id}`, { method: "PATCH", cookie, body: { brandColor: "#123456" } })).status,
    ).toBe(200);
    const refused = await api(billingOf(org), { method: "PATCH", cookie, body: { plan: "PRO" } });
    expectError(refused, 409, "DOWNGRADE_BLOCKED");
    expect(refused.body.error.fields.plan).toEqual([expect.stringContaining("white-label branding")]);
    const listed = await api(billingOf(org), { cookie });
    expect(listed.body.plans.find((p: { plan: string }) => p.plan === "PRO").blockers).toEqual([
      expect.objectContaining({ code: "BRANDING_SET" }),
    ]);

    expect((await api(`/api/orgs/${org.id}`, { method: "PATCH", cookie, body: { brandColor: null } })).status).toBe(
      200,
    );
    const res = await api(billingOf(org), { method: "PATCH", cookie, body: { plan: "PRO" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ plan: "PRO", branded: false });
  });

  it("never refuses an upgrade: a FREE company whose brand colour predates the rule moves to PRO", async () => {
    const org = await createOrg({ plan: "FREE", brandColor: "#7c3aed" });
    const owner = await createUser({ orgId: org.id, role: "PARENT_ORG_ADMIN" });
    const cookie = await signIn(owner.id);
    const listed = await api(billingOf(org), { cookie });
    expect(listed.body.plans.map((p: { blockers: unknown[] }) => p.blockers)).toEqual([[], [], []]);
    const res = await api(billingOf(org), { method: "PATCH", cookie, body: { plan: "PRO" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ plan: "PRO", branded: true });
  });

  it("treats the current plan as a no-op: 200, no event, no audit", async () => {
    const t = await createTree();
    const res = await api(billingOf(t.parent), {
      method: "PATCH",
      cookie: await signIn(t.users.PARENT_ORG_ADMIN.id),
      body: { plan: "PRO" },
    });
    expect(res.status).toBe(200);
    expect(await eventsOf(t.parent.id)).toEqual([]);
    expect(await auditOf(t.parent.id)).toEqual([]);
  });
});

describe("checkout without provider keys", () => {
  it("applies the plan directly and answers the new billing state", async () => {
    const { org, cookie } = await freeCompany();
    const res = await api(checkoutOf(org), { cookie, body: { plan: "ENTERPRISE" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orgId: org.id, plan: "ENTERPRISE", provider: "DIRECT", seatLimit: null });
    expect(res.body.url).toBeUndefined();
    expect(await eventsOf(org.id)).toEqual([expect.objectContaining({ provider: "DIRECT", plan: "ENTERPRISE" })]);
  });
});

describe("bad input", () => {
  const bodies: [string, unknown, string][] = [
    ["missing plan", {}, "plan"],
    ["unknown plan", { plan: "GOLD" }, "plan"],
    ["plan as a number", { plan: 2 }, "plan"],
    ["plan null", { plan: null }, "plan"],
    ["oversized plan", { plan: "P".repeat(10_000) }, "plan"],
    ["unknown field", { plan: "PRO", price: 0 }, "price"],
  ];
  it.each(bodies)(
    "PATCH and POST checkout refuse %s with 400 naming the field, nothing written",
    async (_why, body, field) => {
      const { org, cookie } = await freeCompany();
      const before = await orgsSnapshot([org.id]);
      for (const [path, method] of [
        [billingOf(org), "PATCH"],
        [checkoutOf(org), "POST"],
      ] as const) {
        const res = await api(path, { method, cookie, body });
        expectError(res, 400, "VALIDATION_FAILED");
        expect(Object.keys(res.body.error.fields)).toContain(field);
      }
      expect(await orgsSnapshot([org.id])).toEqual(before);
      expect(await eventsOf(org.id)).toEqual([]);
      expect(await auditOf(org.id)).toEqual([]);
    },
  );

  it("refuses a body that is not JSON with 400", async () => {
    const { org, cookie } = await freeCompany();
    const res = await api(checkoutOf(org), { cookie, body: "{plan:", headers: { "Content-Type": "application/json" } });
    expectError(res, 400);
    expect(await eventsOf(org.id)).toEqual([]);
  });
});

describe("with Stripe configured (injected fetch, no network)", () => {
  it("sends Stripe a subscription Checkout session for the top-level org and answers its url; nothing changes yet", async () => {
    const t = await createTree();
    const { provider, requests } = recordingStripe(() => ({
      status: 200,
      body: { id: "cs_test_1", url: "https://checkout.stripe.com/c/pay/cs_test_1" },
    }));
    const scope = await scopeFor(t.users.PARENT_ORG_ADMIN.id, t.subA.id);
    const urls = { successUrl: "https://app.test/ok", cancelUrl: "https://app.test/back" };
    const result = await startCheckout(scope, { plan: "ENTERPRISE" }, urls, provider);
    expect(result).toEqual({ kind: "redirect", url: "https://checkout.stripe.com/c/pay/cs_test_1" });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.url).toBe("https://api.stripe.com/v1/checkout/sessions");
    expect(request?.method).toBe("POST");
    expect(request?.headers.get("Authorization")).toBe("Bearer sk_test_123");
    expect(request?.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(request?.body ?? [])).toMatchObject({
      mode: "subscription",
      client_reference_id: t.parent.id,
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      "metadata[orgId]": t.parent.id,
      "metadata[plan]": "ENTERPRISE",
      "subscription_data[metadata][orgId]": t.parent.id,
      "subscription_data[metadata][plan]": "ENTERPRISE",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][unit_amount]": "19900",
      "line_items[0][price_data][recurring][interval]": "month",
    });
    // The plan changes when Stripe's webhook says it was paid, not before.
    expect((await sqlAll("SELECT plan FROM organizations WHERE id = ?", t.parent.id))[0]).toEqual({ plan: "PRO" });
    expect(await eventsOf(t.parent.id)).toEqual([]);
  });

  it("reports the provider, refuses PATCH (409 CHECKOUT_REQUIRED) and still applies the plan rules first", async () => {
    const t = await createTree();
    const { provider, requests } = recordingStripe(() => ({ status: 200, body: { url: "https://x.test" } }));
    const scope = await scopeFor(t.users.PARENT_ORG_ADMIN.id, t.parent.id);
    expect(await getBilling(scope, provider)).toMatchObject({ provider: "STRIPE", providerConfigured: true });
    await expect(changePlan(scope, { plan: "ENTERPRISE" }, provider)).rejects.toMatchObject({
      status: 409,
      code: "CHECKOUT_REQUIRED",
    });
    await expect(
      startCheckout(scope, { plan: "FREE" }, { successUrl: "a", cancelUrl: "b" }, provider),
    ).rejects.toMatchObject({
      status: 409,
      code: "DOWNGRADE_BLOCKED",
    });
    expect(requests).toEqual([]);
  });

  it("cancels the Stripe subscription for a clean move to FREE (the webhook applies it)", async () => {
    const { org, owner } = await freeCompany();
    await sqlRun(
      "UPDATE organizations SET plan = 'PRO', billing_customer_id = 'cus_1', billing_subscription_id = 'sub_1', subscription_status = 'active' WHERE id = ?",
      org.id,
    );
    const { provider, requests } = recordingStripe(() => ({ status: 200, body: { id: "sub_1", status: "canceled" } }));
    const result = await startCheckout(
      await scopeFor(owner.id, org.id),
      { plan: "FREE" },
      { successUrl: "a", cancelUrl: "b" },
      provider,
    );
    expect(result).toMatchObject({ kind: "billing", billing: { plan: "PRO" } });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "DELETE https://api.stripe.com/v1/subscriptions/sub_1",
    ]);
  });

  it("answers 502 PAYMENT_PROVIDER_ERROR when Stripe refuses, writing nothing", async () => {
    const { org, owner } = await freeCompany();
    const { provider } = recordingStripe(() => ({
      status: 401,
      body: { error: { message: "Invalid API Key provided" } },
    }));
    await expect(
      startCheckout(await scopeFor(owner.id, org.id), { plan: "PRO" }, { successUrl: "a", cancelUrl: "b" }, provider),
    ).rejects.toMatchObject({ status: 502, code: "PAYMENT_PROVIDER_ERROR" });
    expect(await eventsOf(org.id)).toEqual([]);
  });
});
