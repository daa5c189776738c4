import { Link } from "react-router";
import { complianceSummary, type ReportLocation } from "../../worker/reports/service";
import { dueIn, formatDay, formatDueDay, formatPct } from "../components/compliance/format";
import { asPageError, pageOrgScope } from "../lib/server";
import "../components/compliance/compliance.css";
import type { Route } from "./+types/compliance";

const where = (location: ReportLocation | null) =>
  location ? [location.customerName, location.name].filter(Boolean).join(" · ") : "";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "reports:view");
  const now = new Date();
  const summary = await asPageError(() => complianceSummary(scope, now));
  const tz = scope.org.timeZone;
  const unitRate = (item: (typeof summary.alerts)[number]) => ({
    key: `${item.unit.id}:${item.leakRate.id}`,
    orgId: item.orgId,
    orgName: item.orgName,
    unitId: item.unit.id,
    unitName: item.unit.name,
    where: where(item.location),
    refrigerant: item.unit.refrigerant,
    percent: formatPct(item.leakRate.percent),
    threshold: formatPct(item.leakRate.threshold),
    alertLevel: formatPct(item.leakRate.alertLevel),
    method: item.leakRate.methodLabel,
    on: formatDay(item.leakRate.performedAt, tz),
    reason: item.leakStatus.reason,
    overdue: item.leakStatus.level === "REPAIR_OVERDUE",
    covered: item.coverage.covered,
    coverageReason: item.coverage.reason,
  });
  return {
    orgId: scope.org.id,
    orgName: scope.org.name,
    aggregated: summary.aggregated,
    orgCount: summary.orgs.length,
    counts: summary.counts,
    years: summary.years,
    repairs: summary.openRepairs.map((repair) => ({
      id: repair.id,
      orgId: repair.orgId,
      orgName: repair.orgName,
      unitId: repair.unit.id,
      unitName: repair.unit.name,
      where: where(repair.location),
      refrigerant: repair.unit.refrigerant,
      status: repair.statusLabel,
      found: formatDay(repair.foundAt, tz),
      overdue: repair.overdue,
      next: repair.nextDeadline
        ? {
            label: repair.nextDeadline.label,
            due: formatDueDay(repair.nextDeadline.dueAt),
            relative: dueIn(repair.nextDeadline.dueAt, repair.nextDeadline.overdue, now),
            overdue: repair.nextDeadline.overdue,
          }
        : null,
    })),
    overThreshold: summary.unitsOverThreshold.map(unitRate),
    alerts: summary.alerts.map(unitRate),
    chronic: summary.chronicLeakers.map((row) => ({
      key: `${row.unit.id}:${row.year}`,
      orgId: row.orgId,
      orgName: row.orgName,
      unitId: row.unit.id,
      unitName: row.unit.name,
      where: where(row.location),
      year: row.year,
      percent: formatPct(row.percentOfFullCharge),
      lbAdded: row.lbAdded,
      fullChargeLb: row.fullChargeLb,
      reportDue: formatDueDay(row.reportDueAt),
      reportDuePassed: new Date(row.reportDueAt).getTime() <= now.getTime(),
    })),
  };
}

export const meta: Route.MetaFunction = () => [{ title: "Compliance · RefriTrak" }];

type Data = Route.ComponentProps["loaderData"];

function OrgLabel({ show, name }: { show: boolean; name: string }) {
  return show ? <span className="badge badge-blue">{name}</span> : null;
}

