/**
 * One transfer: every detail of the service record, how its leak rate was computed, and — for
 * those allowed — approve, reject, and void (with a reason; the record is kept).
 */
import { Form, Link } from "react-router";
import type { Permission } from "../../worker/policy/permissions";
import { TransferReviewInput, TransferVoidInput } from "../../worker/transfers/schemas";
import { approveTransfer, getTransfer, rejectTransfer, voidTransfer } from "../../worker/transfers/service";
import { formatDateTime } from "../components/datetime";
import {
  actionErrorOf,
  FormErrors,
  FormSuccess,
  fieldErrorsOf,
  SubmitButton,
  TextAreaField,
  TextField,
} from "../components/form";
import { useCan } from "../components/org-shell";
import {
  CERTIFICATION_LABELS,
  formatAmount,
  formatLb,
  KIND_LABELS,
  STATUS_LABELS,
  STATUS_TONES,
} from "../components/transfers/format";
import { LeakRateCard } from "../components/transfers/LeakRateCard";
import { asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/transfers/transfers.css";
import type { Route } from "./+types/transfers.$transferId";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${KIND_LABELS[loaderData.transfer.kind]} · Transfers · RefriTrak` : "Transfer · RefriTrak" },
];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "transfers:view");
  const transfer = await asPageError(() => getTransfer(scope, params.transferId));
  return { orgId: scope.org.id, timeZone: scope.user.timeZone, transfer };
}

const INTENTS: Record<string, Permission> = {
  approve: "transfers:review",
  reject: "transfers:review",
  void: "transfers:void",
};

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, INTENTS);
  const { intent: _intent, ...form } = formObject(formData, { keepEmpty: ["reason"] });
  const id = params.transferId;
  if (intent === "void") {
    const result = await formAction(form, TransferVoidInput, (input) => voidTransfer(scope, id, input));
    return "result" in result ? { ok: true as const, intent, result: result.result } : result;
  }
  const result = await formAction(form, TransferReviewInput, (input) =>
    intent === "approve" ? approveTransfer(scope, id, input) : rejectTransfer(scope, id, input),
  );
  return "result" in result ? { ok: true as const, intent, result: result.result } : result;
}

const DONE: Record<string, string> = {
  approve: "Transfer approved.",
  reject: "Transfer rejected: the cylinder contents were restored.",
  void: "Transfer voided. The record is kept, marked void.",
};

export default function TransferPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, timeZone, transfer } = loaderData;
  const allowed = useCan();
  const error = actionErrorOf(actionData);
  const fields = fieldErrorsOf(actionData);
  const done = actionData && "intent" in actionData ? DONE[actionData.intent] : null;
  const reviewable = transfer.status === "PENDING" && !transfer.voided;
  const cert = transfer.technician.certificationNumber
    ? `${transfer.technician.certificationNumber}${transfer.technician.certificationType ? ` (${CERTIFICATION_LABELS[transfer.technician.certificationType] ?? transfer.technician.certificationType})` : ""}`
    : null;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={`/o/${orgId}/transfers`}>Transfers</Link>
          </p>
          <h1 className="page-title">
            {KIND_LABELS[transfer.kind]} of {formatAmount(transfer.amountLb)} {transfer.refrigerant}
          </h1>
          <p className="cluster lede">
            <span className={`badge ${STATUS_TONES[transfer.status]}`}>{STATUS_LABELS[transfer.status]}</span>
            {transfer.voided ? <span className="badge badge-red">Voided</span> : null}
            <time dateTime={transfer.performedAt}>{formatDateTime(transfer.performedAt, timeZone)}</time>
          </p>
        </div>
      </div>

      <div role="status">{done ? <FormSuccess>{done}</FormSuccess> : null}</div>
      <FormErrors error={error} shownFields={["note", "reason"]} />

      {transfer.voided ? (
        <div className="alert alert-warning section" role="note">
          <p className="alert-title">Voided {formatDateTime(transfer.voided.at, timeZone)}</p>
          <p>
            By {transfer.voided.byName ?? "an admin"}: {transfer.voided.reason}
          </p>
          <p>A voided record is kept for the 3-year retention but no longer counts in leak rates.</p>
        </div>
      ) : null}

      <div className="transfer-layout section">
        <section className="card stack" aria-labelledby="record-heading">
          <h2 id="record-heading" className="card-title">
            Service record
          </h2>
          <dl className="kv">
            <dt>Kind</dt>
            <dd>{KIND_LABELS[transfer.kind]}</dd>
            <dt>Amount</dt>
            <dd>
              {formatAmount(transfer.amountLb)} of {transfer.refrigerant}
            </dd>
            <dt>Date of service</dt>
            <dd>{formatDateTime(transfer.performedAt, timeZone)}</dd>
            {transfer.unit ? (
              <>
                <dt>Unit</dt>
                <dd>
                  <Link to={`/o/${orgId}/units/${transfer.unit.id}`}>{transfer.unit.name}</Link> ·{" "}
                  {transfer.unit.refrigerant} · full charge {formatLb(transfer.unit.fullChargeLb)}
                  {transfer.unit.status !== "ACTIVE" ? " · decommissioned" : ""}
                </dd>
              </>
            ) : null}
            {transfer.fromCylinder ? (
              <>
                <dt>From cylinder</dt>
                <dd>
                  <Link to={`/o/${orgId}/cylinders/${transfer.fromCylinder.id}`}>{transfer.fromCylinder.tag}</Link> (
                  {transfer.fromCylinder.kind.toLowerCase()}, holds {formatLb(transfer.fromCylinder.netContentsLb)} now)
                </dd>
              </>
            ) : null}
            {transfer.toCylinder ? (
              <>
                <dt>Into cylinder</dt>
                <dd>
                  <Link to={`/o/${orgId}/cylinders/${transfer.toCylinder.id}`}>{transfer.toCylinder.tag}</Link> (
                  {transfer.toCylinder.kind.toLowerCase()}, holds {formatLb(transfer.toCylinder.netContentsLb)} now)
                </dd>
              </>
            ) : null}
            <dt>Technician</dt>
            <dd>{transfer.technician.name}</dd>
            <dt>608 certification (when recorded)</dt>
            <dd>{cert ?? <span className="badge badge-amber">None on file</span>}</dd>
            {transfer.jobId ? (
              <>
                <dt>Job</dt>
                <dd className="mono">{transfer.jobId}</dd>
              </>
            ) : null}
            {transfer.notes ? (
              <>
                <dt>Notes</dt>
                <dd>{transfer.notes}</dd>
              </>
            ) : null}
            <dt>Recorded</dt>
            <dd>{formatDateTime(transfer.createdAt, timeZone)}</dd>
            {transfer.review ? (
              <>
                <dt>{transfer.status === "APPROVED" ? "Approved" : "Rejected"}</dt>
                <dd>
                  {formatDateTime(transfer.review.at, timeZone)} by {transfer.review.byName}
                  {transfer.review.note ? ` — “${transfer.review.note}”` : ""}
                </dd>
              </>
            ) : null}
          </dl>
        </section>

        <div className="stack">
          {transfer.leakRate ? (
            <LeakRateCard rate={transfer.leakRate} pending={transfer.status === "PENDING" && !transfer.voided} />
          ) : null}
          {transfer.openedLeakId ? (
            <p className="alert alert-warning">
              Approving this charge opened a leak repair.{" "}
              <Link to={`/o/${orgId}/leaks/${transfer.openedLeakId}`}>Open the leak case</Link>
            </p>
          ) : null}

          {reviewable && allowed("transfers:review") ? (
            <section className="card stack" aria-labelledby="review-heading">
              <h2 id="review-heading" className="card-title">
                Review
              </h2>
              {transfer.leakRate?.exceeded ? (
                <p className="muted small">Approving opens a leak repair for the unit unless one is open.</p>
              ) : null}
              <Form method="post" className="form">
                <TextAreaField
                  label="Note"
                  name="note"
                  rows={2}
                  maxLength={500}
                  required={false}
                  errors={fields.note}
                />
                <div className="form-actions">
                  <SubmitButton name="intent" value="approve" pendingLabel="Saving…">
                    Approve
                  </SubmitButton>
                  <SubmitButton name="intent" value="reject" variant="secondary" pendingLabel="Saving…">
                    Reject
                  </SubmitButton>
                </div>
              </Form>
            </section>
          ) : null}

          {!transfer.voided && allowed("transfers:void") ? (
            <details className="card danger-zone" open={Boolean(fields.reason)}>
              <summary>Void this record</summary>
              <Form method="post" className="form stack">
                <p className="muted small">
                  A void keeps the record, marked void with your reason.
                  {transfer.status !== "REJECTED" ? " The cylinder contents are restored." : ""}
                </p>
                <TextField label="Reason" name="reason" maxLength={500} minLength={3} errors={fields.reason} />
                <div className="form-actions">
                  <SubmitButton name="intent" value="void" variant="danger" pendingLabel="Voiding…">
                    Void transfer
                  </SubmitButton>
                </div>
              </Form>
            </details>
          ) : null}
        </div>
      </div>
    </div>
  );
}
