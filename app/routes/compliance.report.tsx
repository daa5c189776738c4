import type { CSSProperties } from "react";
import { Form, Link } from "react-router";
import { zodFields } from "../../worker/http/errors";
import { ComplianceReportQuery } from "../../worker/reports/schemas";
import { complianceReport, type ReportLocation } from "../../worker/reports/service";
import { initials } from "../components/BrandMark";
import {
  CERTIFICATION_LABELS,
  formatDateTime,
  formatDay,
  formatDueDay,
  formatLb,
  formatPct,
  formatTime,
} from "../components/compliance/format";
import { SubmitButton, TextField } from "../components/form";
import { asPageError, pageOrgScope } from "../lib/server";
import "../components/compliance/compliance.css";
import type { Route } from "./+types/compliance.report";

/** The screen shows this many service records; the CSV and PDF hold them all. */
const SCREEN_ROWS = 500;

const locationLines = (location: ReportLocation | null) =>
  location ? [location.customerName, location.name, location.address].filter((line): line is string => !!line) : [];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "reports:view");
  const url = new URL(request.url);
  const values = { from: url.searchParams.get("from") || undefined, to: url.searchParams.get("to") || undefined };
  const parsed = ComplianceReportQuery.safeParse(values);
  if (!parsed.success) {
    return { orgId: scope.org.id, values, errors: zodFields(parsed.error), report: null };
  }
  const report = await asPageError(() => complianceReport(scope, parsed.data));
  const tz = report.period.timeZone;
  const archived = new Set(report.orgs.filter((org) => org.archived).map((org) => org.id));
  const unitHref = (orgId: string, unitId: string) => (archived.has(orgId) ? null : `/o/${orgId}/units/${unitId}`);
  const leakHref = (orgId: string, leakId: string) => (archived.has(orgId) ? null : `/o/${orgId}/leaks/${leakId}`);
  const query = new URLSearchParams({ from: report.period.from, to: report.period.to });
  const api = `/api/orgs/${scope.org.id}/reports/compliance`;
  const totals = (byRefrigerant: Record<string, number>) =>
    Object.entries(byRefrigerant)
      .sort(([a], [b]) => a.localeCompare(b, "en"))
      .map(([refrigerant, lb]) => ({ refrigerant, lb: formatLb(lb) }));

  return {
    orgId: scope.org.id,
    values: { from: report.period.from, to: report.period.to },
    errors: null,
    report: {
      org: {
        name: report.org.name,
        ein: report.org.ein,
        logoUrl: report.org.brandLogoUrl,
        color: report.org.brandColor,
        initials: initials(report.org.name),
      },
      aggregated: report.aggregated,
      orgNames: report.orgs.map((org) => `${org.name}${org.archived ? " (archived)" : ""}`),
      period: {
        from: formatDueDay(`${report.period.from}T00:00:00Z`),
        to: formatDueDay(`${report.period.to}T00:00:00Z`),
        timeZone: tz.replaceAll("_", " "),
      },
      generated: formatDateTime(report.generatedAt, tz),
      csvHref: `${api}?${query}&format=csv`,
      pdfHref: `${api}?${query}&format=pdf`,
      summary: {
        ...report.summary,
        added: totals(report.summary.lbAddedByRefrigerant),
        recovered: totals(report.summary.lbRecoveredByRefrigerant),
      },
      recordCount: report.serviceRecords.length,
      records: report.serviceRecords.slice(0, SCREEN_ROWS).map((record) => {
        const { technician } = record;
        const certType = technician.certificationType ? CERTIFICATION_LABELS[technician.certificationType] : null;
        return {
          id: record.id,
          orgName: record.orgName,
          day: formatDay(record.performedAt, tz),
          time: formatTime(record.performedAt, tz),
          kind: record.kindLabel,
          unit: record.unit
            ? {
                name: record.unit.name,
                href: unitHref(record.orgId, record.unit.id),
                model: [record.unit.manufacturer, record.unit.model].filter(Boolean).join(" "),
                serial: record.unit.serial,
              }
            : null,
          cylinders: [
            record.fromCylinderTag ? `from ${record.fromCylinderTag}` : null,
            record.toCylinderTag ? `to ${record.toCylinderTag}` : null,
          ]
            .filter(Boolean)
            .join(" "),
          location: locationLines(record.location),
          technician: technician.name,
          certification: [technician.certificationNumber, certType].filter(Boolean).join(" · ") || null,
          refrigerant: record.refrigerant,
          amount: `${formatLb(record.amountLb)} ${record.kind === "CHARGE" ? "added" : record.kind === "RECOVER" ? "recovered" : "moved"}`,
          fullCharge: formatLb(record.fullChargeLb),
          leakRate: record.leakRate
            ? {
                percent: formatPct(record.leakRate.percent),
                method: record.leakRate.methodLabel,
                threshold: formatPct(record.leakRate.threshold),
                exceeded: record.leakRate.exceeded,
              }
            : null,
        };
      }),
      repairs: report.leakRepairs.map((repair) => ({
        id: repair.id,
        href: leakHref(repair.orgId, repair.id),
        orgName: repair.orgName,
        unitName: repair.unit.name,
        location: locationLines(repair.location),
        found: formatDay(repair.foundAt, tz),
        repairDue: repair.repairDueAt ? formatDueDay(repair.repairDueAt) : null,
        repaired: repair.repairedAt ? formatDay(repair.repairedAt, tz) : null,
        repairedLate: repair.repairedLate,
        initialTest: repair.initialTest
          ? `${formatDay(repair.initialTest.at, tz)}: ${repair.initialTest.passed ? "passed" : "failed"}`
          : null,
        followUpTest: repair.followUpTest
          ? `${formatDay(repair.followUpTest.at, tz)}: ${repair.followUpTest.passed ? "passed" : "failed"}`
          : repair.followUpDueAt
            ? `due ${formatDueDay(repair.followUpDueAt)}`
            : null,
        status: repair.statusLabel,
        overdue: repair.overdue,
        overdueWhat:
          repair.overdue && repair.nextDeadline
            ? `${repair.nextDeadline.label} was due ${formatDueDay(repair.nextDeadline.dueAt)}`
            : null,
      })),
      chronic: report.chronicLeakers.map((row) => ({
        key: `${row.unit.id}:${row.year}`,
        orgName: row.orgName,
        year: row.year,
        unitName: row.unit.name,
        href: unitHref(row.orgId, row.unit.id),
        location: locationLines(row.location),
        percent: formatPct(row.percentOfFullCharge),
        added: formatLb(row.lbAdded),
        fullCharge: formatLb(row.fullChargeLb),
        reportDue: formatDueDay(row.reportDueAt),
      })),
    },
  };
}