function Stat({ value, label, danger = false }: { value: number; label: string; danger?: boolean }) {
  return (
    <div className={danger && value > 0 ? "stat cmp-stat-danger" : "stat"}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

function Repairs({ data }: { data: Data }) {
  const { repairs, aggregated } = data;
  return (
    <section className="card cmp-section cmp-section-wide" aria-labelledby="repairs-heading">
      <div className="card-header">
        <h2 id="repairs-heading" className="card-title">
          Open leak repairs
        </h2>
        <Link to={`/o/${data.orgId}/leaks`} className="small">
          All leaks
        </Link>
      </div>
      {repairs.length === 0 ? (
        <p className="empty-state">No open leak repairs.</p>
      ) : (
        <ul className="cmp-list">
          {repairs.map((repair) => (
            <li key={repair.id} className={repair.overdue ? "cmp-item cmp-item-overdue" : "cmp-item"}>
              <div className="cmp-item-head">
                <Link to={`/o/${repair.orgId}/units/${repair.unitId}`} className="cmp-item-title">
                  {repair.unitName}
                </Link>
                {repair.overdue ? <span className="badge badge-red">Overdue</span> : null}
                <OrgLabel show={aggregated} name={repair.orgName} />
              </div>
              <div className="cmp-item-meta">
                {[repair.where, repair.refrigerant, `found ${repair.found}`].filter(Boolean).join(" · ")}
              </div>
              <div className="cmp-item-facts">
                <span className="badge">{repair.status}</span>
                {repair.next ? (
                  <span className={repair.next.overdue ? "cmp-overdue-text" : undefined}>
                    {repair.next.label} due {repair.next.due} — {repair.next.relative}
                  </span>
                ) : (
                  <span className="muted">No EPA deadline</span>
                )}
              </div>
              <div className="cmp-item-actions">
                <Link to={`/o/${repair.orgId}/leaks/${repair.id}`}>
                  Open leak repair<span className="visually-hidden"> for {repair.unitName}</span>
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function UnitRates({
  id,
  title,
  note,
  empty,
  items,
  aggregated,
  over,
}: {
  id: string;
  title: string;
  note: string;
  empty: string;
  items: Data["alerts"];
  aggregated: boolean;
  over: boolean;
}) {
  return (
    <section className="card cmp-section" aria-labelledby={id}>
      <div className="card-header">
        <h2 id={id} className="card-title">
          {title}
        </h2>
      </div>
      <p className="cmp-section-note">{note}</p>
      {items.length === 0 ? (
        <p className="empty-state">{empty}</p>
      ) : (
        <ul className="cmp-list">
          {items.map((item) => (
            <li key={item.key} className={item.overdue ? "cmp-item cmp-item-overdue" : "cmp-item"}>
              <div className="cmp-item-head">
                <Link to={`/o/${item.orgId}/units/${item.unitId}`} className="cmp-item-title">
                  {item.unitName}
                </Link>
                {item.overdue ? <span className="badge badge-red">Overdue</span> : null}
                <OrgLabel show={aggregated} name={item.orgName} />
              </div>
              <div className="cmp-item-meta">{[item.where, item.refrigerant].filter(Boolean).join(" · ")}</div>
              <div className="cmp-item-facts">
                <span className={over ? "cmp-rate cmp-over" : "cmp-rate"}>{item.percent}</span>
                <span>
                  {over
                    ? `over the ${item.threshold} threshold`
                    : `alert at ${item.alertLevel}, threshold ${item.threshold}`}
                </span>
                <span className="muted">
                  {item.method}, {item.on}
                </span>
              </div>
              <div className={item.overdue ? "cmp-item-meta cmp-overdue-text" : "cmp-item-meta"}>{item.reason}</div>
              {item.covered ? null : (
                <div className="cmp-item-meta">
                  <span className="badge">Not covered</span> {item.coverageReason} No EPA repair deadline applies.
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Chronic({ data }: { data: Data }) {
  const [previous, current] = data.years;
  return (
    <section className="card cmp-section cmp-section-wide" aria-labelledby="chronic-heading">
      <div className="card-header">
        <h2 id="chronic-heading" className="card-title">
          Chronic leakers
        </h2>
      </div>
      <p className="cmp-section-note">
        Appliances with 125% or more of their full charge added in {previous} or {current} (so far): each must be
        reported to EPA by March 1 of the following year.
      </p>
      {data.chronic.length === 0 ? (
        <p className="empty-state">
          No chronic leakers in {previous} or {current}.
        </p>
      ) : (
        <ul className="cmp-list">
          {data.chronic.map((row) => (
            <li key={row.key} className="cmp-item">
              <div className="cmp-item-head">
                <Link to={`/o/${row.orgId}/units/${row.unitId}`} className="cmp-item-title">
                  {row.unitName}
                </Link>
                <span className="badge badge-amber">{row.year}</span>
                <OrgLabel show={data.aggregated} name={row.orgName} />
              </div>
              <div className="cmp-item-meta">{row.where}</div>
              <div className="cmp-item-facts">
                <span className="cmp-rate cmp-over">{row.percent}</span>
                <span>
                  of the full charge ({row.lbAdded} lb added to {row.fullChargeLb} lb)
                </span>
                <span className={row.reportDuePassed ? "muted" : undefined}>
                  Report to EPA {row.reportDuePassed ? "was due" : "due"} {row.reportDue}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function Compliance({ loaderData }: Route.ComponentProps) {
  const data = loaderData;
  const { counts } = data;
  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <h1 className="page-title">Compliance</h1>
          <p className="lede">
            {data.aggregated
              ? `Every organization of ${data.orgName} (${data.orgCount}): open leak repairs, leak-rate alerts and chronic leakers.`
              : "Open leak repairs and their EPA deadlines, leak-rate alerts, units over threshold and chronic leakers."}
          </p>
        </div>
        <Link className="button button-primary" to={`/o/${data.orgId}/compliance/report`}>
          Compliance report
        </Link>
      </header>

      <div className="stats cmp-stats">
        <Stat value={counts.overdueRepairs} label="Overdue repairs" danger />
        <Stat value={counts.openRepairs} label="Open repairs" />
        <Stat value={counts.unitsOverThreshold} label="Over threshold" danger />
        <Stat value={counts.alerts} label="Leak-rate alerts" />
        <Stat value={counts.chronicLeakers} label="Chronic leakers" />
      </div>

      <div className="cmp-sections">
        <Repairs data={data} />
        <UnitRates
          id="over-heading"
          title="Units over threshold"
          note="The latest approved leak rate is over the category's threshold and the unit has not been repaired since."
          empty="No unit is over its leak-rate threshold."
          items={data.overThreshold}
          aggregated={data.aggregated}
          over
        />
        <UnitRates
          id="alerts-heading"
          title="Leak-rate alerts"
          note="The latest approved leak rate is at or above the alert level, not yet over the threshold."
          empty="No leak-rate alerts."
          items={data.alerts}
          aggregated={data.aggregated}
          over={false}
        />
        <Chronic data={data} />
      </div>
    </div>
  );
}
