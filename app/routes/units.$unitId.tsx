import { Fragment, type ReactNode } from "react";
import { Form, Link, redirect } from "react-router";
import { z } from "zod";
import { todayIn } from "../../worker/cylinders/rules";
import { can, type Permission } from "../../worker/policy/permissions";
import { listRefrigerants } from "../../worker/refrigerants/service";
import { UnitDecommissionInput, UnitPatchInput } from "../../worker/units/schemas";
import { decommissionUnit, deleteUnit, getUnit, updateUnit } from "../../worker/units/service";
import { formatAddress } from "../components/customers/AddressFields";
import { formatDateTime } from "../components/datetime";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton, TextAreaField, TextField } from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { ConfirmPanel, PanelHeading } from "../components/organization/panel";
import { ServerChart } from "../components/ServerChart";
import { numberField } from "../components/units/form";
import { LeakBadge } from "../components/units/LeakBadge";
import {
  CATEGORY_LABELS,
  CERTIFICATION_LABELS,
  COVERAGE_RULE_LABELS,
  FULL_CHARGE_METHOD_LABELS,
  type FullChargeMethod,
  formatDay,
  formatLb,
  formatPercent,
  formatRate,
  formatUtcDay,
  METHOD_LABELS,
  TRANSFER_KIND_LABELS,
  TRANSFER_STATUS_LABELS,
  type UnitCategory,
} from "../components/units/labels";
import { leakRateChartSvg } from "../components/units/leak-rate-chart.server";
import { UNIT_FIELD_NAMES, UnitFields } from "../components/units/UnitFields";
import { asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/units/units.css";
import type { Route } from "./+types/units.$unitId";

const NOTICES: Record<string, string> = {
  created: "Unit added.",
  saved: "Changes saved.",
  decommissioned: "Unit decommissioned.",
};

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "units:view");
  const { actor, org } = scope;
  const url = new URL(request.url);
  const unit = await asPageError(() => getUnit(scope, params.unitId));
  const canEdit = can(actor, "units:edit", org.id);
  const canDecommission = can(actor, "units:decommission", org.id) && unit.status === "ACTIVE";
  const canDelete = can(actor, "records:delete", org.id);
  const panel = (() => {
    const wanted = url.searchParams.get("panel");
    if (wanted === "edit" && canEdit) return "edit" as const;
    if (wanted === "decommission" && canDecommission) return "decommission" as const;
    if (wanted === "delete" && canDelete) return "delete" as const;
    return null;
  })();
  const tz = scope.user.timeZone;
  const counted = unit.leakRateHistory.filter((rate) => rate.counted);
  const threshold = org.epaConfig.leakRateThresholds[unit.category];
  const alertLevel = (threshold * org.epaConfig.alertAtPercentOfThreshold) / 100;
  const latest = counted.at(-1);
  return {
    orgId: org.id,
    today: todayIn(org.timeZone),
    unit,
    threshold,
    alertLevel,
    chart: (() => {
      const chart = {
        points: counted.map((rate) => ({
          at: Date.parse(rate.performedAt),
          percent: rate.percent,
          exceeded: rate.exceeded,
          alert: rate.alert,
        })),
        threshold,
        alertLevel,
        title: `Leak rate of ${unit.name}`,
      };
      const narrow = leakRateChartSvg({ ...chart, size: "narrow" });
      const wide = leakRateChartSvg({ ...chart, size: "wide" });
      return narrow && wide ? { narrow, wide } : null;
    })(),
    chartSummary: latest
      ? `Leak rate at each of ${counted.length} approved charge${counted.length === 1 ? "" : "s"}, from ${formatUtcDay(counted[0]?.performedAt)} to ${formatUtcDay(latest.performedAt)}; latest ${formatRate(latest.percent)} against a ${formatPercent(threshold)} threshold.`
      : "",
    history: unit.serviceHistory.map((record) => ({ ...record, when: formatDateTime(record.performedAt, tz) })),
    refrigerants:
      panel === "edit"
        ? (await listRefrigerants(scope.db)).map((r) => ({ designation: r.designation, ods: r.ods, gwp: r.gwp }))
        : [],
    can: {
      edit: canEdit,
      decommission: canDecommission,
      delete: canDelete,
      recordTransfer: can(actor, "transfers:record", org.id) && unit.status === "ACTIVE",
      reportLeak: can(actor, "leaks:report", org.id) && unit.status === "ACTIVE",
      viewLeaks: can(actor, "leaks:view", org.id),
    },
    panel,
    notice: [...url.searchParams.keys()].map((key) => NOTICES[key]).find(Boolean) ?? null,
  };
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.unit.name} · Units · RefriTrak` : "Unit · RefriTrak" },
];

const INTENT_PERMISSION: Record<string, Permission> = {
  edit: "units:edit",
  decommission: "units:decommission",
  delete: "records:delete",
};
const NoInput = z.strictObject({});

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, INTENT_PERMISSION);
  const id = params.unitId;
  const page = `/o/${scope.org.id}/units/${id}`;
  const { intent: _intent, ...form } = formObject(formData, {
    keepEmpty: ["name", "fullChargeLb", "manufacturer", "model", "serial", "installDate"],
  });

  if (intent === "edit") {
    const body: Record<string, unknown> = {
      ...form,
      fullChargeLb: numberField(form.fullChargeLb),
      repairNeedsShutdown: form.repairNeedsShutdown === "true",
    };
    if (body.installDate === "") body.installDate = null;
    const result = await formAction(body, UnitPatchInput, (input) => updateUnit(scope, id, input));
    if (!("result" in result)) return result;
    throw redirect(`${page}?saved=1`);
  }
  if (intent === "decommission") {
    const result = await formAction(form, UnitDecommissionInput, (input) => decommissionUnit(scope, id, input));
    if (!("result" in result)) return result;
    throw redirect(`${page}?decommissioned=1`);
  }
  const result = await formAction({}, NoInput, () => deleteUnit(scope, id));
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/units?deleted=1`);
}

