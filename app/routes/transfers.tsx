/**
 * Transfers: the manager's approval queue (for reviewers) and every transfer, with filters.
 */
import { data, Form, Link } from "react-router";
import { z } from "zod";
import { TRANSFER_KINDS, TRANSFER_STATUSES } from "../../db/schema";
import { can } from "../../worker/policy/permissions";
import { TransferListQuery, TransferReviewInput } from "../../worker/transfers/schemas";
import { approveTransfer, listTransfers, orgTechnicians, rejectTransfer } from "../../worker/transfers/service";
import { FilterSelect } from "../components/form";
import { useCan, useOrgShell } from "../components/org-shell";
import { KIND_LABELS, STATUS_LABELS } from "../components/transfers/format";
import { TransferRow } from "../components/transfers/TransferRow";
import { asPageError, formAction, pageOrgScope } from "../lib/server";
import "../components/transfers/transfers.css";
import type { Route } from "./+types/transfers";

export const meta: Route.MetaFunction = () => [{ title: "Transfers · RefriTrak" }];

const FILTER_KEYS = ["status", "kind", "technicianId", "unitId", "cylinderId", "from", "to"] as const;
const Filter = TransferListQuery.pick({
  status: true,
  kind: true,
  technicianId: true,
  unitId: true,
  cylinderId: true,
  from: true,
  to: true,
});
type Filter = z.infer<typeof Filter>;

/** The URL's filters; a malformed one is dropped rather than failing the page. */
function readFilter(url: URL): Filter {
  const filter: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = url.searchParams.get(key);
    if (!value) continue;
    const parsed = Filter.shape[key].safeParse(value);
    if (parsed.success && parsed.data) filter[key] = value;
  }
  return filter as Filter;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "transfers:view");
  const filter = readFilter(new URL(request.url));
  const canReview = can(scope.actor, "transfers:review", scope.org.id);
  const [pending, list, technicians] = await Promise.all([
    canReview ? asPageError(() => listTransfers(scope, { status: "PENDING", voided: "false", limit: 200 })) : [],
    asPageError(() => listTransfers(scope, { ...filter, limit: 100 })),
    orgTechnicians(scope),
  ]);
  const unitName = filter.unitId ? list.find((t) => t.unit?.id === filter.unitId)?.unit?.name : undefined;
  const cylinderTag = filter.cylinderId
    ? [...list.map((t) => t.fromCylinder), ...list.map((t) => t.toCylinder)].find((c) => c?.id === filter.cylinderId)
        ?.tag
    : undefined;
  return {
    orgId: scope.org.id,
    timeZone: scope.user.timeZone,
    filter,
    pending,
    list,
    technicians,
    unitName: unitName ?? null,
    cylinderTag: cylinderTag ?? null,
  };
}

const ReviewForm = z.object({ intent: z.enum(["approve", "reject"]), transferId: z.string().min(1).max(64) });

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "transfers:review");
  const form = Object.fromEntries(await request.formData());
  const parsed = ReviewForm.safeParse(form);
  if (!parsed.success) throw data({ error: { code: "BAD_REQUEST", message: "Unknown action." } }, { status: 400 });
  const { intent, transferId } = parsed.data;
  return formAction({}, TransferReviewInput, (input) =>
    intent === "approve" ? approveTransfer(scope, transferId, input) : rejectTransfer(scope, transferId, input),
  );
}

function hrefWith(orgId: string, filter: Filter, drop: keyof Filter) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (key !== drop && filter[key]) params.set(key, String(filter[key]));
  const query = params.toString();
  return `/o/${orgId}/transfers${query ? `?${query}` : ""}`;
}

