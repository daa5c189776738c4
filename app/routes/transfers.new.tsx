/**
 * The technician's quick transfer flow, phone first: what was done (three big buttons), the
 * cylinder (scan its QR label or pick it), the unit, the amount in lb + oz, the date of service
 * (now unless changed), "Record transfer" → the leak rate and "pending approval".
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { data, Form, Link, useActionData } from "react-router";
import { TRANSFER_KINDS } from "../../db/schema";
import { jobLabel } from "../../worker/field/shapes";
import { zodFields } from "../../worker/http/errors";
import { requireJob } from "../../worker/jobs/service";
import { can } from "../../worker/policy/permissions";
import { instantToZonedLocal, zonedLocalToInstant } from "../../worker/transfers/dates";
import { TransferCreateInput } from "../../worker/transfers/schemas";
import { createTransfer, transferChoices } from "../../worker/transfers/service";
import { formatDateTime } from "../components/datetime";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton, TextAreaField, TextField } from "../components/form";
import {
  amountFromLbOz,
  formatAmount,
  formatLb,
  KIND_ACTIONS,
  KIND_LABELS,
  type TransferKind,
} from "../components/transfers/format";
import { LeakRateCard } from "../components/transfers/LeakRateCard";
import { cylinderFromScan, ScanQrButton } from "../components/transfers/ScanQr";
import { SearchableSelect } from "../components/transfers/SearchableSelect";
import { type ActionError, formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/transfers/transfers.css";
import type { Route } from "./+types/transfers.new";

export const meta: Route.MetaFunction = () => [{ title: "Record a transfer · RefriTrak" }];

const isKind = (value: unknown): value is TransferKind => TRANSFER_KINDS.includes(value as TransferKind);

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "transfers:record");
  const url = new URL(request.url);
  const choices = await transferChoices(scope);
  const cylinderId = url.searchParams.get("cylinderId") ?? "";
  const unitId = url.searchParams.get("unitId") ?? "";
  // From a job page: the transfer is recorded on that job (one the user may see, else ignored).
  const jobId = url.searchParams.get("jobId");
  const job = jobId
    ? await requireJob(scope, jobId).then(
        (row) => ({ id: row.id, label: jobLabel(row.number), description: row.description }),
        () => null,
      )
    : null;
  const prefilledCylinder = choices.cylinders.find((cylinder) => cylinder.id === cylinderId);
  const askedKind = url.searchParams.get("kind");
  // A scanned recovery cylinder is most likely about to take a recovery.
  const kind: TransferKind = isKind(askedKind)
    ? askedKind
    : prefilledCylinder?.kind === "RECOVERY"
      ? "RECOVER"
      : "CHARGE";
  const timeZone = scope.user.timeZone;
  const nowLocal = instantToZonedLocal(new Date(), timeZone);
  return {
    orgId: scope.org.id,
    meId: scope.user.id,
    timeZone,
    nowLocal,
    maxLocal: `${nowLocal.slice(0, 10)}T23:59`,
    kind,
    cylinderId: prefilledCylinder ? cylinderId : "",
    unknownCylinder: cylinderId !== "" && !prefilledCylinder,
    unitId: choices.units.some((unit) => unit.id === unitId) ? unitId : "",
    job,
    units: choices.units,
    cylinders: choices.cylinders,
    technicians: can(scope.actor, "transfers:review", scope.org.id) ? choices.technicians : [],
  };
}

/** API field names → this form's field names (the amount is typed as pounds + ounces). */
function formFieldsOf(kind: TransferKind, fields: Record<string, string[]> = {}) {
  const renamed: Record<string, string[]> = {};
  const add = (key: string, messages: string[]) => {
    renamed[key] = [...(renamed[key] ?? []), ...messages];
  };
  for (const [key, messages] of Object.entries(fields)) {
    if (key === "amountLb") add("pounds", messages);
    else if (key === "fromCylinderId") add("cylinderId", messages);
    else if (key === "toCylinderId") add(kind === "RECOVER" ? "cylinderId" : "toCylinderId", messages);
    else add(key, messages);
  }
  return renamed;
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "transfers:record");
  const form = formObject(await request.formData());
  const kind = isKind(form.kind) ? form.kind : "CHARGE";
  // Problems only this form can have (lb + oz, a local date), reported with the schema's own.
  const own: Record<string, string[]> = {};
  if (!isKind(form.kind)) own.kind = ["Choose what you did: charge, recovery or cylinder to cylinder."];
  const amount = amountFromLbOz(String(form.pounds ?? ""), String(form.ounces ?? ""));
  if ("field" in amount) own[amount.field] = [amount.message];
  let performedAt: string | undefined;
  if (typeof form.performedAt === "string") {
    const instant = zonedLocalToInstant(form.performedAt, scope.user.timeZone);
    if (instant) performedAt = instant.toISOString();
    else own.performedAt = ["Enter the date and time of service."];
  }
  const cylinderId = form.cylinderId;
  const input: Record<string, unknown> = {
    kind,
    amountLb: "amountLb" in amount ? amount.amountLb : undefined,
    performedAt,
    technicianId: form.technicianId,
    jobId: form.jobId,
    notes: form.notes,
  };
  if (kind === "CHARGE") Object.assign(input, { unitId: form.unitId, fromCylinderId: cylinderId });
  if (kind === "RECOVER") Object.assign(input, { unitId: form.unitId, toCylinderId: cylinderId });
  if (kind === "CYLINDER_TO_CYLINDER")
    Object.assign(input, { fromCylinderId: cylinderId, toCylinderId: form.toCylinderId });
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];

  if (Object.keys(own).length > 0) {
    const parsed = TransferCreateInput.safeParse(input);
    const fields = { ...(parsed.success ? {} : formFieldsOf(kind, zodFields(parsed.error))), ...own };
    return data<ActionError>(
      { ok: false, error: { code: "VALIDATION_FAILED", message: "Some fields are missing or invalid.", fields } },
      { status: 400 },
    );
  }
  const result = await formAction(input, TransferCreateInput, (parsed) => createTransfer(scope, parsed));
  if ("result" in result) return result;
  const { error } = result.data;
  return data<ActionError>(
    { ok: false, error: { ...error, fields: formFieldsOf(kind, error.fields) } },
    result.init ?? undefined,
  );
}

