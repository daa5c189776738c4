import type { z } from "@hono/zod-openapi";
import { and, count, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { organizations, users } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { requireBrandingAllowed, requireSubOrgsAllowed } from "../billing/usage";
import { newId } from "../db";
import { conflict, notFound } from "../http/errors";
import { publish } from "../live/publish";
import type { OrgScope } from "../policy/guards";
import { planSettingsWrite } from "./inheritance";
import { getOrg, type Org, orgTree } from "./reach";
import type { OrgSettingsPatch, SubOrgInput } from "./schemas";

export const actorRef = (scope: OrgScope) => ({ id: scope.user.id, name: scope.user.name });

export function publicOrg(org: Org) {
  return {
    id: org.id,
    parentOrgId: org.parentOrgId,
    name: org.name,
    plan: org.plan,
    ein: org.ein,
    brandLogoUrl: org.brandLogoUrl,
    brandColor: org.brandColor,
    epaConfig: org.epaConfig,
    timeZone: org.timeZone,
    addressState: org.addressState,
    addressZip: org.addressZip,
    /** The inheritable settings this sub-org overrides; the others follow its parent. */
    overriddenSettings: org.overriddenSettings ?? [],
    createdAt: org.createdAt.toISOString(),
  };
}

/** Settings as the org's members see them; a sub-org shows its parent's plan, the one in force. */
export async function getOrgSettings(scope: OrgScope) {
  const plan = scope.orgs.find((org) => org.id === scope.org.id)?.plan ?? scope.org.plan;
  return { ...publicOrg(scope.org), plan };
}

export async function updateOrgSettings(scope: OrgScope, input: z.infer<typeof OrgSettingsPatch>) {
  const { db, org } = scope;
  await requireBrandingAllowed(db, org, input);
  const { inherit, ...patch } = input;
  // A sub-org's new values override its parent's; a top-level org's copy down to its sub-orgs.
  const { changes, copyDown, followers } = await planSettingsWrite(scope, patch, inherit ?? []);
  if (Object.keys(changes).length === 0) return getOrgSettings(scope);
  const after = { ...org, ...changes };
  await db.batch([
    db.update(organizations).set(changes).where(eq(organizations.id, org.id)),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "org.update",
      entityType: "organization",
      entityId: org.id,
      before: publicOrg(org),
      after: publicOrg(after),
    }),
    ...copyDown,
  ]);
  await publish(scope.env, org, { entity: "org", action: "updated", id: org.id, orgId: org.id });
  await Promise.all(
    followers.map((sub) => publish(scope.env, sub, { entity: "org", action: "updated", id: sub.id, orgId: sub.id })),
  );
  return getOrgSettings({ ...scope, org: after });
}

const isTopLevel = (org: Org) => org.parentOrgId === null;

export async function listSubOrgs(scope: OrgScope) {
  if (!isTopLevel(scope.org)) return [];
  const tree = await orgTree(scope.db, scope.org.id);
  const subOrgs = tree.filter((org) => org.parentOrgId === scope.org.id);
  const seats = await activeUserCounts(
    scope,
    subOrgs.map((org) => org.id),
  );
  return subOrgs.map((org) => ({ ...publicOrg(org), plan: scope.org.plan, activeUsers: seats.get(org.id) ?? 0 }));
}

/** Archived sub-orgs, newest first: nobody reaches them, their records stay in the company's reports. */
export async function listArchivedSubOrgs(scope: OrgScope) {
  if (!isTopLevel(scope.org)) return [];
  const rows = await scope.db
    .select({ id: organizations.id, name: organizations.name, archivedAt: organizations.archivedAt })
    .from(organizations)
    .where(and(eq(organizations.parentOrgId, scope.org.id), isNotNull(organizations.archivedAt)))
    .orderBy(desc(organizations.archivedAt))
    .all();
  return rows.map((row) => ({ id: row.id, name: row.name, archivedAt: row.archivedAt?.toISOString() ?? "" }));
}

async function activeUserCounts(scope: OrgScope, orgIds: string[]) {
  if (orgIds.length === 0) return new Map<string, number>();
  const rows = await scope.db
    .select({ orgId: users.orgId, n: count() })
    .from(users)
    .where(and(inArray(users.orgId, orgIds), eq(users.status, "ACTIVE")))
    .groupBy(users.orgId)
    .all();
  return new Map(rows.map((row) => [row.orgId, row.n]));
}

/** Sub-orgs live only directly under a top-level PRO or ENTERPRISE org. */
export async function createSubOrg(scope: OrgScope, input: z.infer<typeof SubOrgInput>) {
  const { db, org: parent } = scope;
  if (!isTopLevel(parent)) {
    throw conflict("Sub-organizations can only be created under the top-level organization.", "NOT_TOP_LEVEL");
  }
  requireSubOrgsAllowed(parent.plan);
  const org: Org = {
    id: newId(),
    parentOrgId: parent.id,
    name: input.name,
    plan: parent.plan,
    ein: input.ein ?? null,
    brandLogoUrl: parent.brandLogoUrl,
    brandColor: parent.brandColor,
    epaConfig: parent.epaConfig,
    timeZone: input.timeZone ?? parent.timeZone,
    addressState: null,
    addressZip: null,
    overriddenSettings: input.timeZone && input.timeZone !== parent.timeZone ? ["timeZone"] : [],
    billingCustomerId: null,
    billingSubscriptionId: null,
    subscriptionStatus: null,
    archivedAt: null,
    createdAt: new Date(),
  };
  await db.batch([
    db.insert(organizations).values(org),
    auditEntry(db, {
      orgId: parent.id,
      actor: actorRef(scope),
      action: "suborg.create",
      entityType: "organization",
      entityId: org.id,
      after: publicOrg(org),
    }),
  ]);
  await publish(scope.env, parent, { entity: "org", action: "created", id: org.id, orgId: parent.id });
  return { ...publicOrg(org), activeUsers: 0 };
}

/** Deleting a sub-org archives it: nobody reaches it any more, its records are kept. */
export async function archiveSubOrg(scope: OrgScope, subOrgId: string) {
  const { db } = scope;
  const sub = await getOrg(db, subOrgId);
  if (!sub || sub.parentOrgId !== scope.org.id || sub.archivedAt) throw notFound("Sub-organization");
  const archivedAt = new Date();
  await db.batch([
    db.update(organizations).set({ archivedAt }).where(eq(organizations.id, sub.id)),
    auditEntry(db, {
      orgId: scope.org.id,
      actor: actorRef(scope),
      action: "suborg.archive",
      entityType: "organization",
      entityId: sub.id,
      before: publicOrg(sub),
      after: { ...publicOrg(sub), archivedAt: archivedAt.toISOString() },
    }),
  ]);
  await publish(scope.env, scope.org, { entity: "org", action: "archived", id: sub.id, orgId: scope.org.id });
}