export const meta: Route.MetaFunction = () => [{ title: "Compliance report · RefriTrak" }];

type Report = NonNullable<Route.ComponentProps["loaderData"]["report"]>;

function Lines({ lines }: { lines: (string | null | undefined)[] }) {
  const [first, ...rest] = lines.filter((line): line is string => !!line);
  if (!first) return <span className="muted">—</span>;
  return (
    <span className="cmp-cell-lines">
      <span>{first}</span>
      {rest.map((line) => (
        <span key={line} className="muted">
          {line}
        </span>
      ))}
    </span>
  );
}

function MaybeLink({ href, children }: { href: string | null; children: string }) {
  return href ? <Link to={href}>{children}</Link> : children;
}

function BrandHeader({ report }: { report: Report }) {
  const { org, period } = report;
  const style = org.color ? ({ "--report-brand": org.color } as CSSProperties) : undefined;
  return (
    <section className="card cmp-brand" style={style} aria-label="Report header">
      {org.logoUrl ? (
        <img className="cmp-brand-logo" src={org.logoUrl} alt={`${org.name} logo`} />
      ) : (
        <span className="cmp-brand-logo cmp-brand-initials" aria-hidden="true">
          {org.initials}
        </span>
      )}
      <div className="cmp-brand-text">
        <p className="cmp-brand-name">
          <strong>{org.name}</strong>
        </p>
        <p className="muted">{org.ein ? `EIN ${org.ein}` : "No EIN on file"}</p>
      </div>
      <div>
        <p className="cmp-brand-period">
          {period.from} – {period.to}
        </p>
        <p className="muted small">
          Dates in {period.timeZone}. Generated {report.generated}.
        </p>
      </div>
    </section>
  );
}