type LoaderData = Route.ComponentProps["loaderData"];
type Cylinder = LoaderData["cylinders"][number];
type Unit = LoaderData["units"][number];

const cylinderLabel = (cylinder: Cylinder, kind: TransferKind, role: "from" | "to") =>
  [
    cylinder.tag,
    cylinder.refrigerant,
    role === "to" && (kind === "RECOVER" || cylinder.kind === "RECOVERY")
      ? `${formatLb(cylinder.netContentsLb)} in, room for ${formatLb(cylinder.roomLb)}`
      : formatLb(cylinder.netContentsLb),
    cylinder.kind === "VIRGIN" ? "Virgin" : cylinder.kind === "RECOVERY" ? "Recovery" : "Reclaimed",
    cylinder.mine ? "On my truck" : cylinder.holderLabel,
  ]
    .filter(Boolean)
    .join(" · ");

export default function NewTransfer({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const recorded = actionData && "result" in actionData && actionData.ok ? actionData.result : null;
  if (recorded) return <Recorded transfer={recorded} loaderData={loaderData} />;
  const { kind, cylinderId, unitId } = loaderData;
  return <TransferForm key={`${kind}:${cylinderId}:${unitId}`} loaderData={loaderData} actionData={actionData} />;
}

function TransferForm({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { orgId, units, cylinders, technicians, meId } = loaderData;
  const [kind, setKind] = useState<TransferKind>(loaderData.kind);
  const [cylinderId, setCylinderId] = useState(loaderData.cylinderId);
  const [toCylinderId, setToCylinderId] = useState("");
  const [unitId, setUnitId] = useState(loaderData.unitId);
  const [scanMessage, setScanMessage] = useState<string | null>(
    loaderData.unknownCylinder ? "That cylinder is not available for transfers (retired, sold or not found)." : null,
  );
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);

  const cylinder = cylinders.find((c) => c.id === cylinderId);
  const unit = units.find((u) => u.id === unitId);
  const usesUnit = kind !== "CYLINDER_TO_CYLINDER";

  // Each list offers what fits the other choices; the chosen value always stays listed.
  const cylinderOptions = useMemo(() => {
    const fits = (c: Cylinder) => {
      if (kind === "RECOVER")
        return c.kind === "RECOVERY" && c.roomLb > 0 && (!unit || c.refrigerant === unit.refrigerant);
      if (c.netContentsLb <= 0) return false;
      return kind !== "CHARGE" || !unit || c.refrigerant === unit.refrigerant;
    };
    // Charges usually come from virgin or reclaimed refrigerant: recovery cylinders go last.
    const ordered =
      kind === "CHARGE"
        ? [...cylinders].sort((a, b) => Number(a.kind === "RECOVERY") - Number(b.kind === "RECOVERY"))
        : cylinders;
    return ordered
      .filter((c) => c.id === cylinderId || fits(c))
      .map((c) => ({
        value: c.id,
        label: cylinderLabel(c, kind, kind === "RECOVER" ? "to" : "from"),
        keywords: c.holderLabel ?? "",
      }));
  }, [cylinders, kind, unit, cylinderId]);
  const toOptions = useMemo(
    () =>
      cylinders
        .filter(
          (c) =>
            c.id === toCylinderId ||
            (c.id !== cylinderId && c.roomLb > 0 && (!cylinder || c.refrigerant === cylinder.refrigerant)),
        )
        .map((c) => ({ value: c.id, label: cylinderLabel(c, kind, "to") })),
    [cylinders, cylinder, cylinderId, toCylinderId, kind],
  );
  const unitOptions = useMemo(
    () =>
      units
        .filter((u) => u.id === unitId || !cylinder || u.refrigerant === cylinder.refrigerant)
        .map((u: Unit) => ({
          value: u.id,
          label: [u.name, u.refrigerant, u.locationName].filter(Boolean).join(" · "),
        })),
    [units, cylinder, unitId],
  );

  const onScan = (raw: string) => {
    const found = cylinderFromScan(raw, orgId);
    if ("otherOrg" in found) return setScanMessage("That cylinder belongs to another organization.");
    const match =
      "id" in found
        ? cylinders.find((c) => c.id === found.id)
        : cylinders.find((c) => c.tag.toLowerCase() === found.tag.toLowerCase());
    if (!match) return setScanMessage("That cylinder is not available for transfers (retired, sold or not found).");
    setScanMessage(`Scanned ${match.tag}.`);
    if (match.kind === "RECOVERY" && kind === "CHARGE" && match.netContentsLb <= 0) setKind("RECOVER");
    setCylinderId(match.id);
  };

  const kindHint =
    kind === "CHARGE"
      ? "The cylinder the refrigerant came from."
      : kind === "RECOVER"
        ? "The recovery cylinder you filled (80% rule applies)."
        : "The cylinder you took refrigerant from.";

  return (
    <div className="page page-narrow quick-transfer">
      <div className="page-header">
        <div>
          <p className="eyebrow">Transfers</p>
          <h1 className="page-title">Record a transfer</h1>
        </div>
        <Link to={`/o/${orgId}/transfers`} className="button button-ghost button-small">
          All transfers
        </Link>
      </div>
      <Form method="post" className="form card" noValidate>
        <FormErrors
          error={error}
          shownFields={[
            "kind",
            "cylinderId",
            "toCylinderId",
            "unitId",
            "pounds",
            "ounces",
            "performedAt",
            "technicianId",
            "jobId",
            "notes",
          ]}
        />
        <fieldset className="kind-picker">
          <legend className="field-label">What did you do?</legend>
          <div className="kind-options">
            {TRANSFER_KINDS.map((value) => (
              <label key={value} className="kind-option">
                <input
                  type="radio"
                  name="kind"
                  value={value}
                  checked={kind === value}
                  onChange={() => setKind(value)}
                />
                <span className="kind-option-title">{KIND_ACTIONS[value].title}</span>
                <span className="kind-option-hint">{KIND_ACTIONS[value].hint}</span>
              </label>
            ))}
          </div>
          {fields.kind ? <p className="field-error">{fields.kind.join(" ")}</p> : null}
        </fieldset>

        <SearchableSelect
          label="Cylinder"
          name="cylinderId"
          options={cylinderOptions}
          value={cylinderId}
          onChange={(value) => {
            setCylinderId(value);
            setScanMessage(null);
          }}
          placeholder={cylinderOptions.length ? "Choose a cylinder…" : "No cylinder fits"}
          searchLabel="Search cylinders"
          hint={kindHint}
          errors={fields.cylinderId}
        >
          <ScanQrButton onScan={onScan} />
        </SearchableSelect>
        <p className="scan-message" role="status">
          {scanMessage}
        </p>

        {kind === "CYLINDER_TO_CYLINDER" ? (
          <SearchableSelect
            label="To cylinder"
            name="toCylinderId"
            options={toOptions}
            value={toCylinderId}
            onChange={setToCylinderId}
            placeholder="Choose the cylinder to fill…"
            searchLabel="Search cylinders to fill"
            errors={fields.toCylinderId}
          />
        ) : null}

        {usesUnit ? (
          <SearchableSelect
            label="Unit"
            name="unitId"
            options={unitOptions}
            value={unitId}
            onChange={setUnitId}
            placeholder={unitOptions.length ? "Choose a unit…" : "No unit fits"}
            searchLabel="Search units"
            hint={cylinder ? `Units running on ${cylinder.refrigerant}.` : "Units by name, refrigerant and site."}
            errors={fields.unitId}
          />
        ) : null}

        <fieldset className="amount-fields">
          <legend className="field-label">
            Amount {kind === "RECOVER" ? "recovered" : kind === "CHARGE" ? "added" : "moved"}
          </legend>
          <div className="amount-row">
            <TextField
              label="Pounds"
              name="pounds"
              inputMode="decimal"
              autoComplete="off"
              pattern="[0-9]*[.,]?[0-9]*"
              required={false}
              errors={fields.pounds}
            />
            <TextField
              label="Ounces"
              name="ounces"
              inputMode="decimal"
              autoComplete="off"
              pattern="[0-9]*[.,]?[0-9]*"
              required={false}
              errors={fields.ounces}
            />
          </div>
          {cylinder && kind !== "RECOVER" ? (
            <p className="field-hint">
              {cylinder.tag} holds {formatLb(cylinder.netContentsLb)}.
            </p>
          ) : null}
        </fieldset>

        <TextField
          label="Date of service"
          name="performedAt"
          type="datetime-local"
          defaultValue={loaderData.nowLocal}
          max={loaderData.maxLocal}
          hint={`Now, unless you change it. Times in ${loaderData.timeZone.replaceAll("_", " ")}.`}
          errors={fields.performedAt}
        />

        {technicians.length > 1 ? (
          <div className="field">
            <label className="field-label" htmlFor="technicianId">
              Technician
            </label>
            <select id="technicianId" name="technicianId" className="input" defaultValue={meId}>
              {technicians.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.id === meId ? `${person.name} (me)` : person.name}
                </option>
              ))}
            </select>
            {fields.technicianId ? <p className="field-error">{fields.technicianId.join(" ")}</p> : null}
          </div>
        ) : null}

        <details className="more-fields" open={Boolean(fields.jobId || fields.notes || loaderData.job)}>
          <summary>Add a job number or a note</summary>
          <div className="stack">
            {loaderData.job ? (
              <p>
                <input type="hidden" name="jobId" value={loaderData.job.id} />
                On job <strong>{loaderData.job.label}</strong>: {loaderData.job.description}
              </p>
            ) : (
              <TextField label="Job number" name="jobId" maxLength={64} required={false} errors={fields.jobId} />
            )}
            <TextAreaField
              label="Notes"
              name="notes"
              rows={3}
              maxLength={2000}
              required={false}
              errors={fields.notes}
            />
          </div>
        </details>

        <div className="form-actions">
          <SubmitButton className="button-large button-block" pendingLabel="Recording…">
            Record transfer
          </SubmitButton>
        </div>
      </Form>
    </div>
  );
}

