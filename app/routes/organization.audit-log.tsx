import { Link } from "react-router";
import { AuditQuery, listAuditLog } from "../../worker/audit/service";
import { can } from "../../worker/policy/permissions";
import { listUsers } from "../../worker/users/service";
import { formatDateTime, timeZoneAbbreviation } from "../components/organization/format";
import { asPageError, pageOrgScope } from "../lib/server";
import type { Route } from "./+types/organization.audit-log";

const PAGE_SIZE = 50;

/** Labels for the actions the organization pages write; other actions show their code. */
const ACTION_LABELS: Record<string, string> = {
  "org.update": "Settings changed",
  "suborg.create": "Sub-organization created",
  "suborg.archive": "Sub-organization archived",
  "billing.plan": "Plan changed",
  "user.invite": "User invited",
  "user.update": "User edited",
  "user.deactivate": "User deactivated",
  "user.signup": "Signed up",
  "user.grant-parent-admin": "Made parent org admin",
  "invitation.accept": "Invitation accepted",
  "auth.login": "Signed in",
  "auth.logout": "Signed out",
  "org.create": "Organization created",
  "support.create": "Support request sent",
};

const PAST: Record<string, string> = {
  create: "created",
  update: "edited",
  archive: "archived",
  delete: "deleted",
  move: "moved",
  status: "status changed",
  decommission: "decommissioned",
  approve: "approved",
  reject: "rejected",
  void: "voided",
  open: "opened",
  report: "reported",
  repair: "repaired",
  close: "closed",
  "verify-initial": "initial verification test",
  "verify-follow-up": "follow-up verification test",
  "retrofit-plan": "retrofit plan",
};

/** "transfer.approve" → "Transfer approved", for actions without a label of their own. */
function actionLabel(action: string): string | null {
  if (ACTION_LABELS[action]) return ACTION_LABELS[action];
  const [entity, verb] = action.split(".");
  if (!entity || !verb || !PAST[verb]) return null;
  return `${entity.charAt(0).toUpperCase()}${entity.slice(1)} ${PAST[verb]}`;
}

type Json = unknown;
type Change = { key: string; before: string; after: string };

const isRecord = (value: Json): value is Record<string, Json> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const show = (value: Json) => (value === undefined ? "—" : JSON.stringify(value));

/** The leaf fields that differ between before and after, as dotted paths ("epaConfig.leakRateThresholds.OTHER"). */
function changedFields(before: Json, after: Json, path = ""): Change[] {
  if (isRecord(before) || isRecord(after)) {
    const a = isRecord(before) ? before : {};
    const b = isRecord(after) ? after : {};
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) =>
      changedFields(a[key], b[key], path ? `${path}.${key}` : key),
    );
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ key: path, before: show(before), after: show(after) }];
}

/** What the entry is about, in words: "user: Tess Tech" rather than an id alone. */
function entityName(before: Json, after: Json, known: string | undefined): string | null {
  for (const value of [after, before]) {
    if (isRecord(value) && typeof value.name === "string") return value.name;
  }
  return known ?? null;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "audit:view");
  const url = new URL(request.url);
  const parsed = AuditQuery.safeParse({ before: url.searchParams.get("before") ?? undefined });
  const before = parsed.success ? parsed.data.before : undefined;
  const [{ entries, nextBefore }, people] = await Promise.all([
    asPageError(() => listAuditLog(scope, { before, limit: PAGE_SIZE })),
    // Entries such as a deactivation record only the changed field; name the user from the list.
    can(scope.actor, "users:view", scope.org.id) ? asPageError(() => listUsers(scope, {})) : [],
  ]);
  const names = new Map<string, string>([
    ...people.map((user) => [user.id, user.name] as const),
    ...scope.orgs.map((org) => [org.id, org.name] as const),
  ]);
  const timeZone = scope.org.timeZone;
  return {
    orgId: scope.org.id,
    timeZone,
    timeZoneShort: timeZoneAbbreviation(timeZone),
    paged: before !== undefined,
    showOrgColumn: scope.org.parentOrgId === null && scope.actor.role === "PARENT_ORG_ADMIN",
    nextBefore: nextBefore ?? null,
    entries: entries.map((entry) => ({
      id: entry.id,
      createdAt: entry.createdAt,
      when: formatDateTime(entry.createdAt, timeZone, { seconds: true }) ?? entry.createdAt,
      who: entry.actorName ?? "System",
      orgName: entry.orgName,
      action: entry.action,
      actionLabel: actionLabel(entry.action),
      entityType: entry.entityType,
      entityId: entry.entityId,
      entityName: entityName(entry.before, entry.after, entry.entityId ? names.get(entry.entityId) : undefined),
      changes: entry.before !== null && entry.after !== null ? changedFields(entry.before, entry.after) : [],
      before: entry.before === null ? null : JSON.stringify(entry.before, null, 2),
      after: entry.after === null ? null : JSON.stringify(entry.after, null, 2),
    })),
  };
}

