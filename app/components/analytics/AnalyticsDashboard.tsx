/**
 * The dashboard's analytics (issue 5): for a parent org admin at the top-level org every org of
 * the company side by side (each tile opens that org) with the company total and charts; for an
 * org admin the same for their org; for a manager the operational view (today's load per
 * technician, pending approvals, overdue repairs). Numbers are always written out as text; the
 * charts (server-drawn SVG) repeat them as pictures.
 */
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { JobStatus } from "../../../db/schema";
import type { Figures, OrgFigures } from "../../../worker/analytics/schemas";
import { formatDateTime } from "../datetime";
import { ServerChart } from "../ServerChart";
import type { ChartPair } from "./charts.server";
import type { DashboardAnalytics } from "./load.server";
import "./analytics.css";

const JOB_STATUSES: readonly JobStatus[] = ["PENDING", "SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELED"];
const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  PENDING: "Pending",
  SCHEDULED: "Scheduled",
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
};
// Same colours as the server-drawn charts (charts.server.tsx), for the HTML legends.
const STATUS_COLORS: Record<JobStatus, string> = {
  PENDING: "#94a3b8",
  SCHEDULED: "#2563eb",
  IN_PROGRESS: "#d97706",
  COMPLETED: "#0f766e",
  CANCELED: "#e2e8f0",
};
const FLOW_COLORS = { charged: "#0f766e", recovered: "#7c3aed" };
/** A full day on the schedule board, for the load bars. */
const FULL_DAY_HOURS = 8;

const lbFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const tonnesFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const lb = (value: number) => `${lbFormat.format(value)} lb`;
const tonnes = (value: number) => `${tonnesFormat.format(value)} t CO2e`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function AnalyticsDashboard({ analytics }: { analytics: DashboardAnalytics }) {
  switch (analytics.mode) {
    case "company":
      return <CompanyView analytics={analytics} />;
    case "org":
      return <OrgView analytics={analytics} />;
    case "operational":
      return <OperationalView analytics={analytics} />;
  }
}

function AsOf({ analytics }: { analytics: DashboardAnalytics }) {
  return (
    <p className="muted small an-asof" data-testid="analytics-as-of">
      Figures as of {formatDateTime(analytics.generatedAt, analytics.viewerTimeZone)}; they update live as work is
      recorded.
    </p>
  );
}

