/**
 * The plans and what each allows, in one place: prices, seat limits and features. Every rule that
 * depends on the plan (sub-orgs, white-label branding, seats, downgrades) reads it from here.
 */
import { PLANS, type Plan } from "../../db/schema";

export { PLANS, type Plan };

export type PlanFeature = "subOrgs" | "whiteLabel";

export type PlanRule = {
  label: string;
  /** Monthly price in US cents (what Stripe Checkout charges). */
  priceCents: number;
  /** Active users across the whole company; null is unlimited. */
  seatLimit: number | null;
  features: Record<PlanFeature, boolean>;
  description: string;
};

export const PLAN_RULES: Record<Plan, PlanRule> = {
  FREE: {
    label: "Free",
    priceCents: 0,
    seatLimit: 5,
    features: { subOrgs: false, whiteLabel: false },
    description: "One organization with every compliance and field-service feature.",
  },
  PRO: {
    label: "Pro",
    priceCents: 4900,
    seatLimit: 50,
    features: { subOrgs: true, whiteLabel: false },
    description: "Sub-organizations for branches, the organization switcher and the multi-org dashboard.",
  },
  ENTERPRISE: {
    label: "Enterprise",
    priceCents: 19900,
    seatLimit: null,
    features: { subOrgs: true, whiteLabel: true },
    description: "Everything in Pro, unlimited seats and white-label branding.",
  },
};

export const FEATURE_LABELS: Record<PlanFeature, string> = {
  subOrgs: "Sub-organizations",
  whiteLabel: "White-label branding",
};

export const planAllows = (plan: Plan, feature: PlanFeature) => PLAN_RULES[plan].features[feature];

/** The cheapest plans that have a feature, for error messages ("needs PRO or ENTERPRISE"). */
export const plansWith = (feature: PlanFeature) => PLANS.filter((plan) => planAllows(plan, feature));

export const isPlan = (value: unknown): value is Plan => typeof value === "string" && PLANS.includes(value as Plan);

/** What a company uses now, measured across its tree (the top-level org and its non-archived sub-orgs). */
export type CompanyUsage = {
  /** ACTIVE users across the tree. */
  activeSeats: number;
  /** Non-archived sub-orgs. */
  subOrgCount: number;
  /** Whether any org of the tree has a logo or brand colour set. */
  branded: boolean;
};

export type PlanBlocker = { code: "SUBORGS_EXIST" | "BRANDING_SET" | "SEATS_EXCEEDED"; message: string };

/**
 * Why a company could not be on `plan` as it is today (empty when it can). An upgrade never has
 * blockers; a downgrade is refused while it has any.
 */
export function planBlockers(plan: Plan, usage: CompanyUsage): PlanBlocker[] {
  const rule = PLAN_RULES[plan];
  const blockers: PlanBlocker[] = [];
  if (!rule.features.subOrgs && usage.subOrgCount > 0) {
    blockers.push({
      code: "SUBORGS_EXIST",
      message: `${rule.label} has no sub-organizations: archive the ${count(usage.subOrgCount, "sub-organization")} first.`,
    });
  }
  if (!rule.features.whiteLabel && usage.branded) {
    blockers.push({
      code: "BRANDING_SET",
      message: `${rule.label} has no white-label branding: clear the logo and brand colour in the organization settings first.`,
    });
  }
  if (rule.seatLimit !== null && usage.activeSeats > rule.seatLimit) {
    blockers.push({
      code: "SEATS_EXCEEDED",
      message: `${rule.label} allows ${rule.seatLimit} active users; the company has ${usage.activeSeats}. Deactivate ${usage.activeSeats - rule.seatLimit} first.`,
    });
  }
  return blockers;
}

/**
 * Why a company could not move from `from` to `to` today: the rules `to` would break that `from`
 * does not already break. So an upgrade is never refused (e.g. a FREE company whose brand colour
 * predates the rule may still upgrade to PRO), and a downgrade is refused only for what it breaks.
 */
export function changeBlockers(from: Plan, to: Plan, usage: CompanyUsage): PlanBlocker[] {
  if (from === to) return [];
  const already = new Set(planBlockers(from, usage).map((blocker) => blocker.code));
  return planBlockers(to, usage).filter((blocker) => !already.has(blocker.code));
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

export const formatPrice = (cents: number) =>
  cents === 0 ? "$0" : `$${(cents / 100).toFixed(cents % 100 === 0 ? 0 : 2)}`;
