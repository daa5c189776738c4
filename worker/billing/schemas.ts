import { z } from "@hono/zod-openapi";
import { PLANS } from "./plans";

export const PlanInput = z.strictObject({ plan: z.enum(PLANS) }).openapi("PlanInput");
export type PlanInput = z.infer<typeof PlanInput>;

export const CheckoutInput = z.strictObject({ plan: z.enum(PLANS) }).openapi("CheckoutInput");
export type CheckoutInput = z.infer<typeof CheckoutInput>;

const Features = z.object({ subOrgs: z.boolean(), whiteLabel: z.boolean() });

export const BillingEvent = z
  .object({
    id: z.string(),
    provider: z.enum(["DIRECT", "STRIPE"]),
    type: z.string(),
    plan: z.enum(PLANS).nullable(),
    amountCents: z.number().int().nullable(),
    currency: z.string().nullable(),
    description: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("BillingEvent");

export const PlanOption = z
  .object({
    plan: z.enum(PLANS),
    label: z.string(),
    priceCents: z.number().int(),
    seatLimit: z.number().int().nullable(),
    features: Features,
    description: z.string(),
    current: z.boolean(),
    /** Why the company cannot move to this plan today (empty: it can). */
    blockers: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .openapi("PlanOption");

export const Billing = z
  .object({
    orgId: z.string().openapi({ description: "The top-level org: billing covers the whole company." }),
    orgName: z.string(),
    plan: z.enum(PLANS),
    status: z.string().openapi({ description: "Provider subscription status, or ACTIVE/FREE when billed directly." }),
    seatsUsed: z.number().int(),
    seatLimit: z.number().int().nullable(),
    features: Features,
    subOrgCount: z.number().int(),
    subOrgsAllowed: z.boolean(),
    branded: z.boolean(),
    provider: z.enum(["DIRECT", "STRIPE"]),
    providerConfigured: z.boolean(),
    plans: z.array(PlanOption),
    events: z.array(BillingEvent),
  })
  .openapi("Billing");

export const CheckoutRedirect = z.object({ url: z.string() }).openapi("CheckoutRedirect");

export const WebhookReceipt = z
  .object({
    received: z.literal(true),
    outcome: z.enum(["applied", "recorded", "duplicate", "ignored", "unknown-org"]),
  })
  .openapi("WebhookReceipt");
