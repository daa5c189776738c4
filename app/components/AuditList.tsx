import { ROLE_LABELS, type Role } from "../../worker/policy/permissions";
import { formatDateTime } from "./datetime";

/** An audit entry as the audit service lists it. */
export type AuditEntry = {
  id: string;
  action: string;
  actorName: string | null;
  orgName: string;
  createdAt: string;
  before: unknown;
  after: unknown;
};

/** What a page needs to show one entry (summarised on the server, so before/after stay there). */
export type AuditItem = { id: string; summary: string; orgName: string; createdAt: string };

export const auditItem = (entry: AuditEntry): AuditItem => ({
  id: entry.id,
  summary: describeAudit(entry),
  orgName: entry.orgName,
  createdAt: entry.createdAt,
});

const VERBS: Record<string, string> = {
  "org.create": "created the organization",
  "org.update": "updated organization settings",
  "suborg.create": "created the sub-organization",
  "suborg.archive": "archived the sub-organization",
  "billing.plan": "changed the plan",
  "user.signup": "signed up",
  "user.invite": "invited",
  "user.update": "updated",
  "user.deactivate": "deactivated a user",
  "user.grant-parent-admin": "was made a parent org admin",
  "invitation.accept": "accepted their invitation",
  "support.create": "sent a support request",
  "auth.login": "signed in",
  "auth.logout": "signed out",
  "customer.create": "added the customer",
  "customer.update": "updated the customer",
  "customer.archive": "archived the customer",
  "location.create": "added the location",
  "location.update": "updated the location",
  "location.archive": "archived the location",
  "unit.create": "added the unit",
  "unit.update": "updated the unit",
  "unit.decommission": "decommissioned the unit",
  "unit.delete": "deleted the unit",
  "cylinder.create": "added the cylinder",
  "cylinder.update": "updated the cylinder",
  "cylinder.move": "moved the cylinder",
  "cylinder.status": "changed the status of the cylinder",
  "cylinder.delete": "deleted the cylinder",
  "transfer.create": "recorded a transfer",
  "transfer.approve": "approved a transfer",
  "transfer.reject": "rejected a transfer",
  "transfer.void": "voided a transfer",
  "leak.open": "opened a leak repair",
  "leak.report": "reported a leak",
  "leak.repair": "recorded a leak repair",
  "leak.verify-initial": "recorded an initial verification test",
  "leak.verify-follow-up": "recorded a follow-up verification test",
  "leak.retrofit-plan": "recorded a retrofit or retirement plan",
  "leak.close": "closed a leak case",
};

const field = (value: unknown, key: string): string | undefined => {
  if (!value || typeof value !== "object") return undefined;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === "string" ? found : undefined;
};

/** One line a person can read: "Olivia Owner invited Tess Tech". */
export function describeAudit(entry: AuditEntry): string {
  const actor = entry.actorName ?? "RefriTrak";
  const verb = VERBS[entry.action];
  if (!verb) return `${actor}: ${entry.action}`;
  if (entry.action === "billing.plan") {
    const plan = field(entry.after, "plan");
    return `${actor} ${verb}${plan ? ` to ${plan}` : ""}`;
  }
  if (entry.action === "user.update") {
    const name = field(entry.after, "name") ?? field(entry.before, "name") ?? "a user";
    const from = field(entry.before, "role");
    const to = field(entry.after, "role");
    if (from && to && from !== to && from in ROLE_LABELS && to in ROLE_LABELS) {
      return `${actor} changed ${name}'s role from ${ROLE_LABELS[from as Role]} to ${ROLE_LABELS[to as Role]}`;
    }
  }
  if (entry.action === "support.create") return `${actor} ${verb}: “${field(entry.after, "subject") ?? ""}”`;
  const named = /^(user\.(invite|update)|suborg\.|customer\.|location\.|unit\.|cylinder\.)/.test(entry.action);
  const name = named
    ? (field(entry.after, "name") ??
      field(entry.before, "name") ??
      field(entry.after, "tag") ??
      field(entry.before, "tag"))
    : undefined;
  return `${actor} ${verb}${name ? ` ${name}` : ""}`;
}

/** Recent audit entries, newest first; `showOrg` labels each with its org (company-wide lists). */
export function AuditList({
  entries,
  timeZone,
  showOrg = false,
}: {
  entries: readonly AuditItem[];
  timeZone: string;
  showOrg?: boolean;
}) {
  if (entries.length === 0) {
    return (
      <p className="empty-state">
        No activity recorded yet. Changes to settings, users and sub-organizations appear here.
      </p>
    );
  }
  return (
    <ul className="list-plain list-divided audit-list">
      {entries.map((entry) => (
        <li key={entry.id}>
          <span className="audit-action">{entry.summary}</span>
          <span className="audit-meta">
            <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt, timeZone)}</time>
            {showOrg ? ` · ${entry.orgName}` : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
