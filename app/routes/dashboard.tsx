import { Link } from "react-router";
import { listAuditLog } from "../../worker/audit/service";
import { publicUser } from "../../worker/auth/service";
import { getBilling } from "../../worker/billing/service";
import { getOrgSettings } from "../../worker/orgs/service";
import type { OrgScope } from "../../worker/policy/guards";
import { can, type Permission, type Role } from "../../worker/policy/permissions";
import { listUsers } from "../../worker/users/service";
import { AuditList, auditItem } from "../components/AuditList";
import { AnalyticsDashboard } from "../components/analytics/AnalyticsDashboard";
import { dashboardAnalytics } from "../components/analytics/load.server";
import { initials } from "../components/BrandMark";
import { describeTimeZone, formatDateTime } from "../components/datetime";
import { orgOptionLabel } from "../components/OrgSwitcher";
import { PlanBadge, RoleBadge } from "../components/RoleBadge";
import { loadSalesDashboard } from "../components/sales/dashboard.server";
import { SalesDashboard as SalesOverview } from "../components/sales/SalesDashboard";
import { pageOrgScope } from "../lib/server";
import type { Route } from "./+types/dashboard";

export const meta: Route.MetaFunction = ({ matches }) => {
  const shell = matches.find((match) => match?.id === "routes/org-layout")?.loaderData as
    | { org?: { name?: string } }
    | undefined;
  return [{ title: `Dashboard · ${shell?.org?.name ?? "RefriTrak"} · RefriTrak` }];
};

const ROLE_ORDER: readonly Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];
const PLURAL: Record<Role, string> = {
  PARENT_ORG_ADMIN: "Parent org admins",
  ORG_ADMIN: "Org admins",
  MANAGER: "Managers",
  TECHNICIAN: "Technicians",
  SALES: "Sales",
};
const CERT_LABELS = { I: "Type I", II: "Type II", III: "Type III", UNIVERSAL: "Universal" } as const;
const AUDIT_LIMIT = 8;

type Person = Awaited<ReturnType<typeof listUsers>>[number];

/** Only what the dashboard shows of a colleague. */
const teamMember = (user: Person) => ({
  id: user.id,
  name: user.name,
  role: user.role,
  orgId: user.orgId,
  status: user.status,
  lastLoginAt: user.lastLoginAt,
  certificationNumber: user.certificationNumber,
  certificationType: user.certificationType,
});
type TeamMember = ReturnType<typeof teamMember>;

const countByRole = (people: readonly { role: Role }[]) =>
  ROLE_ORDER.map((role) => ({ role, count: people.filter((person) => person.role === role).length })).filter(
    (entry) => entry.count > 0,
  );

async function recentActivity(scope: OrgScope) {
  if (!can(scope.actor, "audit:view", scope.org.id)) return null;
  const { entries } = await listAuditLog(scope, { limit: AUDIT_LIMIT }, { changesOnly: true });
  return entries.map(auditItem);
}

/** The parent org's view: every org of the company, company totals, company-wide activity. */
async function parentOverview(scope: OrgScope) {
  const [people, billing, activity] = await Promise.all([
    listUsers(scope, { status: "ACTIVE" }),
    getBilling(scope),
    recentActivity(scope),
  ]);
  const orgs = scope.orgs.map((org) => {
    const members = people.filter((person) => person.orgId === org.id);
    return {
      id: org.id,
      label: orgOptionLabel(org, scope.orgs),
      isParent: org.parentOrgId === null,
      plan: org.plan,
      activeUsers: members.length,
      neverSignedIn: members.filter((person) => !person.lastLoginAt).length,
      byRole: countByRole(members),
    };
  });
  return {
    kind: "parent" as const,
    billing,
    orgs,
    companyByRole: countByRole(people),
    neverSignedIn: people.filter((person) => !person.lastLoginAt).length,
    activity,
  };
}

