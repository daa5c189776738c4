/**
 * Leaks: open repair cases with their next deadline (overdue ones first, in red and saying
 * "Overdue"), filters, and the technician's "Report a leak" form.
 */
import { Form, Link, redirect } from "react-router";
import { LEAK_STATUSES } from "../../db/schema";
import { LEAK_STATUS_LABELS } from "../../worker/leaks/labels";
import { LeakListQuery, LeakReportInput } from "../../worker/leaks/schemas";
import { listLeaks, reportLeak } from "../../worker/leaks/service";
import { can } from "../../worker/policy/permissions";
import { instantToZonedLocal, zonedLocalToInstant } from "../../worker/transfers/dates";
import { activeUnits } from "../../worker/transfers/service";
import { formatDateTime } from "../components/datetime";
import {
  actionErrorOf,
  FormErrors,
  fieldErrorsOf,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "../components/form";
import { DETECTION_OPTIONS, LEAK_STATUS_TONES } from "../components/leaks/format";
import { useOrgShell } from "../components/org-shell";
import { formatUtcDay } from "../components/transfers/format";
import { SearchableSelect } from "../components/transfers/SearchableSelect";
import { type ActionError, asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/leaks/leaks.css";
import { useState } from "react";
import type { Route } from "./+types/leaks";

export const meta: Route.MetaFunction = () => [{ title: "Leaks · RefriTrak" }];

type StatusFilter = (typeof LEAK_STATUSES)[number] | "ACTIVE" | "ALL";

function readFilter(url: URL) {
  const status = url.searchParams.get("status") ?? "ACTIVE";
  const parsed = LeakListQuery.shape.status.safeParse(status);
  const unitId = url.searchParams.get("unitId") || undefined;
  return {
    status: (status === "ALL" ? "ALL" : parsed.success && parsed.data ? parsed.data : "ACTIVE") as StatusFilter,
    overdue: url.searchParams.get("overdue") === "true",
    unitId: unitId && LeakListQuery.shape.unitId.safeParse(unitId).success ? unitId : undefined,
  };
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "leaks:view");
  const url = new URL(request.url);
  const filter = readFilter(url);
  const canReport = can(scope.actor, "leaks:report", scope.org.id);
  const reporting = canReport && url.searchParams.has("report");
  const [leaks, units] = await Promise.all([
    asPageError(() =>
      listLeaks(scope, {
        status: filter.status === "ALL" ? undefined : filter.status,
        overdue: filter.overdue ? "true" : undefined,
        unitId: filter.unitId,
      }),
    ),
    canReport ? activeUnits(scope) : [],
  ]);
  return {
    orgId: scope.org.id,
    timeZone: scope.user.timeZone,
    filter,
    leaks,
    units,
    canReport,
    reporting,
    nowLocal: instantToZonedLocal(new Date(), scope.user.timeZone),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "leaks:report");
  const form = formObject(await request.formData(), { keepEmpty: ["locationOnUnit"] });
  if (typeof form.foundAt === "string") {
    const instant = zonedLocalToInstant(form.foundAt, scope.user.timeZone);
    if (!instant)
      return {
        ok: false,
        error: {
          code: "VALIDATION_FAILED",
          message: "Enter when the leak was found.",
          fields: { foundAt: ["Enter a date and time."] },
        },
      } satisfies ActionError;
    form.foundAt = instant.toISOString();
  }
  const result = await formAction(form, LeakReportInput, (input) => reportLeak(scope, input));
  if ("result" in result) throw redirect(`/o/${scope.org.id}/leaks/${result.result.id}?reported=1`);
  return result;
}

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: "ACTIVE", label: "Open cases" },
  { value: "ALL", label: "All cases" },
  ...LEAK_STATUSES.map((status) => ({ value: status, label: LEAK_STATUS_LABELS[status] })),
];

