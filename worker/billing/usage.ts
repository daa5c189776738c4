/**
 * The plan rules applied where they bite: creating a sub-org, setting white-label branding, adding
 * a user. Each reads the company's plan (the top-level org's) and its usage across the tree.
 */
import { and, count, eq, inArray } from "drizzle-orm";
import { users } from "../../db/schema";
import type { Db } from "../db";
import { HttpError, notFound } from "../http/errors";
import { getOrg, type Org, orgTree, rootIdOf } from "../orgs/reach";
import { type CompanyUsage, PLAN_RULES, type Plan, planAllows, plansWith } from "./plans";

/** The top-level org of `org`'s tree: the one that holds the plan and the subscription. */
export async function companyOf(db: Db, org: Pick<Org, "id" | "parentOrgId">): Promise<Org> {
  const root = await getOrg(db, rootIdOf(org));
  if (!root) throw notFound("Organization");
  return root;
}

/** Seats, sub-orgs and branding across the company rooted at `root`. */
export async function companyUsage(db: Db, root: Org): Promise<CompanyUsage> {
  const tree = await orgTree(db, root.id);
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(
      and(
        inArray(
          users.orgId,
          tree.map((org) => org.id),
        ),
        eq(users.status, "ACTIVE"),
      ),
    )
    .all();
  return {
    activeSeats: row?.n ?? 0,
    subOrgCount: tree.filter((org) => org.parentOrgId === root.id).length,
    branded: tree.some((org) => org.brandLogoUrl !== null || org.brandColor !== null),
  };
}

const planNames = (feature: "subOrgs" | "whiteLabel") => plansWith(feature).join(" or ");

/** Sub-orgs exist only under a plan with the subOrgs feature: 403 PLAN_REQUIRED otherwise. */
export function requireSubOrgsAllowed(plan: Plan) {
  if (!planAllows(plan, "subOrgs")) {
    throw new HttpError(403, "PLAN_REQUIRED", `Sub-organizations need the ${planNames("subOrgs")} plan.`);
  }
}

/**
 * White-label branding (logo, brand colour) is set only on a plan with the whiteLabel feature:
 * 403 PLAN_REQUIRED otherwise. Clearing it, or saving the value already stored, is always allowed.
 */
export async function requireBrandingAllowed(
  db: Db,
  org: Org,
  input: { brandLogoUrl?: string | null; brandColor?: string | null },
) {
  const changed = (["brandLogoUrl", "brandColor"] as const).filter(
    (key) => input[key] !== undefined && input[key] !== null && input[key] !== org[key],
  );
  if (changed.length === 0) return;
  const root = await companyOf(db, org);
  if (planAllows(root.plan, "whiteLabel")) return;
  const message = `White-label branding needs the ${planNames("whiteLabel")} plan.`;
  throw new HttpError(403, "PLAN_REQUIRED", message, Object.fromEntries(changed.map((key) => [key, [message]])));
}

/** Adding a user to any org of the company takes a seat: 409 SEAT_LIMIT when none is left. */
export async function requireSeatAvailable(db: Db, org: Org) {
  const root = await companyOf(db, org);
  const limit = PLAN_RULES[root.plan].seatLimit;
  if (limit === null) return;
  const { activeSeats } = await companyUsage(db, root);
  if (activeSeats >= limit) {
    throw new HttpError(
      409,
      "SEAT_LIMIT",
      `The ${PLAN_RULES[root.plan].label} plan allows ${limit} active users and all are taken. Deactivate a user or upgrade the plan.`,
    );
  }
}