function Summary({ report }: { report: Report }) {
  const { summary } = report;
  return (
    <section className="card" aria-labelledby="summary-heading">
      <h2 id="summary-heading" className="card-title">
        Summary
      </h2>
      <dl className="kv cmp-summary">
        <div>
          <dt>Service records</dt>
          <dd>{summary.serviceRecords}</dd>
        </div>
        <div>
          <dt>Units over threshold</dt>
          <dd>{summary.unitsOverThreshold}</dd>
        </div>
        <div>
          <dt>Open leak repairs</dt>
          <dd>{summary.openRepairs}</dd>
        </div>
        <div>
          <dt>Overdue leak repairs</dt>
          <dd className={summary.overdueRepairs > 0 ? "cmp-over" : undefined}>{summary.overdueRepairs}</dd>
        </div>
        <div>
          <dt>Chronic leakers</dt>
          <dd>{summary.chronicLeakers}</dd>
        </div>
        <div>
          <dt>Refrigerant added</dt>
          <dd>
            {summary.added.length === 0 ? (
              "None"
            ) : (
              <ul className="cmp-totals">
                {summary.added.map((row) => (
                  <li key={row.refrigerant}>
                    {row.refrigerant}: {row.lb}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>Refrigerant recovered</dt>
          <dd>
            {summary.recovered.length === 0 ? (
              "None"
            ) : (
              <ul className="cmp-totals">
                {summary.recovered.map((row) => (
                  <li key={row.refrigerant}>
                    {row.refrigerant}: {row.lb}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {report.aggregated ? (
          <div>
            <dt>Organizations</dt>
            <dd>{report.orgNames.join(", ")}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

function ServiceRecords({ report }: { report: Report }) {
  return (
    <section aria-labelledby="records-heading" className="stack-sm">
      <h2 id="records-heading">Service records</h2>
      <p className="cmp-section-note">
        Approved, non-voided refrigerant transfers in the period, with the technician's 608 certification as recorded.
        {report.recordCount > report.records.length
          ? ` Showing the first ${report.records.length} of ${report.recordCount}: download the CSV or PDF for all.`
          : ""}
      </p>
      {report.records.length === 0 ? (
        <p className="empty-state card">No approved service records in this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Service records, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Date of service</th>
                <th scope="col">Type</th>
                <th scope="col" className="cmp-col-wide">
                  Appliance
                </th>
                <th scope="col" className="cmp-col-wide">
                  Location
                </th>
                <th scope="col" className="cmp-col-mid">
                  Technician
                </th>
                <th scope="col">Refrigerant</th>
                <th scope="col">Amount</th>
                <th scope="col">Full charge</th>
                <th scope="col" className="cmp-col-mid">
                  Leak rate
                </th>
              </tr>
            </thead>
            <tbody>
              {report.records.map((record) => (
                <tr key={record.id}>
                  <th scope="row">
                    <Lines lines={[record.day, record.time]} />
                  </th>
                  <td data-label="Type">{record.kind}</td>
                  <td data-label="Appliance">
                    {record.unit ? (
                      <span className="cmp-cell-lines">
                        <MaybeLink href={record.unit.href}>{record.unit.name}</MaybeLink>
                        {record.unit.model ? <span className="muted">{record.unit.model}</span> : null}
                        {record.unit.serial ? <span className="muted">S/N {record.unit.serial}</span> : null}
                      </span>
                    ) : (
                      <span className="muted">Cylinders {record.cylinders}</span>
                    )}
                  </td>
                  <td data-label="Location">
                    <Lines lines={[...(report.aggregated ? [record.orgName] : []), ...record.location]} />
                  </td>
                  <td data-label="Technician">
                    <Lines lines={[record.technician, record.certification ?? "No certification on record"]} />
                  </td>
                  <td data-label="Refrigerant">{record.refrigerant}</td>
                  <td data-label="Amount">{record.amount}</td>
                  <td data-label="Full charge">{record.fullCharge || "—"}</td>
                  <td data-label="Leak rate">
                    {record.leakRate ? (
                      <span className="cmp-cell-lines">
                        <span className={record.leakRate.exceeded ? "cmp-over" : undefined}>
                          {record.leakRate.percent}
                          {record.leakRate.exceeded ? " (over)" : ""}
                        </span>
                        <span className="muted">
                          {record.leakRate.method}, threshold {record.leakRate.threshold}
                        </span>
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
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

function LeakRepairs({ report }: { report: Report }) {
  return (
    <section aria-labelledby="repairs-heading" className="stack-sm">
      <h2 id="repairs-heading">Leak repairs</h2>
      <p className="cmp-section-note">
        Leak cases open at any time in the period. Deadlines are EPA calendar days; overdue as of today.
      </p>
      {report.repairs.length === 0 ? (
        <p className="empty-state card">No leak repairs in this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Leak repairs</caption>
            <thead>
              <tr>
                <th scope="col" className="cmp-col-mid">
                  Appliance
                </th>
                <th scope="col" className="cmp-col-wide">
                  Location
                </th>
                <th scope="col">Found</th>
                <th scope="col">Repair due</th>
                <th scope="col">Repaired</th>
                <th scope="col">Initial verification</th>
                <th scope="col">Follow-up verification</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {report.repairs.map((repair) => (
                <tr key={repair.id}>
                  <th scope="row">
                    <span className="cmp-cell-lines">
                      <MaybeLink href={repair.href}>{repair.unitName}</MaybeLink>
                      {repair.overdue ? (
                        <span>
                          <span className="badge badge-red">Overdue</span>
                        </span>
                      ) : null}
                    </span>
                  </th>
                  <td data-label="Location">
                    <Lines lines={[...(report.aggregated ? [repair.orgName] : []), ...repair.location]} />
                  </td>
                  <td data-label="Found" className="nowrap">
                    {repair.found}
                  </td>
                  <td data-label="Repair due" className="nowrap">
                    {repair.repairDue ?? <span className="muted">No EPA deadline</span>}
                  </td>
                  <td data-label="Repaired" className="nowrap">
                    {repair.repaired ? (
                      <span className={repair.repairedLate ? "cmp-over" : undefined}>
                        {repair.repaired}
                        {repair.repairedLate ? " (late)" : ""}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label="Initial test">{repair.initialTest ?? <span className="muted">—</span>}</td>
                  <td data-label="Follow-up test">{repair.followUpTest ?? <span className="muted">—</span>}</td>
                  <td data-label="Status">
                    <span className="cmp-cell-lines">
                      <span>{repair.status}</span>
                      {repair.overdueWhat ? (
                        <span className="cmp-overdue-text">Overdue: {repair.overdueWhat}</span>
                      ) : null}
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

function ChronicLeakers({ report }: { report: Report }) {
  return (
    <section aria-labelledby="chronic-heading" className="stack-sm">
      <h2 id="chronic-heading">Chronic leakers</h2>
      <p className="cmp-section-note">
        Appliances with 125% or more of their full charge added in a calendar year of the period; each must be reported
        to EPA by March 1 of the following year.
      </p>
      {report.chronic.length === 0 ? (
        <p className="empty-state card">No chronic leakers in the calendar years of this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Chronic leakers</caption>
            <thead>
              <tr>
                <th scope="col">Appliance</th>
                <th scope="col">Year</th>
                <th scope="col" className="cmp-col-wide">
                  Location
                </th>
                <th scope="col">Added</th>
                <th scope="col">Full charge</th>
                <th scope="col">Of full charge</th>
                <th scope="col">Report due to EPA</th>
              </tr>
            </thead>
            <tbody>
              {report.chronic.map((row) => (
                <tr key={row.key}>
                  <th scope="row">
                    <MaybeLink href={row.href}>{row.unitName}</MaybeLink>
                  </th>
                  <td data-label="Year">{row.year}</td>
                  <td data-label="Location">
                    <Lines lines={[...(report.aggregated ? [row.orgName] : []), ...row.location]} />
                  </td>
                  <td data-label="Added">{row.added}</td>
                  <td data-label="Full charge">{row.fullCharge}</td>
                  <td data-label="Of full charge" className="cmp-over">
                    {row.percent}
                  </td>
                  <td data-label="Report due">
                    <strong>{row.reportDue}</strong>
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

export default function ComplianceReport({ loaderData }: Route.ComponentProps) {
  const { orgId, values, errors, report } = loaderData;
  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={`/o/${orgId}/compliance`}>Compliance</Link>
          </p>
          <h1 className="page-title">Compliance report</h1>
          <p className="lede">EPA service records, leak repairs and chronic leakers for a period of up to 3 years.</p>
        </div>
      </header>

      <Form method="get" className="card cmp-range" aria-label="Report period">
        <TextField
          label="From"
          name="from"
          type="date"
          defaultValue={values.from ?? ""}
          key={`from-${values.from}`}
          errors={errors?.from}
          required={false}
        />
        <TextField
          label="To"
          name="to"
          type="date"
          defaultValue={values.to ?? ""}
          key={`to-${values.to}`}
          errors={errors?.to}
          required={false}
        />
        <div className="cmp-range-actions">
          <SubmitButton>Show report</SubmitButton>
        </div>
      </Form>

      {errors ? (
        <p className="alert alert-error" role="alert">
          Choose a valid period: {Object.values(errors).flat().join(" ")}
        </p>
      ) : null}

      {report ? (
        <>
          <div className="cmp-downloads">
            <a className="button button-secondary" href={report.csvHref} download>
              Download CSV
            </a>
            <a className="button button-secondary" href={report.pdfHref} download>
              Download PDF
            </a>
          </div>
          <BrandHeader report={report} />
          <Summary report={report} />
          <ServiceRecords report={report} />
          <LeakRepairs report={report} />
          <ChronicLeakers report={report} />
        </>
      ) : null}
    </div>
  );
}
