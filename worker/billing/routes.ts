import { createRoute, z } from "@hono/zod-openapi";
import { createApi, errorResponses, jsonBody, jsonContent, OrgParams, scopeOf } from "../http/app";
import { notFound } from "../http/errors";
import { requireOrgPermission } from "../policy/guards";
import { Billing, CheckoutInput, CheckoutRedirect, PlanInput, WebhookReceipt } from "./schemas";
import { applyProviderEvent, changePlan, getBilling, startCheckout } from "./service";
import { StripeProvider } from "./stripe";

const tags = ["billing"];
const writeErrors = { ...errorResponses, 409: errorResponses[400] };

/** Where Stripe Checkout sends the admin back to: the billing page of the org they started from. */
export const checkoutUrls = (origin: string, orgId: string) => {
  const page = `${origin}/o/${encodeURIComponent(orgId)}/organization/billing`;
  return { successUrl: `${page}?checkout=success`, cancelUrl: `${page}?checkout=canceled` };
};

export const billingRoutes = createApi()
  .openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/billing",
      tags,
      summary: "Plan, seats, features, plan comparison and billing events of the company (parent org admin)",
      request: { params: OrgParams },
      responses: { 200: jsonContent(Billing), ...errorResponses },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "billing:manage");
      return c.json(await getBilling(scope), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/billing",
      tags,
      summary:
        "Change the plan directly (no payment provider configured); 409 DOWNGRADE_BLOCKED with the reasons, 409 CHECKOUT_REQUIRED when Stripe is configured",
      request: { params: OrgParams, body: jsonBody(PlanInput) },
      responses: { 200: jsonContent(Billing), ...writeErrors },
    }),
    async (c) => {
      const scope = await requireOrgPermission(scopeOf(c), c.req.valid("param").orgId, "billing:manage");
      return c.json(await changePlan(scope, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/billing/checkout",
      tags,
      summary:
        "Change the plan: a Stripe Checkout address ({ url }) when Stripe is configured, else applied directly (the new billing state)",
      request: { params: OrgParams, body: jsonBody(CheckoutInput) },
      responses: { 200: jsonContent(z.union([CheckoutRedirect, Billing])), ...writeErrors },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const scope = await requireOrgPermission(scopeOf(c), orgId, "billing:manage");
      const result = await startCheckout(scope, c.req.valid("json"), checkoutUrls(new URL(c.req.url).origin, orgId));
      return c.json(result.kind === "redirect" ? { url: result.url } : result.billing, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/billing/stripe/webhook",
      tags,
      summary:
        "Stripe webhook (no session, no Origin): verified by the Stripe-Signature header, each event applied once; unknown types and unknown companies answer 200 unrecorded",
      description:
        "The raw body is a Stripe event. 400 when the signature is missing, wrong or older than 300 s; 404 when no webhook secret is configured.",
      responses: {
        200: jsonContent(WebhookReceipt),
        400: errorResponses[400],
        404: errorResponses[404],
      },
    }),
    async (c) => {
      const webhookSecret = c.env.STRIPE_WEBHOOK_SECRET;
      if (!webhookSecret) throw notFound("Stripe webhook");
      // Verifying needs only the webhook secret; calls back to Stripe need the secret key too.
      const stripe = new StripeProvider({ secretKey: c.env.STRIPE_SECRET_KEY ?? "", webhookSecret });
      const event = await stripe.parseWebhook(c.req.raw);
      const outcome = await applyProviderEvent(c.var.db, c.env, event);
      return c.json({ received: true as const, outcome }, 200);
    },
  );