export function meta() {
  return [{ title: "Audit log · Organization · RefriTrak" }];
}

export default function AuditLogTab({ loaderData }: Route.ComponentProps) {
  const { orgId, timeZone, timeZoneShort, paged, showOrgColumn, nextBefore, entries } = loaderData;
  const self = `/o/${orgId}/organization/audit-log`;

  return (
    <section aria-labelledby="audit-heading" className="org-tab-panel">
      <div className="section-title">
        <h2 id="audit-heading">Audit log</h2>
      </div>
      <p className="field-hint">
        Every change, newest first. Times are in {timeZone.replaceAll("_", " ")} ({timeZoneShort}).
        {showOrgColumn ? " The log covers every organization of the company." : ""}
      </p>

      {entries.length === 0 ? (
        <p className="empty-state">{paged ? "No older entries." : "Nothing has been recorded yet."}</p>
      ) : (
        <div className="table-wrap">
          <table className="table org-table-stack org-audit">
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                {showOrgColumn ? <th scope="col">Organization</th> : null}
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When" className="nowrap">
                    <time dateTime={entry.createdAt}>{entry.when}</time>
                  </td>
                  <td data-label="Who">{entry.who}</td>
                  {showOrgColumn ? <td data-label="Organization">{entry.orgName}</td> : null}
                  <td data-label="Action">
                    <span>
                      {entry.actionLabel ? `${entry.actionLabel} ` : null}
                      <code className="mono org-code">{entry.action}</code>
                    </span>
                  </td>
                  <td data-label="Entity">
                    <span>
                      <span className="org-entity-type">{entry.entityType.replaceAll("_", " ")}</span>
                      {entry.entityName ?? null}
                    </span>
                  </td>
                  <td data-label="Details" className="org-cell-details">
                    {entry.before || entry.after ? (
                      <details className="org-details">
                        <summary>
                          Details
                          <span className="visually-hidden">
                            {" "}
                            of {entry.actionLabel ?? entry.action}, {entry.when}
                          </span>
                          {entry.before && entry.after ? (
                            <span className="org-details-count">
                              {" "}
                              ({entry.changes.length === 1 ? "1 change" : `${entry.changes.length} changes`})
                            </span>
                          ) : null}
                        </summary>
                        {entry.before && entry.after && entry.changes.length > 0 ? (
                          <table className="org-changes">
                            <thead>
                              <tr>
                                <th scope="col">Field</th>
                                <th scope="col">Before</th>
                                <th scope="col">After</th>
                              </tr>
                            </thead>
                            <tbody>
                              {entry.changes.map((change) => (
                                <tr key={change.key}>
                                  <th scope="row">{change.key}</th>
                                  <td>{change.before}</td>
                                  <td>{change.after}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        ) : null}
                        <div className="org-json">
                          {entry.before ? (
                            <div>
                              <p className="org-json-title">Before</p>
                              <pre>{entry.before}</pre>
                            </div>
                          ) : null}
                          {entry.after ? (
                            <div>
                              <p className="org-json-title">After</p>
                              <pre>{entry.after}</pre>
                            </div>
                          ) : null}
                        </div>
                        {entry.entityId ? <p className="field-hint">Entity id: {entry.entityId}</p> : null}
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav aria-label="Audit log pages" className="org-pager">
        {paged ? (
          <Link to={self} className="button button-secondary">
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link to={`${self}?before=${nextBefore}`} className="button button-secondary">
            Older
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