export default function Transfers({ loaderData }: Route.ComponentProps) {
  const { orgId, timeZone, filter, pending, list, technicians, unitName, cylinderTag } = loaderData;
  const allowed = useCan();
  const { org } = useOrgShell();
  const filtered = FILTER_KEYS.some((key) => filter[key]);
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <p className="eyebrow">{org.name}</p>
          <h1 className="page-title">Transfers</h1>
          <p className="lede">Refrigerant charged into units, recovered from them and moved between cylinders.</p>
        </div>
        {allowed("transfers:record") ? (
          <Link to={`/o/${orgId}/transfers/new`} className="button button-primary button-large">
            Record transfer
          </Link>
        ) : null}
      </div>

      {allowed("transfers:review") ? (
        <section className="section" aria-labelledby="pending-heading">
          <div className="section-title">
            <h2 id="pending-heading">Pending approval</h2>
            <span className="badge badge-amber">{pending.length}</span>
          </div>
          {pending.length === 0 ? (
            <p className="empty-state">Nothing waits for approval.</p>
          ) : (
            <ul className="transfer-list">
              {pending.map((transfer) => (
                <TransferRow key={transfer.id} transfer={transfer} orgId={orgId} timeZone={timeZone} review />
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <section className="section" aria-labelledby="all-heading">
        <div className="section-title">
          <h2 id="all-heading">All transfers</h2>
        </div>
        <Form method="get" className="card transfer-filters" aria-label="Filter transfers">
          <FilterSelect
            id="filter-status"
            name="status"
            label="Status"
            value={filter.status}
            all="Any status"
            options={TRANSFER_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))}
          />
          <FilterSelect
            id="filter-kind"
            name="kind"
            label="Kind"
            value={filter.kind}
            all="Any kind"
            options={TRANSFER_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
          />
          <FilterSelect
            id="filter-technician"
            name="technicianId"
            label="Technician"
            value={filter.technicianId}
            all="Anyone"
            options={technicians.map((person) => ({ value: person.id, label: person.name }))}
          />
          <div className="field">
            <label className="field-label" htmlFor="filter-from">
              From
            </label>
            <input
              id="filter-from"
              type="date"
              name="from"
              className="input"
              defaultValue={filter.from?.slice(0, 10) ?? ""}
              key={filter.from}
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="filter-to">
              To
            </label>
            <input
              id="filter-to"
              type="date"
              name="to"
              className="input"
              defaultValue={filter.to?.slice(0, 10) ?? ""}
              key={filter.to}
            />
          </div>
          {filter.unitId ? <input type="hidden" name="unitId" value={filter.unitId} /> : null}
          {filter.cylinderId ? <input type="hidden" name="cylinderId" value={filter.cylinderId} /> : null}
          <div className="cluster">
            <button type="submit" className="button button-secondary">
              Filter
            </button>
            {filtered ? <Link to={`/o/${orgId}/transfers`}>Clear</Link> : null}
          </div>
        </Form>
        {filter.unitId || filter.cylinderId ? (
          <p className="cluster section">
            {filter.unitId ? (
              <span className="badge filter-chip">
                Unit: {unitName ?? "this unit"}
                <Link to={hrefWith(orgId, filter, "unitId")} aria-label="Remove the unit filter">
                  ✕
                </Link>
              </span>
            ) : null}
            {filter.cylinderId ? (
              <span className="badge filter-chip">
                Cylinder: {cylinderTag ?? "this cylinder"}
                <Link to={hrefWith(orgId, filter, "cylinderId")} aria-label="Remove the cylinder filter">
                  ✕
                </Link>
              </span>
            ) : null}
          </p>
        ) : null}
        <p className="muted small section" role="status">
          {list.length === 1 ? "1 transfer" : `${list.length} transfers`}
          {list.length === 100 ? " (the newest 100; narrow the filters to see older ones)" : ""}
        </p>
        {list.length === 0 ? (
          <p className="empty-state">
            {filtered ? "No transfer matches these filters." : "No transfers recorded yet."}
          </p>
        ) : (
          <ul className="transfer-list">
            {list.map((transfer) => (
              <TransferRow key={transfer.id} transfer={transfer} orgId={orgId} timeZone={timeZone} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