function Stat({
  value,
  label,
  detail,
  tone,
  to,
}: {
  value: React.ReactNode;
  label: string;
  detail?: string;
  tone?: "danger" | "warning";
  to?: string;
}) {
  const body = (
    <>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
      {detail ? <span className="an-stat-detail">{detail}</span> : null}
    </>
  );
  const className = `stat${tone ? ` an-stat-${tone}` : ""}`;
  return to ? (
    <Link to={to} className={`${className} an-stat-link`}>
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}

/** The headline figures of one org or of the company. */
function Totals({ figures, analytics, title }: { figures: Figures; analytics: DashboardAnalytics; title: string }) {
  const base = `/o/${analytics.orgId}`;
  const { links } = analytics;
  return (
    <section className="section" aria-labelledby="an-totals-title">
      <h2 id="an-totals-title">{title}</h2>
      <div className="stats an-stats">
        <Stat value={figures.jobs.open} label="Open jobs" detail={`${figures.jobs.total} in all`} />
        <Stat value={figures.appointmentsToday} label="Appointments today" />
        <Stat
          value={lb(figures.refrigerant.chargedLb)}
          label="Charged this month"
          detail={tonnes(figures.refrigerant.chargedCo2eTonnes)}
        />
        <Stat
          value={lb(figures.refrigerant.recoveredLb)}
          label="Recovered this month"
          detail={tonnes(figures.refrigerant.recoveredCo2eTonnes)}
        />
        <Stat
          value={figures.leaks.overdueRepairs}
          label="Overdue leak repairs"
          detail={`${figures.leaks.openRepairs} open`}
          tone={figures.leaks.overdueRepairs > 0 ? "danger" : undefined}
          to={links.leaks && analytics.mode !== "company" ? `${base}/leaks?overdue=true` : undefined}
        />
        <Stat
          value={figures.leaks.unitsOverThreshold}
          label="Units over threshold"
          tone={figures.leaks.unitsOverThreshold > 0 ? "danger" : undefined}
          to={links.compliance ? `${base}/compliance` : undefined}
        />
        <Stat
          value={figures.leaks.chronicLeakers}
          label="Chronic leakers"
          detail={analytics.chronicLeakerYears.join("–")}
          tone={figures.leaks.chronicLeakers > 0 ? "warning" : undefined}
        />
        <Stat value={figures.cylinders.onHand} label="Cylinders on hand" detail={lb(figures.cylinders.lb)} />
        <Stat
          value={figures.pendingApprovals}
          label="Pending approvals"
          tone={figures.pendingApprovals > 0 ? "warning" : undefined}
          to={links.approvals && analytics.mode !== "company" ? `${base}/transfers?status=PENDING` : undefined}
        />
      </div>
    </section>
  );
}

function Chart({
  id,
  title,
  chart,
  summary,
  legend,
  empty,
}: {
  id: string;
  title: string;
  chart: ChartPair;
  summary: string;
  legend: { label: string; color: string }[];
  empty: string;
}) {
  return (
    <section className="card an-chart" aria-labelledby={id}>
      <h3 id={id} className="card-title">
        {title}
      </h3>
      {chart ? (
        <figure className="an-figure">
          <ServerChart chart={chart} summary={summary} classPrefix="an-chart" />
          <figcaption>
            <ul className="an-legend">
              {legend.map((item) => (
                <li key={item.label}>
                  <span className="an-swatch" style={{ background: item.color }} aria-hidden="true" />
                  {item.label}
                </li>
              ))}
            </ul>
          </figcaption>
        </figure>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}

const statusLegend = JOB_STATUSES.map((status) => ({ label: JOB_STATUS_LABELS[status], color: STATUS_COLORS[status] }));
const flowLegend = [
  { label: "Charged", color: FLOW_COLORS.charged },
  { label: "Recovered", color: FLOW_COLORS.recovered },
];

function jobsSummary(orgs: OrgFigures[]) {
  return `Jobs by status: ${orgs
    .map(
      (org) =>
        `${org.name}: ${JOB_STATUSES.map((status) => `${org.jobs.byStatus[status]} ${JOB_STATUS_LABELS[status].toLowerCase()}`).join(", ")}`,
    )
    .join("; ")}.`;
}

function Charts({ analytics }: { analytics: DashboardAnalytics }) {
  const { charts, total, orgs } = analytics;
  const several = orgs.length > 1;
  return (
    <section className="section" aria-labelledby="an-charts-title">
      <h2 id="an-charts-title">Charts</h2>
      <div className="an-charts">
        <Chart
          id="an-chart-jobs"
          title={several ? "Jobs by status, per organization" : "Jobs by status"}
          chart={charts.jobs}
          summary={jobsSummary(orgs)}
          legend={statusLegend}
          empty="No jobs yet."
        />
        <Chart
          id="an-chart-refrigerant"
          title="Refrigerant this month, by refrigerant (lb)"
          chart={charts.refrigerant}
          summary={`Refrigerant this month: ${total.refrigerant.byRefrigerant
            .map((row) => `${row.refrigerant} ${lb(row.chargedLb)} charged, ${lb(row.recoveredLb)} recovered`)
            .join("; ")}.`}
          legend={flowLegend}
          empty="No approved charge or recovery this month."
        />
        <Chart
          id="an-chart-co2e"
          title={several ? "CO2e this month, per organization (tonnes)" : "CO2e this month (tonnes)"}
          chart={charts.co2e}
          summary={`CO2e this month: ${orgs
            .map(
              (org) =>
                `${org.name} ${tonnes(org.refrigerant.chargedCo2eTonnes)} charged, ${tonnes(org.refrigerant.recoveredCo2eTonnes)} recovered`,
            )
            .join("; ")}.`}
          legend={flowLegend}
          empty="No approved charge or recovery this month."
        />
      </div>
    </section>
  );
}

/** The org's figures as a list, in a tile. */
function TileFigures({ org }: { org: OrgFigures }) {
  return (
    <dl className="an-figures">
      <div>
        <dt>Open jobs</dt>
        <dd>{org.jobs.open}</dd>
      </div>
      <div>
        <dt>Appointments today</dt>
        <dd>{org.appointmentsToday}</dd>
      </div>
      <div>
        <dt>Charged this month</dt>
        <dd>
          {lb(org.refrigerant.chargedLb)}
          <span className="an-sub">{tonnes(org.refrigerant.chargedCo2eTonnes)}</span>
        </dd>
      </div>
      <div>
        <dt>Recovered this month</dt>
        <dd>
          {lb(org.refrigerant.recoveredLb)}
          <span className="an-sub">{tonnes(org.refrigerant.recoveredCo2eTonnes)}</span>
        </dd>
      </div>
      <div className={org.leaks.overdueRepairs > 0 ? "an-danger" : undefined}>
        <dt>Leak repairs</dt>
        <dd>
          {org.leaks.openRepairs} open
          <span className="an-sub">{org.leaks.overdueRepairs} overdue</span>
        </dd>
      </div>
      <div className={org.leaks.unitsOverThreshold > 0 ? "an-danger" : undefined}>
        <dt>Units over threshold</dt>
        <dd>{org.leaks.unitsOverThreshold}</dd>
      </div>
      <div>
        <dt>Chronic leakers</dt>
        <dd>{org.leaks.chronicLeakers}</dd>
      </div>
      <div>
        <dt>Cylinders on hand</dt>
        <dd>
          {org.cylinders.onHand}
          <span className="an-sub">{lb(org.cylinders.lb)}</span>
        </dd>
      </div>
      <div className={org.pendingApprovals > 0 ? "an-warning" : undefined}>
        <dt>Pending approvals</dt>
        <dd>{org.pendingApprovals}</dd>
      </div>
    </dl>
  );
}

/** A thin bar of the org's jobs by status (the numbers are in the chart summary and the tile). */
function StatusStrip({ org }: { org: OrgFigures }) {
  if (org.jobs.total === 0) return <p className="muted small an-strip-empty">No jobs yet</p>;
  return (
    <div className="an-strip" aria-hidden="true">
      {JOB_STATUSES.filter((status) => org.jobs.byStatus[status] > 0).map((status) => (
        <span
          key={status}
          title={`${JOB_STATUS_LABELS[status]}: ${org.jobs.byStatus[status]}`}
          style={{ flexGrow: org.jobs.byStatus[status], background: STATUS_COLORS[status] }}
        />
      ))}
    </div>
  );
}

function CompanyView({ analytics }: { analytics: DashboardAnalytics }) {
  return (
    <div className="an">
      <Totals figures={analytics.total} analytics={analytics} title="Across the company" />
      <section className="section" aria-labelledby="an-orgs-title">
        <div className="section-title">
          <h2 id="an-orgs-title">Organizations side by side</h2>
          <span className="muted small">{plural(analytics.orgs.length, "organization")}</span>
        </div>
        <ul className="list-plain an-tiles">
          {analytics.orgs.map((org) => (
            <li key={org.orgId} className={`card an-tile${org.orgId === analytics.orgId ? " card-current" : ""}`}>
              <div className="card-header">
                <h3 className="card-title">
                  {org.orgId === analytics.orgId ? (
                    org.name
                  ) : (
                    <Link to={`/o/${org.orgId}`} className="an-tile-link" aria-label={`Open ${org.name}`}>
                      {org.name}
                    </Link>
                  )}
                </h3>
                {org.isParent ? <span className="badge badge-teal">Parent</span> : null}
              </div>
              <StatusStrip org={org} />
              <TileFigures org={org} />
              <p className="muted small an-tile-foot">
                {org.orgId === analytics.orgId
                  ? "You are viewing this organization"
                  : `${plural(org.activeUsers, "active user")} · open →`}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <Charts analytics={analytics} />
      <AsOf analytics={analytics} />
    </div>
  );
}

function Workload({ analytics, title }: { analytics: DashboardAnalytics; title: string }) {
  const rows = analytics.workload;
  const busiest = Math.max(FULL_DAY_HOURS, ...rows.map((row) => row.hours));
  return (
    <section className="card section" aria-labelledby="an-workload-title">
      <div className="card-header">
        <h2 id="an-workload-title" className="card-title">
          {title}
        </h2>
        {analytics.links.schedule ? (
          <Link to={`/o/${analytics.orgId}/schedule`} className="small">
            Open the schedule board
          </Link>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p className="empty-state">No technicians in this organization yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table an-workload">
            <caption className="visually-hidden">Today's appointments and hours per technician</caption>
            <thead>
              <tr>
                <th scope="col">Technician</th>
                <th scope="col" className="num">
                  Appointments
                </th>
                <th scope="col" className="num">
                  Hours
                </th>
                <th scope="col">
                  <span className="visually-hidden">Load</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.orgId}:${row.userId}`}>
                  <th scope="row">{row.name}</th>
                  <td className="num">{row.appointments}</td>
                  <td className="num">{lbFormat.format(row.hours)} h</td>
                  <td className="an-load-cell">
                    <span className="an-load" aria-hidden="true">
                      <span
                        className={row.hours > FULL_DAY_HOURS ? "an-load-over" : undefined}
                        style={{ width: `${Math.min(100, (row.hours / busiest) * 100)}%` }}
                      />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A titled card with a table (first column the row's name, the others figures), or a line when empty. */
function TableCard({
  id,
  title,
  columns: [first, ...figures],
  rowCount,
  emptyText,
  children,
}: {
  id: string;
  title: string;
  columns: [string, ...string[]];
  rowCount: number;
  emptyText: string;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card-title">
        {title}
      </h2>
      {rowCount === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{first}</th>
                {figures.map((label) => (
                  <th key={label} scope="col" className="num">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RefrigerantTable({ figures }: { figures: Figures }) {
  const rows = figures.refrigerant.byRefrigerant;
  return (
    <TableCard
      id="an-refrigerant-title"
      title="Refrigerant this month"
      columns={["Refrigerant", "Charged", "Recovered"]}
      rowCount={rows.length}
      emptyText="No approved charge or recovery this month."
    >
      {rows.map((row) => (
        <tr key={row.refrigerant}>
          <th scope="row">
            {row.refrigerant}
            {row.gwp !== null ? <span className="an-sub">GWP {row.gwp}</span> : null}
          </th>
          <td className="num">
            {lb(row.chargedLb)}
            <span className="an-sub">{tonnes(row.chargedCo2eTonnes)}</span>
          </td>
          <td className="num">
            {lb(row.recoveredLb)}
            <span className="an-sub">{tonnes(row.recoveredCo2eTonnes)}</span>
          </td>
        </tr>
      ))}
    </TableCard>
  );
}

function CylinderTable({ figures }: { figures: Figures }) {
  const rows = figures.cylinders.byRefrigerant;
  return (
    <TableCard
      id="an-cylinders-title"
      title="Cylinders on hand"
      columns={["Refrigerant", "Cylinders", "Contents"]}
      rowCount={rows.length}
      emptyText="No cylinders on hand."
    >
      {rows.map((row) => (
        <tr key={row.refrigerant}>
          <th scope="row">{row.refrigerant}</th>
          <td className="num">{row.count}</td>
          <td className="num">{lb(row.lb)}</td>
        </tr>
      ))}
    </TableCard>
  );
}

function OrgView({ analytics }: { analytics: DashboardAnalytics }) {
  return (
    <div className="an">
      <Totals figures={analytics.total} analytics={analytics} title="This organization at a glance" />
      <Charts analytics={analytics} />
      <div className="grid-2 section">
        <RefrigerantTable figures={analytics.total} />
        <CylinderTable figures={analytics.total} />
      </div>
      <Workload analytics={analytics} title="Today's workload" />
      <AsOf analytics={analytics} />
    </div>
  );
}

/** The manager's view: who works how much today, and what waits for them. */
function OperationalView({ analytics }: { analytics: DashboardAnalytics }) {
  const figures = analytics.total;
  const base = `/o/${analytics.orgId}`;
  const working = analytics.workload.filter((row) => row.appointments > 0).length;
  return (
    <div className="an">
      <section aria-labelledby="an-ops-title">
        <h2 id="an-ops-title" className="visually-hidden">
          Today
        </h2>
        <div className="stats an-stats">
          <Stat
            value={figures.appointmentsToday}
            label="Appointments today"
            to={analytics.links.schedule ? `${base}/schedule` : undefined}
          />
          <Stat value={working} label="Technicians at work today" detail={`of ${analytics.workload.length}`} />
          <Stat
            value={figures.pendingApprovals}
            label="Pending approvals"
            tone={figures.pendingApprovals > 0 ? "warning" : undefined}
            to={analytics.links.approvals ? `${base}/transfers?status=PENDING` : undefined}
          />
          <Stat
            value={figures.leaks.overdueRepairs}
            label="Overdue leak repairs"
            detail={`${figures.leaks.openRepairs} open`}
            tone={figures.leaks.overdueRepairs > 0 ? "danger" : undefined}
            to={analytics.links.leaks ? `${base}/leaks?overdue=true` : undefined}
          />
          <Stat value={figures.jobs.open} label="Open jobs" detail={`${figures.jobs.byStatus.PENDING} pending`} />
        </div>
      </section>
      <Workload analytics={analytics} title="Today's workload per technician" />
      <AsOf analytics={analytics} />
    </div>
  );
}