type LoaderData = Route.ComponentProps["loaderData"];

export default function UnitPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, unit, panel, notice } = loaderData;
  const page = `/o/${orgId}/units/${unit.id}`;
  const allowed = loaderData.can;
  return (
    <div className="page stack">
      <nav aria-label="Breadcrumb" className="small">
        <Link to={`/o/${orgId}/units`}>← Units</Link>
      </nav>
      <header className="page-header">
        <div>
          <p className="eyebrow">
            {CATEGORY_LABELS[unit.category as UnitCategory]} · {unit.refrigerant} · {formatLb(unit.fullChargeLb)}
          </p>
          <h1 className="page-title">{unit.name}</h1>
          <p className="muted">
            <Link to={`/o/${orgId}/customers/${unit.customer.id}`}>{unit.customer.name}</Link> · {unit.location.name},{" "}
            {unit.location.city}, {unit.location.state}
          </p>
          <div className="cluster unit-badges">
            <LeakBadge status={unit.leakStatus} />
            {unit.status === "DECOMMISSIONED" ? <span className="badge">Decommissioned</span> : null}
            <span className={unit.coverage.covered ? "badge badge-teal" : "badge"}>
              {unit.coverage.covered && unit.coverage.rule
                ? `Covered · ${COVERAGE_RULE_LABELS[unit.coverage.rule]}`
                : "Not covered by the leak-repair rules"}
            </span>
          </div>
        </div>
      </header>

      <div role="status" className="unit-notice">
        {notice ? <p className="alert alert-success">{notice}</p> : null}
      </div>
      {panel === null ? <FormErrors error={actionErrorOf(actionData)} /> : null}

      {allowed.recordTransfer || allowed.reportLeak ? (
        <div className="unit-quick">
          {allowed.recordTransfer ? (
            <Link className="button button-primary button-large" to={`/o/${orgId}/transfers/new?unitId=${unit.id}`}>
              Record transfer
            </Link>
          ) : null}
          {allowed.reportLeak ? (
            <Link className="button button-secondary button-large" to={`/o/${orgId}/leaks?report=1&unitId=${unit.id}`}>
              Report leak
            </Link>
          ) : null}
        </div>
      ) : null}

      {unit.status === "DECOMMISSIONED" && unit.decommission ? (
        <p className="alert alert-info">
          Decommissioned on {formatDay(unit.decommission.date)}: {unit.decommission.reason}
        </p>
      ) : null}

      <LeakStatusCard loaderData={loaderData} />
      <CoverageCard loaderData={loaderData} />
      <HistoryChart loaderData={loaderData} />
      <ServiceHistory loaderData={loaderData} />
      {allowed.viewLeaks && unit.leaks.length > 0 ? <LeakCases loaderData={loaderData} /> : null}
      <DetailsCard loaderData={loaderData} />

      {allowed.edit || allowed.decommission || allowed.delete ? (
        <section className="card stack" aria-labelledby="manage-heading">
          <h2 id="manage-heading">Manage</h2>
          {panel === "edit" ? <EditPanel loaderData={loaderData} actionData={actionData} /> : null}
          {panel === "decommission" ? <DecommissionPanel loaderData={loaderData} actionData={actionData} /> : null}
          {panel === "delete" ? (
            <ConfirmPanel
              id="delete-heading"
              title={`Delete ${unit.name}?`}
              intent="delete"
              action="Delete unit"
              close={page}
              actionData={actionData}
              className="unit-panel unit-danger"
            >
              The unit disappears from every list. Its service records, leak rates and leak cases are kept for the EPA
              record-keeping period. To record that it left service, decommission it instead.
            </ConfirmPanel>
          ) : null}
          {panel === null ? (
            <div className="cluster">
              {allowed.edit ? (
                <Link className="button button-secondary" to={`${page}?panel=edit`}>
                  Edit details
                </Link>
              ) : null}
              {allowed.decommission ? (
                <Link className="button button-secondary" to={`${page}?panel=decommission`}>
                  Decommission
                </Link>
              ) : null}
              {allowed.delete ? (
                <Link className="button button-danger" to={`${page}?panel=delete`}>
                  Delete
                </Link>
              ) : null}
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

/** The engine writes days as 2026-12-20; people read Dec 20, 2026. */
const readableDates = (text: string) => text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (day) => formatDay(day));

/** What the engine stored with a rate, as label/value pairs a reader can check against the formula. */
function inputRows(inputs: unknown): [string, string][] {
  if (!inputs || typeof inputs !== "object") return [];
  const i = inputs as Record<string, unknown>;
  const rows: [string, string][] = [];
  const add = (label: string, value: string | null) => {
    if (value) rows.push([label, value]);
  };
  const lb = (value: unknown) => (typeof value === "number" ? formatLb(value) : null);
  add("Added", lb(i.addedLb));
  add("Full charge", lb(i.fullChargeLb));
  if (i.method === "ANNUALIZING") {
    add(
      "Previous addition",
      typeof i.previousAdditionAt === "string" ? formatUtcDay(i.previousAdditionAt) : "None (first addition)",
    );
    add("Days since previous", typeof i.daysSincePrevious === "number" ? String(i.daysSincePrevious) : null);
    add("Days used", typeof i.daysUsed === "number" ? `${i.daysUsed}${i.capped ? " (capped at 365)" : ""}` : null);
  } else if (i.method === "ROLLING_AVERAGE") {
    add(
      "Window",
      typeof i.windowStart === "string" && typeof i.windowEnd === "string"
        ? `${formatUtcDay(i.windowStart)} – ${formatUtcDay(i.windowEnd)}${i.windowStartReason === "FOLLOW_UP_TEST" ? " (since the last successful follow-up test)" : ""}`
        : null,
    );
    add("Added in window", lb(i.lbInWindow));
    add("Additions counted", Array.isArray(i.additionsCounted) ? String(i.additionsCounted.length) : null);
  }
  return rows;
}

function HowComputed({
  rate,
}: {
  rate: {
    explanation: string;
    method: string;
    threshold: number;
    alertLevel: number;
    ruleVersion: string;
    inputs: unknown;
  };
}) {
  const rows = inputRows(rate.inputs);
  return (
    <details className="unit-how">
      <summary>How this was computed</summary>
      <p className="unit-explanation">{rate.explanation}</p>
      <dl className="kv">
        <dt>Method</dt>
        <dd>{METHOD_LABELS[rate.method] ?? rate.method}</dd>
        <dt>Threshold</dt>
        <dd>{formatPercent(rate.threshold)}</dd>
        <dt>Alert level</dt>
        <dd>{formatPercent(rate.alertLevel)}</dd>
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
        <dt>EPA rules version</dt>
        <dd>{rate.ruleVersion}</dd>
      </dl>
    </details>
  );
}

function LeakStatusCard({ loaderData }: { loaderData: LoaderData }) {
  const { unit, orgId, threshold } = loaderData;
  const status = unit.leakStatus;
  const rate = unit.latestLeakRate;
  const open = status.openLeak;
  return (
    <section className="card stack-sm" aria-labelledby="leak-status-heading">
      <h2 id="leak-status-heading">Current leak rate</h2>
      {rate ? (
        <>
          <p className="unit-rate-figure">
            <strong>{formatRate(rate.percent)}</strong>
            <LeakBadge status={status} />
          </p>
          <p>
            {readableDates(status.reason)} Threshold for {CATEGORY_LABELS[unit.category as UnitCategory].toLowerCase()}:{" "}
            {formatPercent(rate.threshold)} (alert at {formatPercent(rate.alertLevel)}). From the approved charge of{" "}
            {formatLb(rate.addedLb)} on {formatUtcDay(rate.performedAt)}, by the{" "}
            {METHOD_LABELS[rate.method]?.toLowerCase()} method.
          </p>
          <HowComputed rate={rate} />
        </>
      ) : (
        <>
          <p>
            <LeakBadge status={status} />
          </p>
          <p className="muted">
            No approved leak rate yet. One is computed every time refrigerant is added (a charge), against the{" "}
            {formatPercent(threshold)} threshold for {CATEGORY_LABELS[unit.category as UnitCategory].toLowerCase()}.
          </p>
        </>
      )}
      {open ? (
        <div className={open.repairDueAt ? "unit-repair" : ""}>
          <p>
            <strong>Leak case: {open.statusLabel}.</strong>{" "}
            {open.repairDueAt ? (
              <>
                Repair due <time dateTime={open.repairDueAt.slice(0, 10)}>{formatUtcDay(open.repairDueAt)}</time>
                {status.level === "REPAIR_OVERDUE" ? " — overdue." : "."}
              </>
            ) : null}{" "}
            {loaderData.can.viewLeaks ? <Link to={`/o/${orgId}/leaks/${open.id}`}>Open the leak case</Link> : null}
          </p>
        </div>
      ) : null}
    </section>
  );
}

function CoverageCard({ loaderData }: { loaderData: LoaderData }) {
  const { coverage, refrigerantInfo } = loaderData.unit;
  return (
    <section
      className={`card stack-sm ${coverage.covered ? "unit-covered" : "unit-not-covered"}`}
      aria-labelledby="coverage-heading"
    >
      <h2 id="coverage-heading">EPA coverage</h2>
      <p>
        <strong>
          {coverage.covered && coverage.rule
            ? `Covered by ${COVERAGE_RULE_LABELS[coverage.rule]}`
            : "Not covered by the leak-repair rules"}
        </strong>
      </p>
      <p>{coverage.reason}</p>
      <p className="muted small">
        {refrigerantInfo
          ? `${refrigerantInfo.designation}: ${refrigerantInfo.family}, GWP ${refrigerantInfo.gwp} (AR4)${refrigerantInfo.ods ? ", ozone-depleting" : ""}, safety class ${refrigerantInfo.safetyClass}. `
          : ""}
        {coverage.ruleVersion ? `EPA rules version ${coverage.ruleVersion}.` : ""}
      </p>
    </section>
  );
}

function HistoryChart({ loaderData }: { loaderData: LoaderData }) {
  const { unit, chart, chartSummary, threshold, alertLevel } = loaderData;
  const rates = [...unit.leakRateHistory].reverse();
  return (
    <section className="card stack-sm" aria-labelledby="rate-history-heading">
      <h2 id="rate-history-heading">Leak-rate history</h2>
      {chart ? (
        <figure className="unit-chart">
          {/* The table below holds the same numbers as text. */}
          <ServerChart chart={chart} summary={chartSummary} classPrefix="unit-chart" />
          <figcaption>
            <ul className="unit-chart-legend">
              <li className="unit-legend-ok">
                <span aria-hidden="true">●</span>Below the alert level
              </li>
              <li className="unit-legend-alert">
                <span aria-hidden="true">■</span>At or above the alert level ({formatPercent(alertLevel)})
              </li>
              <li className="unit-legend-over">
                <span aria-hidden="true">▲</span>Over the threshold ({formatPercent(threshold)}, dashed line)
              </li>
            </ul>
          </figcaption>
        </figure>
      ) : (
        <p className="muted">No approved charges yet: the chart appears with the first one.</p>
      )}
      {rates.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Every leak rate computed for this unit, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date of service</th>
                <th scope="col" className="num">
                  Leak rate
                </th>
                <th scope="col" className="num">
                  Threshold
                </th>
                <th scope="col">Method</th>
                <th scope="col">Status</th>
                <th scope="col">Formula</th>
              </tr>
            </thead>
            <tbody>
              {rates.map((rate) => (
                <tr key={rate.id}>
                  <th scope="row" data-label="Date">
                    {formatUtcDay(rate.performedAt)}
                  </th>
                  <td data-label="Leak rate" className="num">
                    {formatRate(rate.percent)}
                    {rate.exceeded ? " (over)" : rate.alert ? " (alert)" : ""}
                  </td>
                  <td data-label="Threshold" className="num">
                    {formatPercent(rate.threshold)}
                  </td>
                  <td data-label="Method">{METHOD_LABELS[rate.method] ?? rate.method}</td>
                  <td data-label="Status">
                    {rate.voided ? "Voided" : (TRANSFER_STATUS_LABELS[rate.transferStatus] ?? rate.transferStatus)}
                    {rate.counted ? "" : " · not counted"}
                  </td>
                  <td data-label="Formula">
                    <details>
                      <summary>Show</summary>
                      <p className="unit-explanation">{rate.explanation}</p>
                      <p className="muted small">Rules {rate.ruleVersion}</p>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ServiceHistory({ loaderData }: { loaderData: LoaderData }) {
  const { history, orgId } = loaderData;
  return (
    <section className="stack-sm" aria-labelledby="service-heading">
      <h2 id="service-heading">Service history</h2>
      {history.length === 0 ? (
        <p className="empty-state">No refrigerant added or recovered yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Refrigerant transfers on this unit, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Service</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Technician</th>
                <th scope="col">Cylinder</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {history.map((record) => (
                <tr key={record.id}>
                  <th scope="row" data-label="Date">
                    <Link to={`/o/${orgId}/transfers/${record.id}`}>
                      <time dateTime={record.performedAt}>{record.when}</time>
                    </Link>
                  </th>
                  <td data-label="Service">
                    {TRANSFER_KIND_LABELS[record.kind] ?? record.kind}
                    {record.leakRate ? (
                      <span className="unit-sub">Leak rate {formatRate(record.leakRate.percent)}</span>
                    ) : null}
                  </td>
                  <td data-label="Amount" className="num">
                    {formatLb(record.amountLb)} {record.refrigerant}
                  </td>
                  <td data-label="Technician">
                    <span>
                      {record.technician.name}
                      <span className="unit-sub">
                        {record.technician.certificationNumber
                          ? `608 ${record.technician.certificationType ? CERTIFICATION_LABELS[record.technician.certificationType] : ""} · ${record.technician.certificationNumber}`
                          : "No 608 certification recorded"}
                      </span>
                    </span>
                  </td>
                  <td data-label="Cylinder">{record.cylinder ?? <span className="muted">—</span>}</td>
                  <td data-label="Status">
                    {record.voided
                      ? `Voided${record.voided.reason ? `: ${record.voided.reason}` : ""}`
                      : (TRANSFER_STATUS_LABELS[record.status] ?? record.status)}
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

function LeakCases({ loaderData }: { loaderData: LoaderData }) {
  const { unit, orgId } = loaderData;
  return (
    <section className="card stack-sm" aria-labelledby="leaks-heading">
      <h2 id="leaks-heading">Leak cases</h2>
      <ul className="list-plain stack-sm">
        {unit.leaks.map((leak) => (
          <li key={leak.id}>
            <Link to={`/o/${orgId}/leaks/${leak.id}`}>Found {formatUtcDay(leak.foundAt)}</Link> · {leak.statusLabel}
            {leak.locationOnUnit ? ` · ${leak.locationOnUnit}` : ""}
            {leak.repairDueAt && !leak.repairedAt ? ` · repair due ${formatUtcDay(leak.repairDueAt)}` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DetailsCard({ loaderData }: { loaderData: LoaderData }) {
  const { unit, orgId } = loaderData;
  const rows: [string, ReactNode][] = [
    [
      "Customer",
      <Link key="customer" to={`/o/${orgId}/customers/${unit.customer.id}`}>
        {unit.customer.name}
      </Link>,
    ],
    ["Location", `${unit.location.name} · ${formatAddress(unit.location)}`],
    ["Category", CATEGORY_LABELS[unit.category as UnitCategory]],
    ["Refrigerant", unit.refrigerant],
    [
      "Full charge",
      `${formatLb(unit.fullChargeLb)} (${FULL_CHARGE_METHOD_LABELS[unit.fullChargeMethod as FullChargeMethod]})`,
    ],
    ["Manufacturer", unit.manufacturer ?? "—"],
    ["Model", unit.model ?? "—"],
    ["Serial number", unit.serial ?? "—"],
    ["Installed", unit.installDate ? formatDay(unit.installDate) : "Not recorded"],
    ["Repair needs a shutdown", unit.repairNeedsShutdown ? "Yes (120 days to repair)" : "No"],
  ];
  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="kv">
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

function EditPanel({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { unit, orgId, refrigerants, today } = loaderData;
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="stack unit-panel" aria-labelledby="edit-heading">
      <PanelHeading id="edit-heading">Edit {unit.name}</PanelHeading>
      <FormErrors error={actionErrorOf(actionData)} shownFields={UNIT_FIELD_NAMES} />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="edit" />
        <UnitFields values={unit} errors={fields} refrigerants={refrigerants} today={today} />
        <p className="muted small">
          Leak rates already computed keep the full charge and threshold they were computed with.
        </p>
        <div className="form-actions">
          <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
          <Link className="button button-secondary" to={`/o/${orgId}/units/${unit.id}`}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}

function DecommissionPanel({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { unit, orgId, today } = loaderData;
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="stack unit-panel unit-danger" aria-labelledby="decommission-heading">
      <PanelHeading id="decommission-heading">Decommission {unit.name}?</PanelHeading>
      <p>
        The unit leaves service: no more transfers or leaks are recorded on it. It stays in the records with its
        history.
      </p>
      <FormErrors error={actionErrorOf(actionData)} shownFields={["reason", "date"]} />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="decommission" />
        <TextAreaField
          label="Reason"
          name="reason"
          rows={2}
          maxLength={500}
          hint="E.g. “Replaced by RTU-7” or “Retired: leak repair failed”."
          errors={fields.reason}
        />
        <TextField
          label="Date it left service"
          name="date"
          type="date"
          max={today}
          min={unit.installDate ?? undefined}
          defaultValue={today}
          errors={fields.date}
        />
        <div className="form-actions">
          <SubmitButton variant="danger" pendingLabel="Decommissioning…">
            Decommission unit
          </SubmitButton>
          <Link className="button button-secondary" to={`/o/${orgId}/units/${unit.id}`}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