/** One org's admin view: its team by role, its settings, its activity. */
async function orgOverview(scope: OrgScope) {
  const canListUsers = can(scope.actor, "users:view", scope.org.id);
  const [people, settings, activity] = await Promise.all([
    canListUsers ? listUsers(scope, {}) : Promise.resolve(null),
    getOrgSettings(scope),
    recentActivity(scope),
  ]);
  const parent = scope.orgs.find((org) => org.id === scope.org.parentOrgId);
  return {
    kind: "org" as const,
    team: people?.map(teamMember) ?? null,
    settings: {
      ein: settings.ein,
      plan: settings.plan,
      timeZone: settings.timeZone,
      brandColor: settings.brandColor,
      epa: settings.epaConfig,
    },
    parent: parent ? { id: parent.id, name: parent.name } : null,
    activity,
  };
}

/** A manager's view: the technicians they schedule. */
async function managerOverview(scope: OrgScope) {
  const canListUsers = can(scope.actor, "users:view", scope.org.id);
  const technicians = canListUsers ? await listUsers(scope, { role: "TECHNICIAN", status: "ACTIVE" }) : null;
  return { kind: "manager" as const, technicians: technicians?.map(teamMember) ?? null };
}

/** Field and sales users: their own profile and org. */
function selfOverview<K extends "technician" | "sales">(scope: OrgScope, kind: K) {
  const me = publicUser(scope.user);
  const home = scope.orgs.find((org) => org.id === scope.user.orgId);
  return {
    kind,
    profile: {
      name: me.name,
      email: me.email,
      role: me.role,
      timeZone: me.timeZone,
      certificationNumber: me.certificationNumber,
      certificationType: me.certificationType,
    },
    org: { name: scope.org.name, timeZone: scope.org.timeZone },
    homeOrgName: home && home.id !== scope.org.id ? home.name : null,
  };
}

/** What the role's dashboard shows besides the analytics. */
async function roleView(scope: OrgScope, request: Request, may: (permission: Permission) => boolean) {
  const role = scope.actor.role;
  if (role === "PARENT_ORG_ADMIN" && scope.org.parentOrgId === null && may("dashboard:multi-org")) {
    return parentOverview(scope);
  }
  if (role === "PARENT_ORG_ADMIN" || role === "ORG_ADMIN") return orgOverview(scope);
  if (role === "MANAGER") return managerOverview(scope);
  if (role === "TECHNICIAN") return selfOverview(scope, "technician");
  return { ...selfOverview(scope, "sales"), sales: await loadSalesDashboard(scope, new URL(request.url)) };
}

/**
 * Each role's dashboard, from the same services the API uses, within what the role may see. The
 * analytics and the role's view are read at the same time.
 */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId);
  const may = (permission: Permission) => can(scope.actor, permission, scope.org.id);
  const [analytics, view] = await Promise.all([
    may("reports:view") ? dashboardAnalytics(scope) : null,
    roleView(scope, request, may),
  ]);
  return {
    role: scope.actor.role,
    orgName: scope.org.name,
    orgId: scope.org.id,
    viewerTimeZone: scope.user.timeZone,
    canManageUsers: may("users:manage"),
    canEditSettings: may("org:settings"),
    canViewAudit: may("audit:view"),
    canManageBilling: may("billing:manage"),
    canManageSubOrgs: may("suborgs:manage"),
    analytics,
    view,
  };
}

type LoaderData = Route.ComponentProps["loaderData"];
type ViewOf<K extends LoaderData["view"]["kind"]> = Extract<LoaderData["view"], { kind: K }>;

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  const { view } = loaderData;
  switch (view.kind) {
    case "parent":
      return <ParentDashboard data={loaderData} view={view} />;
    case "org":
      return <OrgAdminDashboard data={loaderData} view={view} />;
    case "manager":
      return <ManagerDashboard data={loaderData} view={view} />;
    case "technician":
      return <TechnicianDashboard data={loaderData} view={view} />;
    case "sales":
      return <SalesDashboard data={loaderData} view={view} />;
  }
}

function PageHeader({
  title,
  eyebrow,
  lede,
  actions,
}: {
  title: string;
  eyebrow: string;
  lede?: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <p className="eyebrow">{eyebrow}</p>
        <h1 className="page-title">{title}</h1>
        {lede ? <p className="lede">{lede}</p> : null}
      </div>
      {actions ? <div className="cluster">{actions}</div> : null}
    </div>
  );
}