type Recorded = Awaited<ReturnType<typeof createTransfer>>;

function Recorded({ transfer, loaderData }: { transfer: Recorded; loaderData: LoaderData }) {
  const { orgId, timeZone } = loaderData;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const cylinder = transfer.kind === "RECOVER" ? transfer.toCylinder : transfer.fromCylinder;
  const again = new URLSearchParams({ kind: transfer.kind });
  if (cylinder) again.set("cylinderId", cylinder.id);
  return (
    <div className="page page-narrow quick-transfer">
      <div className="page-header">
        <div>
          <p className="eyebrow">Transfers</p>
          <h1 className="page-title">Record a transfer</h1>
        </div>
      </div>
      <section className="stack" aria-labelledby="recorded-heading">
        <div className="card stack recorded-card">
          <h2 id="recorded-heading" ref={headingRef} tabIndex={-1} className="card-title">
            Transfer recorded
          </h2>
          <p>
            <span className="badge badge-amber">Pending approval</span> A manager reviews it next.
          </p>
          <dl className="kv">
            <dt>{KIND_LABELS[transfer.kind]}</dt>
            <dd>
              {formatAmount(transfer.amountLb)} of {transfer.refrigerant}
            </dd>
            {transfer.unit ? (
              <>
                <dt>Unit</dt>
                <dd>{transfer.unit.name}</dd>
              </>
            ) : null}
            {transfer.fromCylinder ? (
              <>
                <dt>From cylinder</dt>
                <dd>
                  {transfer.fromCylinder.tag} — now holds {formatLb(transfer.fromCylinder.netContentsLb)}
                </dd>
              </>
            ) : null}
            {transfer.toCylinder ? (
              <>
                <dt>Into cylinder</dt>
                <dd>
                  {transfer.toCylinder.tag} — now holds {formatLb(transfer.toCylinder.netContentsLb)}
                </dd>
              </>
            ) : null}
            <dt>Date of service</dt>
            <dd>{formatDateTime(transfer.performedAt, timeZone)}</dd>
          </dl>
        </div>
        {transfer.leakRate ? <LeakRateCard rate={transfer.leakRate} /> : null}
        <div className="cluster">
          <Link className="button button-primary button-large" to={`/o/${orgId}/transfers/new?${again}`}>
            Record another
          </Link>
          <Link className="button button-secondary" to={`/o/${orgId}/transfers/${transfer.id}`}>
            View transfer
          </Link>
        </div>
      </section>
    </div>
  );
}
