/**
 * Settings a sub-org inherits from its parent unless it overrides them (INHERITABLE_SETTINGS: EPA
 * config, time zone, brand colour, logo). `organizations.overriddenSettings` lists the keys a
 * sub-org overrides; every other key holds a copy of the parent's value, kept in step: a change
 * of the parent's copies down to every (non-archived) sub-org not overriding it, in the same batch
 * as the parent's own update.
 *
 * - A sub-org given a value different from the one it has now overrides that setting.
 * - "Use parent's" (`inherit: [key]`) puts the parent's value back and drops the override.
 */
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { INHERITABLE_SETTINGS, organizations } from "../../db/schema";
import { auditEntry } from "../audit/log";
import type { Db } from "../db";
import { badRequest, notFound } from "../http/errors";
import type { OrgScope } from "../policy/guards";
import { getOrg, type Org } from "./reach";

export type InheritableSetting = (typeof INHERITABLE_SETTINGS)[number];
export const INHERITABLE_SETTING_LABELS: Record<InheritableSetting, string> = {
  epaConfig: "EPA compliance",
  timeZone: "Time zone",
  brandColor: "Brand colour",
  brandLogoUrl: "Logo",
};

const isInheritable = (key: string): key is InheritableSetting =>
  (INHERITABLE_SETTINGS as readonly string[]).includes(key);

/** Key order does not make two EPA configs different. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, canonical(inner)]),
    );
  }
  return value ?? null;
}
export const sameSetting = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** How each inheritable setting of an org stands: its own, inherited from its parent, or overridden. */
export type SettingSource = { key: InheritableSetting; label: string; source: "OWN" | "INHERITED" | "OVERRIDDEN" };

export async function inheritanceOf(db: Db, org: Org) {
  const parent = org.parentOrgId ? await getOrg(db, org.parentOrgId) : null;
  const overridden = new Set(org.overriddenSettings ?? []);
  return {
    parent: parent ? { id: parent.id, name: parent.name } : null,
    settings: INHERITABLE_SETTINGS.map(
      (key): SettingSource => ({
        key,
        label: INHERITABLE_SETTING_LABELS[key],
        source: !parent ? "OWN" : overridden.has(key) ? "OVERRIDDEN" : "INHERITED",
      }),
    ),
  };
}

type Changes = Record<string, unknown>;

/**
 * The write a settings patch makes on `org`, with what inheritance adds: for a sub-org the
 * parent's values of the keys reset with `inherit` and the new list of overrides; for a top-level
 * org the statements (and audit entries) that copy its changed inheritable settings down.
 * Refuses contradictory input (400) before anything is written.
 */
export async function planSettingsWrite(
  scope: OrgScope,
  patch: Changes,
  inherit: readonly InheritableSetting[],
): Promise<{ changes: Changes; copyDown: BatchItem<"sqlite">[]; followers: Org[] }> {
  const { db, org } = scope;
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const resets = [...new Set(inherit)];

  if (org.parentOrgId === null) {
    if (resets.length > 0) {
      throw badRequest("A top-level organization has no parent to inherit from.", {
        inherit: ["Only a sub-organization inherits settings."],
      });
    }
    const changedKeys = Object.keys(given).filter(
      (key): key is InheritableSetting => isInheritable(key) && !sameSetting(given[key], org[key]),
    );
    if (changedKeys.length === 0) return { changes: given, copyDown: [], followers: [] };
    return { changes: given, ...(await copyDownStatements(scope, org, changedKeys, given)) };
  }

  const both = resets.filter((key) => given[key] !== undefined);
  if (both.length > 0) {
    throw badRequest("A setting cannot be both set and reset to the parent's.", {
      inherit: [`Set and reset at once: ${both.join(", ")}.`],
    });
  }
  const overridden = new Set(org.overriddenSettings ?? []);
  const changes: Changes = { ...given };
  for (const key of Object.keys(given)) {
    if (isInheritable(key) && !sameSetting(given[key], org[key])) overridden.add(key);
  }
  if (resets.length > 0) {
    const parent = await getOrg(db, org.parentOrgId);
    if (!parent) throw notFound("Organization");
    for (const key of resets) {
      overridden.delete(key);
      if (!sameSetting(parent[key], org[key])) changes[key] = parent[key];
    }
  }
  const list = INHERITABLE_SETTINGS.filter((key) => overridden.has(key));
  if (!sameSetting(list, org.overriddenSettings ?? [])) changes.overriddenSettings = list;
  return { changes, copyDown: [], followers: [] };
}

/** SQL: the sub-org does not override `key`. */
const follows = (key: InheritableSetting): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM json_each(${organizations.overriddenSettings}) WHERE value = ${key})`;

/**
 * One guarded UPDATE per changed key (sub-orgs of `parent`, not archived, not overriding it) and
 * an audit entry in each sub-org that follows at least one of them.
 */
async function copyDownStatements(scope: OrgScope, parent: Org, keys: InheritableSetting[], values: Changes) {
  const { db } = scope;
  const subOrgs = await db
    .select()
    .from(organizations)
    .where(and(eq(organizations.parentOrgId, parent.id), isNull(organizations.archivedAt)))
    .all();
  const statements: BatchItem<"sqlite">[] = keys.map((key) =>
    db
      .update(organizations)
      .set({ [key]: values[key] })
      .where(and(eq(organizations.parentOrgId, parent.id), isNull(organizations.archivedAt), follows(key))),
  );
  const followers: Org[] = [];
  for (const sub of subOrgs) {
    const overridden = new Set(sub.overriddenSettings ?? []);
    const copied = keys.filter((key) => !overridden.has(key) && !sameSetting(sub[key], values[key]));
    if (copied.length === 0) continue;
    const after = { ...sub, ...Object.fromEntries(copied.map((key) => [key, values[key]])) } as Org;
    followers.push(after);
    statements.push(
      auditEntry(db, {
        orgId: sub.id,
        actor: { id: scope.user.id, name: scope.user.name },
        action: "org.update",
        entityType: "organization",
        entityId: sub.id,
        before: { ...Object.fromEntries(copied.map((key) => [key, sub[key]])), inheritedFrom: parent.id },
        after: { ...Object.fromEntries(copied.map((key) => [key, values[key]])), inheritedFrom: parent.id },
      }),
    );
  }
  return { copyDown: statements, followers };
}