function Stat({ value, label }: { value: React.ReactNode; label: string }) {
  return (
    <div className="stat">
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

function RoleCounts({ counts }: { counts: readonly { role: Role; count: number }[] }) {
  if (counts.length === 0) return <p className="muted small">No active users yet.</p>;
  return (
    <ul className="role-counts" aria-label="Active users by role">
      {counts.map(({ role, count }) => (
        <li key={role}>
          <RoleBadge role={role} suffix={`· ${count}`} />
        </li>
      ))}
    </ul>
  );
}

function ActivitySection({
  data,
  activity,
  companyWide,
}: {
  data: LoaderData;
  activity: ViewOf<"org">["activity"];
  companyWide?: boolean;
}) {
  if (!activity) return null;
  return (
    <section className="card section" aria-labelledby="activity-title">
      <div className="card-header">
        <h2 id="activity-title" className="card-title">
          {companyWide ? "Recent activity across the company" : "Recent activity"}
        </h2>
        {data.canViewAudit ? (
          <Link to={`/o/${data.orgId}/organization/audit-log`} className="small">
            Full audit log
          </Link>
        ) : null}
      </div>
      <AuditList entries={activity} timeZone={data.viewerTimeZone} showOrg={companyWide} />
    </section>
  );
}

function ParentDashboard({ data, view }: { data: LoaderData; view: ViewOf<"parent"> }) {
  const subOrgs = view.orgs.filter((org) => !org.isParent);
  return (
    <div className="page">
      <PageHeader
        eyebrow={data.orgName}
        title="Parent organization dashboard"
        lede="Every organization of your company at a glance. Open one to work in it."
        actions={
          data.canManageSubOrgs && view.billing.subOrgsAllowed ? (
            <Link className="button button-secondary" to={`/o/${data.orgId}/organization/sub-orgs`}>
              Manage sub-organizations
            </Link>
          ) : null
        }
      />
      {data.analytics ? <AnalyticsDashboard analytics={data.analytics} /> : null}
      <section className="section" aria-labelledby="totals-title">
        <h2 id="totals-title" className="visually-hidden">
          Company totals
        </h2>
        <div className="stats">
          <Stat value={view.billing.seatsUsed} label="Active users (seats)" />
          <Stat
            value={view.billing.subOrgCount}
            label={view.billing.subOrgCount === 1 ? "Sub-organization" : "Sub-organizations"}
          />
          <Stat value={<PlanBadge plan={view.billing.plan} />} label="Plan" />
          <Stat value={view.neverSignedIn} label="Never signed in" />
        </div>
        <div className="card section">
          <h3 className="card-title">Company team by role</h3>
          <RoleCounts counts={view.companyByRole} />
        </div>
      </section>

      {!view.billing.subOrgsAllowed ? (
        <div className="alert alert-info section">
          <p>
            Branches (sub-organizations) need the Pro or Enterprise plan.{" "}
            {data.canManageBilling ? <Link to={`/o/${data.orgId}/organization/billing`}>See plans</Link> : null}
          </p>
        </div>
      ) : null}

      {subOrgs.length === 0 && view.billing.subOrgsAllowed ? (
        <p className="empty-state section">
          No sub-organizations yet.{" "}
          {data.canManageSubOrgs ? (
            <Link to={`/o/${data.orgId}/organization/sub-orgs`}>Create your first branch</Link>
          ) : null}
        </p>
      ) : null}

      <ActivitySection data={data} activity={view.activity} companyWide />
    </div>
  );
}

const EPA_CATEGORY_LABELS = {
  COMFORT_COOLING: "Comfort cooling",
  COMMERCIAL_REFRIGERATION: "Commercial refrigeration",
  INDUSTRIAL_PROCESS: "Industrial process refrigeration",
  REFRIGERATED_TRANSPORT: "Refrigerated transport",
  OTHER: "Other appliances",
} as const;

function TeamByRole({ data, team }: { data: LoaderData; team: readonly TeamMember[] }) {
  const active = team.filter((person) => person.status === "ACTIVE");
  const deactivated = team.length - active.length;
  const groups = ROLE_ORDER.map((role) => ({ role, people: active.filter((person) => person.role === role) })).filter(
    (group) => group.people.length > 0,
  );
  return (
    <section className="card" aria-labelledby="team-title">
      <div className="card-header">
        <h2 id="team-title" className="card-title">
          Team by role
        </h2>
        {data.canManageUsers ? (
          <Link to={`/o/${data.orgId}/organization/users`} className="small">
            Manage users
          </Link>
        ) : null}
      </div>
      {groups.length === 0 ? <p className="empty-state">No active users in this organization yet.</p> : null}
      <div className="stack">
        {groups.map((group) => (
          <div key={group.role}>
            <h3 className="small">
              {PLURAL[group.role]} <span className="muted">({group.people.length})</span>
            </h3>
            <ul className="list-plain list-divided">
              {group.people.map((person) => (
                <li key={person.id} className="person">
                  <span className="avatar" aria-hidden="true">
                    {initials(person.name)}
                  </span>
                  <span>
                    <span className="person-name">{person.name}</span>
                    <br />
                    <span className="muted small">
                      {person.lastLoginAt
                        ? `Last login ${formatDateTime(person.lastLoginAt, data.viewerTimeZone)}`
                        : "Never signed in"}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      {deactivated > 0 ? (
        <p className="card-footer muted small">
          {deactivated} deactivated {deactivated === 1 ? "account" : "accounts"} not shown.
        </p>
      ) : null}
    </section>
  );
}

function SettingsSummary({ data, view }: { data: LoaderData; view: ViewOf<"org"> }) {
  const { settings } = view;
  const epa = settings.epa;
  return (
    <section className="card" aria-labelledby="settings-title">
      <div className="card-header">
        <h2 id="settings-title" className="card-title">
          Organization settings
        </h2>
        {data.canEditSettings ? (
          <Link to={`/o/${data.orgId}/organization/settings`} className="small">
            Edit settings
          </Link>
        ) : null}
      </div>
      <dl className="kv">
        <dt>EIN</dt>
        <dd>{settings.ein ?? <span className="muted">Not set</span>}</dd>
        <dt>Plan</dt>
        <dd>
          <PlanBadge plan={settings.plan} />
        </dd>
        <dt>Time zone</dt>
        <dd>{describeTimeZone(settings.timeZone)}</dd>
        <dt>Brand colour</dt>
        <dd>
          {settings.brandColor ? (
            <span className="cluster">
              <span
                aria-hidden="true"
                style={{
                  display: "inline-block",
                  width: "1rem",
                  height: "1rem",
                  borderRadius: "0.25rem",
                  background: settings.brandColor,
                }}
              />
              <span className="mono">{settings.brandColor}</span>
            </span>
          ) : (
            <span className="muted">Default</span>
          )}
        </dd>
        <dt>EPA leak-rate method</dt>
        <dd>{epa.calculationMethod === "ROLLING_AVERAGE" ? "Rolling average" : "Annualizing"}</dd>
        <dt>Coverage from</dt>
        <dd>{epa.coverageThresholdLb} lb full charge</dd>
        <dt>Alert at</dt>
        <dd>{epa.alertAtPercentOfThreshold}% of the threshold</dd>
      </dl>
      <h3 className="small section">Leak-rate thresholds</h3>
      <dl className="threshold-list">
        {(Object.keys(EPA_CATEGORY_LABELS) as (keyof typeof EPA_CATEGORY_LABELS)[]).map((category) => (
          <div key={category} style={{ display: "contents" }}>
            <dt>{EPA_CATEGORY_LABELS[category]}</dt>
            <dd>{epa.leakRateThresholds[category]}%</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function OrgAdminDashboard({ data, view }: { data: LoaderData; view: ViewOf<"org"> }) {
  const isParentAdmin = data.role === "PARENT_ORG_ADMIN";
  const team = view.team;
  const active = team?.filter((person) => person.status === "ACTIVE") ?? [];
  return (
    <div className="page">
      <PageHeader
        eyebrow={data.orgName}
        title={isParentAdmin ? "Parent organization dashboard" : "Organization admin dashboard"}
        lede={
          isParentAdmin && view.parent ? (
            <>
              You are viewing the branch {data.orgName}.{" "}
              <Link to={`/o/${view.parent.id}`}>Back to the {view.parent.name} company overview</Link>
            </>
          ) : (
            "Your team, your settings and what changed recently."
          )
        }
      />
      {team ? (
        <div className="stats">
          <Stat value={active.length} label="Active users" />
          <Stat value={active.filter((person) => person.role === "TECHNICIAN").length} label="Technicians" />
          <Stat value={active.filter((person) => person.role === "MANAGER").length} label="Managers" />
          <Stat value={active.filter((person) => !person.lastLoginAt).length} label="Never signed in" />
        </div>
      ) : (
        <div className="alert alert-info">
          <p>
            You reach {data.orgName} through extra access granted by your company. Its team and settings are managed by
            its own administrators.
          </p>
        </div>
      )}
      {data.analytics ? <AnalyticsDashboard analytics={data.analytics} /> : null}
      <div className="grid-2 section">
        {team ? <TeamByRole data={data} team={team} /> : null}
        <SettingsSummary data={data} view={view} />
      </div>
      <ActivitySection data={data} activity={view.activity} />
    </div>
  );
}

function ManagerDashboard({ data, view }: { data: LoaderData; view: ViewOf<"manager"> }) {
  const technicians = view.technicians;
  const uncertified = technicians?.filter((tech) => !tech.certificationNumber) ?? [];
  return (
    <div className="page">
      <PageHeader
        eyebrow={data.orgName}
        title="Manager dashboard"
        lede="The technicians you schedule, with their EPA Section 608 certification."
        actions={
          data.canManageUsers ? (
            <Link className="button button-secondary" to={`/o/${data.orgId}/organization/users`}>
              Manage technicians
            </Link>
          ) : null
        }
      />
      {data.analytics ? <AnalyticsDashboard analytics={data.analytics} /> : null}
      {technicians === null ? (
        <div className="alert alert-info">
          <p>
            You work in {data.orgName} through extra access. Its team list is kept by its own administrators; switch to
            your home organization to see your technicians.
          </p>
        </div>
      ) : (
        <>
          <div className="stats">
            <Stat value={technicians.length} label="Active technicians" />
            <Stat value={technicians.length - uncertified.length} label="With 608 certification" />
            <Stat value={uncertified.length} label="Certification missing" />
            <Stat value={technicians.filter((tech) => !tech.lastLoginAt).length} label="Never signed in" />
          </div>
          {uncertified.length > 0 ? (
            <div className="alert alert-warning section">
              <p>
                No 608 certification on file for {uncertified.map((tech) => tech.name).join(", ")}. Technicians need one
                to record refrigerant transfers.
              </p>
            </div>
          ) : null}
          <section className="section" aria-labelledby="techs-title">
            <h2 id="techs-title">Technicians</h2>
            {technicians.length === 0 ? (
              <p className="empty-state">
                No technicians in {data.orgName} yet.{" "}
                {data.canManageUsers ? (
                  <Link to={`/o/${data.orgId}/organization/users`}>Invite a technician</Link>
                ) : null}
              </p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">608 certification</th>
                      <th scope="col">Last login</th>
                    </tr>
                  </thead>
                  <tbody>
                    {technicians.map((tech) => (
                      <tr key={tech.id}>
                        <th scope="row" className="person-name">
                          {tech.name}
                        </th>
                        <td>
                          {tech.certificationNumber ? (
                            <>
                              <span className="mono">{tech.certificationNumber}</span>
                              {tech.certificationType ? (
                                <span className="muted"> · {CERT_LABELS[tech.certificationType]}</span>
                              ) : null}
                            </>
                          ) : (
                            <span className="badge badge-red">Missing</span>
                          )}
                        </td>
                        <td>
                          {tech.lastLoginAt ? (
                            formatDateTime(tech.lastLoginAt, data.viewerTimeZone)
                          ) : (
                            <span className="muted">Never signed in</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}

type SelfView = ViewOf<"technician"> | ViewOf<"sales">;

function ProfileCard({ view }: { view: SelfView }) {
  const { profile } = view;
  return (
    <section className="card card-accent" aria-labelledby="profile-title">
      <h2 id="profile-title" className="visually-hidden">
        Your profile
      </h2>
      <div className="person">
        <span className="avatar" aria-hidden="true">
          {initials(profile.name)}
        </span>
        <div>
          <p className="person-name" style={{ margin: 0, fontSize: "1.125rem" }}>
            {profile.name}
          </p>
          <p className="muted small" style={{ margin: 0 }}>
            {profile.email}
          </p>
        </div>
      </div>
      <dl className="kv section">
        <dt>Role</dt>
        <dd>
          <RoleBadge role={profile.role} />
        </dd>
        <dt>Organization</dt>
        <dd>
          {view.org.name}
          {view.homeOrgName ? <span className="muted"> (home: {view.homeOrgName})</span> : null}
        </dd>
        <dt>Your time zone</dt>
        <dd>{describeTimeZone(profile.timeZone)}</dd>
        {view.org.timeZone !== profile.timeZone ? (
          <>
            <dt>Organization time zone</dt>
            <dd>{describeTimeZone(view.org.timeZone)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function TechnicianDashboard({ data, view }: { data: LoaderData; view: ViewOf<"technician"> }) {
  const { profile } = view;
  return (
    <div className="page page-narrow">
      <PageHeader eyebrow={data.orgName} title="Technician dashboard" lede={`Hi ${profile.name.split(" ")[0]}.`} />
      <div className="stack">
        <Link className="quick-action" to={`/o/${data.orgId}/my-day`}>
          <span className="quick-action-icon" aria-hidden="true">
            ✓
          </span>
          <span>
            <strong>My day</strong>
            <span className="muted">Today's appointments: on my way, start, complete</span>
          </span>
        </Link>
        <section className="card" aria-labelledby="cert-title">
          <h2 id="cert-title" className="card-title">
            EPA Section 608 certification
          </h2>
          {profile.certificationNumber ? (
            <div className="cert section" style={{ marginTop: "0.75rem" }}>
              <span className="cert-type">
                {profile.certificationType ? CERT_LABELS[profile.certificationType] : "Type not set"}
              </span>
              <span>
                <span className="muted small">Certification number</span>
                <br />
                <span className="mono">{profile.certificationNumber}</span>
              </span>
            </div>
          ) : (
            <div className="alert alert-warning" style={{ marginTop: "0.75rem" }}>
              <p>
                No 608 certification on file. Ask your manager to add your certification number and type: it is printed
                on every refrigerant record you make.
              </p>
            </div>
          )}
        </section>
        <ProfileCard view={view} />
        <section aria-labelledby="quick-title">
          <h2 id="quick-title">Quick access</h2>
          <div className="quick-actions">
            <Link className="quick-action" to={`/o/${data.orgId}/support`}>
              <span className="quick-action-icon" aria-hidden="true">
                ?
              </span>
              <span>
                <strong>Contact support</strong>
                <span className="muted">Report a problem or ask a question</span>
              </span>
            </Link>
          </div>
        </section>
      </div>
    </div>
  );
}

function SalesDashboard({ data, view }: { data: LoaderData; view: ViewOf<"sales"> }) {
  return (
    <div className="page page-narrow">
      <PageHeader eyebrow={data.orgName} title="Sales dashboard" lede={`Hi ${view.profile.name.split(" ")[0]}.`} />
      <div className="stack">
        <div className="alert alert-info">
          <p className="alert-title">What this dashboard holds</p>
          <p>
            Cylinders marked for sale in your territories, and your leads and opportunities. Territories are assigned by
            your parent organization admin; inventory and leads appear here as they are recorded.
          </p>
        </div>
        <SalesOverview orgId={data.orgId} data={view.sales} />
        <ProfileCard view={view} />
        <div className="quick-actions">
          <Link className="quick-action" to={`/o/${data.orgId}/support`}>
            <span className="quick-action-icon" aria-hidden="true">
              ?
            </span>
            <span>
              <strong>Contact support</strong>
              <span className="muted">Report a problem or ask a question</span>
            </span>
          </Link>
        </div>
      </div>
    </div>
  );
}
