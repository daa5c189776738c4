/**
 * The Organization section's tabs, each behind the permission that guards its page. Read by the
 * section layout (to show tabs) and the index route (to pick the first one), on the server.
 */
import { type Actor, can, type Permission } from "../../../worker/policy/permissions";

export type OrganizationTab = { path: string; label: string };

const TABS: readonly (OrganizationTab & { permission: Permission; topLevelOnly?: true })[] = [
  { path: "users", label: "Users", permission: "users:view" },
  { path: "settings", label: "Settings", permission: "org:settings" },
  { path: "sub-orgs", label: "Sub-organizations", permission: "suborgs:manage", topLevelOnly: true },
  { path: "billing", label: "Billing", permission: "billing:manage" },
  { path: "territories", label: "Territories", permission: "territories:assign" },
  { path: "audit-log", label: "Audit log", permission: "audit:view" },
];

export function organizationTabs(actor: Actor, org: { id: string; parentOrgId: string | null }): OrganizationTab[] {
  return TABS.filter(
    (tab) => can(actor, tab.permission, org.id) && !(tab.topLevelOnly && org.parentOrgId !== null),
  ).map(({ path, label }) => ({ path, label }));
}
