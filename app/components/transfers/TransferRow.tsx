import { Link, useFetcher } from "react-router";
import type { TransferView } from "../../../worker/transfers/service";
import { formatDateTime } from "../datetime";
import { actionErrorOf } from "../form";
import { formatAmount, KIND_LABELS, STATUS_LABELS, STATUS_TONES, transferSummary } from "./format";

const pct = (value: number) => `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value)}%`;

export function LeakRateBadge({ rate }: { rate: TransferView["leakRate"] }) {
  if (!rate) return null;
  const tone = rate.exceeded ? "badge-red" : rate.alert ? "badge-amber" : "badge-green";
  const words = rate.exceeded ? "over threshold" : rate.alert ? "alert" : "OK";
  return (
    <span className={`badge ${tone}`}>
      Leak rate {pct(rate.percent)} ({words})
    </span>
  );
}

/** One transfer in a list; with `review`, its Approve and Reject buttons (named after the transfer). */
export function TransferRow({
  transfer,
  orgId,
  timeZone,
  review = false,
}: {
  transfer: TransferView;
  orgId: string;
  timeZone: string;
  review?: boolean;
}) {
  const fetcher = useFetcher();
  const summary = transferSummary(transfer);
  const busy = fetcher.state !== "idle";
  const error = actionErrorOf(fetcher.data);
  const where =
    transfer.kind === "CYLINDER_TO_CYLINDER"
      ? `${transfer.fromCylinder?.tag ?? "?"} → ${transfer.toCylinder?.tag ?? "?"}`
      : transfer.kind === "CHARGE"
        ? `${transfer.fromCylinder?.tag ?? "?"} → ${transfer.unit?.name ?? "?"}`
        : `${transfer.unit?.name ?? "?"} → ${transfer.toCylinder?.tag ?? "?"}`;
  return (
    <li className={transfer.voided ? "transfer-item transfer-item-voided" : "transfer-item"}>
      <div className="stack-sm">
        <Link to={`/o/${orgId}/transfers/${transfer.id}`} className="transfer-title">
          {KIND_LABELS[transfer.kind]} · {formatAmount(transfer.amountLb)} {transfer.refrigerant} · {where}
        </Link>
        <div className="transfer-meta">
          <time dateTime={transfer.performedAt}>{formatDateTime(transfer.performedAt, timeZone)}</time>
          <span>{transfer.technician.name}</span>
        </div>
        <div className="cluster">
          <span className={`badge ${STATUS_TONES[transfer.status]}`}>{STATUS_LABELS[transfer.status]}</span>
          {transfer.voided ? <span className="badge badge-red">Voided</span> : null}
          <LeakRateBadge rate={transfer.leakRate} />
        </div>
        {error ? (
          <p className="field-error" role="alert">
            {error.message}
          </p>
        ) : null}
      </div>
      {review ? (
        <fetcher.Form method="post" className="transfer-actions">
          <input type="hidden" name="transferId" value={transfer.id} />
          <button
            type="submit"
            name="intent"
            value="approve"
            className="button button-primary"
            aria-label={`Approve transfer: ${summary}`}
            aria-disabled={busy || undefined}
            onClick={(event) => busy && event.preventDefault()}
          >
            Approve
          </button>
          <button
            type="submit"
            name="intent"
            value="reject"
            className="button button-secondary"
            aria-label={`Reject transfer: ${summary}`}
            aria-disabled={busy || undefined}
            onClick={(event) => busy && event.preventDefault()}
          >
            Reject
          </button>
        </fetcher.Form>
      ) : null}
    </li>
  );
}