export default function Leaks({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, timeZone, filter, leaks, canReport, reporting } = loaderData;
  const { org } = useOrgShell();
  const overdueCount = leaks.filter((leak) => leak.overdue).length;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <p className="eyebrow">{org.name}</p>
          <h1 className="page-title">Leaks</h1>
          <p className="lede">Leak repairs and their EPA deadlines: repair, verification tests, retrofit plans.</p>
        </div>
        {canReport && !reporting ? (
          <Link
            to={`/o/${orgId}/leaks?report=1${filter.unitId ? `&unitId=${filter.unitId}` : ""}`}
            className="button button-primary button-large"
          >
            Report a leak
          </Link>
        ) : null}
      </div>

      {reporting ? <ReportForm loaderData={loaderData} actionData={actionData} /> : null}

      <Form method="get" className="card leak-filters" aria-label="Filter leaks">
        <div className="field">
          <label className="field-label" htmlFor="leak-status">
            Show
          </label>
          <select id="leak-status" name="status" className="input" defaultValue={filter.status} key={filter.status}>
            {STATUS_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-check">
          <input
            id="leak-overdue"
            type="checkbox"
            name="overdue"
            value="true"
            defaultChecked={filter.overdue}
            key={String(filter.overdue)}
          />
          <label htmlFor="leak-overdue" className="field-label">
            Overdue only
          </label>
        </div>
        {filter.unitId ? <input type="hidden" name="unitId" value={filter.unitId} /> : null}
        <div className="cluster">
          <button type="submit" className="button button-secondary">
            Filter
          </button>
          {filter.unitId || filter.overdue || filter.status !== "ACTIVE" ? (
            <Link to={`/o/${orgId}/leaks`}>Clear</Link>
          ) : null}
        </div>
      </Form>

      <p className="muted small section" role="status">
        {leaks.length === 1 ? "1 case" : `${leaks.length} cases`}
        {overdueCount > 0 ? `, ${overdueCount} overdue` : ""}
        {filter.unitId && leaks[0] ? ` on ${leaks[0].unit.name}` : ""}
      </p>
      {leaks.length === 0 ? (
        <p className="empty-state">{filter.overdue ? "Nothing is overdue." : "No leak cases here."}</p>
      ) : (
        <ul className="leak-list">
          {leaks.map((leak) => (
            <li key={leak.id} className={leak.overdue ? "leak-item leak-item-overdue" : "leak-item"}>
              <Link to={`/o/${orgId}/leaks/${leak.id}`} className="leak-title">
                {leak.unit.name}
                {leak.locationOnUnit ? ` — ${leak.locationOnUnit}` : ""}
              </Link>
              <div className="cluster">
                <span className={`badge ${LEAK_STATUS_TONES[leak.status]}`}>{leak.statusLabel}</span>
                {leak.overdue ? <span className="overdue-flag">Overdue</span> : null}
              </div>
              {leak.nextDeadline ? (
                <p className={leak.nextDeadline.overdue ? "deadline-overdue" : undefined}>
                  {leak.nextDeadline.overdue
                    ? `${leak.nextDeadline.label} was due ${formatUtcDay(leak.nextDeadline.dueAt)}`
                    : `${leak.nextDeadline.label} due ${formatUtcDay(leak.nextDeadline.dueAt)}`}
                </p>
              ) : null}
              <div className="leak-meta">
                <span>{leak.unit.locationName}</span>
                <span>
                  Found <time dateTime={leak.foundAt}>{formatDateTime(leak.foundAt, timeZone)}</time>
                </span>
                {leak.detectionLabel ? <span>{leak.detectionLabel}</span> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const REPORT_FIELDS = ["unitId", "foundAt", "locationOnUnit", "detectionMethod", "notes"];

function ReportForm({ loaderData, actionData }: Pick<Route.ComponentProps, "loaderData" | "actionData">) {
  const { orgId, units, filter, nowLocal, timeZone } = loaderData;
  const [unitId, setUnitId] = useState(filter.unitId ?? "");
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  return (
    <section className="card stack section" aria-labelledby="report-heading">
      <h2 id="report-heading" className="card-title">
        Report a leak
      </h2>
      <Form method="post" className="form" noValidate>
        <FormErrors error={error} shownFields={REPORT_FIELDS} />
        <SearchableSelect
          label="Unit"
          name="unitId"
          options={units.map((unit) => ({
            value: unit.id,
            label: [unit.name, unit.refrigerant, unit.locationName].filter(Boolean).join(" · "),
          }))}
          value={unitId}
          onChange={setUnitId}
          placeholder="Choose a unit…"
          searchLabel="Search units"
          errors={fields.unitId}
        />
        <TextField
          label="Found on"
          name="foundAt"
          type="datetime-local"
          defaultValue={nowLocal}
          max={`${nowLocal.slice(0, 10)}T23:59`}
          hint={`Times in ${timeZone.replaceAll("_", " ")}.`}
          errors={fields.foundAt}
        />
        <TextField
          label="Location on the unit"
          name="locationOnUnit"
          maxLength={200}
          placeholder="e.g. suction line braze joint"
          errors={fields.locationOnUnit}
        />
        <SelectField
          label="Detection method"
          name="detectionMethod"
          options={DETECTION_OPTIONS}
          placeholder="Choose how it was found…"
          defaultValue=""
          errors={fields.detectionMethod}
        />
        <TextAreaField label="Notes" name="notes" rows={3} maxLength={2000} required={false} errors={fields.notes} />
        <div className="form-actions">
          <SubmitButton pendingLabel="Reporting…">Report leak</SubmitButton>
          <Link to={`/o/${orgId}/leaks`} className="button button-secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
