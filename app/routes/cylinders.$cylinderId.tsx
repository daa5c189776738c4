import { Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { customerChoices, getCustomer } from "../../worker/customers/service";
import { isOutOfService, todayIn } from "../../worker/cylinders/rules";
import { CylinderMoveInput, CylinderPatchInput, CylinderSellInput } from "../../worker/cylinders/schemas";
import {
  deleteCylinder,
  getCylinder,
  holderChoices,
  listMoves,
  moveCylinder,
  sellCylinder,
  updateCylinder,
} from "../../worker/cylinders/service";
import { HttpError } from "../../worker/http/errors";
import type { OrgScope } from "../../worker/policy/guards";
import { can, type Permission } from "../../worker/policy/permissions";
import { ContentsGauge } from "../components/cylinders/ContentsGauge";
import { decodeHolder, encodeHolder, holderOptions, withNumbers } from "../components/cylinders/holder";
import {
  type CylinderStatus,
  formatDay,
  formatLb,
  KIND_HINTS,
  KIND_LABELS,
  STATUS_LABELS,
  statusOptions,
} from "../components/cylinders/labels";
import { formatPrice, PriceDollars, priceInput } from "../components/cylinders/price";
import { SellPanel } from "../components/cylinders/SellPanel";
import { CylinderStatusBadge, HydroDue } from "../components/cylinders/StatusBadge";
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
import { friendlyErrors } from "../components/organization/errors";
import { ConfirmPanel, PanelHeading } from "../components/organization/panel";
import { asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/cylinders/cylinders.css";
import type { Route } from "./+types/cylinders.$cylinderId";

const NOTICES: Record<string, string> = {
  created: "Cylinder added.",
  moved: "Cylinder moved.",
  saved: "Changes saved.",
  sold: "Cylinder sold.",
  status: "Status changed.",
};

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "cylinders:view-for-sale");
  const { actor, org } = scope;
  const url = new URL(request.url);
  const [cylinder, moves] = await asPageError(() =>
    Promise.all([getCylinder(scope, params.cylinderId), listMoves(scope, params.cylinderId)]),
  );
  const canMove = can(actor, "cylinders:move", org.id);
  const canEdit = can(actor, "cylinders:edit", org.id);
  const canDelete = can(actor, "records:delete", org.id);
  const canSell = canEdit && cylinder.status === "FOR_SALE";
  const [holders, customers, buyer] = await Promise.all([
    canMove ? holderChoices(scope) : null,
    canSell ? customerChoices(scope) : null,
    cylinder.status === "SOLD" && cylinder.soldToCustomerId ? buyerOf(scope, cylinder.soldToCustomerId) : null,
  ]);
  const tz = scope.user.timeZone;
  const notice = [...url.searchParams.keys()].map((key) => NOTICES[key]).find(Boolean) ?? null;
  return {
    orgId: org.id,
    meId: scope.user.id,
    meOnList: holders?.people.some((person) => person.id === scope.user.id) ?? false,
    today: todayIn(org.timeZone),
    cylinder: {
      ...cylinder,
      hydroTestDay: formatDay(cylinder.hydroTestDate),
      hydroDueDay: formatDay(cylinder.hydro.dueDate),
      created: formatDateTime(cylinder.createdAt, tz),
      sold: cylinder.soldAt ? formatDateTime(cylinder.soldAt, tz) : null,
    },
    buyer,
    customers,
    moves: moves.map((move) => ({ ...move, when: formatDateTime(move.movedAt, tz) })),
    canMove,
    canEdit,
    canSell,
    canDelete,
    holders,
    panel: (() => {
      const wanted = url.searchParams.get("panel");
      if (wanted === "edit" && canEdit) return "edit" as const;
      if (wanted === "retire" && canEdit && cylinder.status !== "RETIRED") return "retire" as const;
      if (wanted === "delete" && canDelete) return "delete" as const;
      return null;
    })(),
    notice,
  };
}

/** The buyer's name for the sold cylinder's page; a customer no longer on file shows without one. */
async function buyerOf(scope: OrgScope, customerId: string) {
  try {
    const customer = await getCustomer(scope, customerId);
    return { id: customer.id, name: customer.name };
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return null;
    throw error;
  }
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `Cylinder ${loaderData.cylinder.tag} · RefriTrak` : "Cylinder · RefriTrak" },
];

const INTENT_PERMISSION: Record<string, Permission> = {
  move: "cylinders:move",
  edit: "cylinders:edit",
  status: "cylinders:edit",
  retire: "cylinders:edit",
  sell: "cylinders:edit",
  delete: "records:delete",
};
const NoInput = z.strictObject({});
/** The edit form takes the price in dollars ("price"); the service takes cents. */
const EditInput = CylinderPatchInput.omit({ priceCents: true }).extend({ price: PriceDollars.optional() });

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, INTENT_PERMISSION);
  const id = params.cylinderId;
  const page = `/o/${scope.org.id}/cylinders/${id}`;
  const { intent: _intent, ...form } = formObject(formData, { keepEmpty: ["hydroTestDate", "tag", "price"] });

  if (intent === "move") {
    const body = { ...form, to: decodeHolder(form.to) };
    const result = await formAction(body, CylinderMoveInput, (input) => moveCylinder(scope, id, input));
    if (!("result" in result)) return result;
    throw redirect(`${page}?moved=1`);
  }
  if (intent === "edit") {
    const body = withNumbers(form, ["tareWeightLb", "waterCapacityLb"]);
    if (body.hydroTestDate === "") body.hydroTestDate = null;
    const result = await formAction(body, EditInput, ({ price, ...input }) =>
      updateCylinder(scope, id, { ...input, priceCents: price }),
    );
    if (!("result" in result)) return result;
    throw redirect(`${page}?saved=1`);
  }
  if (intent === "sell") {
    const result = await formAction(form, CylinderSellInput, (input) => sellCylinder(scope, id, input));
    if (!("result" in result)) return result;
    throw redirect(`${page}?sold=1`);
  }
  if (intent === "status" || intent === "retire") {
    const body = intent === "retire" ? { ...form, status: "RETIRED" } : form;
    const result = await formAction(body, CylinderPatchInput, (input) => updateCylinder(scope, id, input));
    if (!("result" in result)) return result;
    throw redirect(`${page}?status=1`);
  }
  const result = await formAction({}, NoInput, () => deleteCylinder(scope, id));
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/cylinders?deleted=1`);
}

type LoaderData = Route.ComponentProps["loaderData"];

export default function CylinderPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, cylinder, moves, canMove, canEdit, canSell, canDelete, panel, notice, buyer, customers } = loaderData;
  const page = `/o/${orgId}/cylinders/${cylinder.id}`;
  const outOfService = cylinder.status === "SOLD" || cylinder.status === "RETIRED";
  const error = actionErrorOf(actionData);

  return (
    <div className="page stack cyl-page">
      <nav aria-label="Breadcrumb" className="small">
        <Link to={`/o/${orgId}/cylinders`}>← Cylinders</Link>
      </nav>
      <header className="page-header">
        <div>
          <p className="eyebrow">
            {KIND_LABELS[cylinder.kind]} cylinder · {cylinder.refrigerant}
          </p>
          <h1 className="page-title cyl-title">{cylinder.tag}</h1>
          <div className="cluster cyl-badges">
            <CylinderStatusBadge status={cylinder.status as CylinderStatus} />
            {cylinder.hydro.overdue ? <span className="badge badge-red">Hydro test overdue</span> : null}
          </div>
        </div>
        <Link className="button button-secondary" to={`${page}/label`}>
          QR label
        </Link>
      </header>

      <div role="status" className="cyl-notice">
        {notice ? <p className="alert alert-success">{notice}</p> : null}
      </div>
      {panel === null ? <FormErrors error={error} shownFields={canSell ? ["customerId"] : []} /> : null}

      {canSell && customers && panel === null ? (
        <SellPanel orgId={orgId} priceCents={cylinder.priceCents} customers={customers} actionData={actionData} />
      ) : null}

      {canMove ? <MovePanel loaderData={loaderData} actionData={actionData} outOfService={outOfService} /> : null}

      <section className="card stack-sm" aria-labelledby="contents-heading">
        <h2 id="contents-heading">Contents</h2>
        <ContentsGauge
          kind={cylinder.kind}
          netContentsLb={cylinder.netContentsLb}
          waterCapacityLb={cylinder.waterCapacityLb}
          fill={cylinder.fill}
        />
        <p className="muted small">
          Expected on the scale: {formatLb(cylinder.grossWeightLb)} (tare {formatLb(cylinder.tareWeightLb)} + contents).
          Contents change through refrigerant transfers.
        </p>
      </section>

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="kv">
          <dt>Where</dt>
          <dd>
            {cylinder.holder.type === "TECHNICIAN" ? "Truck · " : cylinder.holder.type === "SITE" ? "Site · " : ""}
            {cylinder.holder.name}
            {cylinder.holder.city ? `, ${cylinder.holder.city}` : ""}
          </dd>
          <dt>Refrigerant</dt>
          <dd>
            {cylinder.refrigerant}
            {cylinder.refrigerantInfo ? (
              <span className="muted">
                {" "}
                · GWP {cylinder.refrigerantInfo.gwp}
                {cylinder.refrigerantInfo.ods ? " · ozone-depleting" : ""} · {cylinder.refrigerantInfo.family} · safety
                class {cylinder.refrigerantInfo.safetyClass}
              </span>
            ) : null}
          </dd>
          <dt>Kind</dt>
          <dd>
            {KIND_LABELS[cylinder.kind]} <span className="muted">· {KIND_HINTS[cylinder.kind]}</span>
          </dd>
          {cylinder.status === "SOLD" ? (
            <>
              <dt>Sold to</dt>
              <dd>
                {buyer ? (
                  <Link to={`/o/${orgId}/customers/${buyer.id}`}>{buyer.name}</Link>
                ) : (
                  <span className="muted">Not recorded</span>
                )}
              </dd>
              <dt>Sold on</dt>
              <dd>
                {cylinder.soldAt ? (
                  <time dateTime={cylinder.soldAt}>{cylinder.sold}</time>
                ) : (
                  <span className="muted">Not recorded</span>
                )}
              </dd>
            </>
          ) : null}
          <dt>{cylinder.status === "SOLD" ? "Asking price" : "Price"}</dt>
          <dd>
            {cylinder.priceCents == null ? (
              <span className="muted">Not set</span>
            ) : (
              <span className="cyl-price">{formatPrice(cylinder.priceCents)}</span>
            )}
          </dd>
          <dt>Tare weight</dt>
          <dd>{formatLb(cylinder.tareWeightLb)}</dd>
          <dt>Water capacity</dt>
          <dd>{formatLb(cylinder.waterCapacityLb)}</dd>
          <dt>Hydrostatic test</dt>
          <dd>
            {cylinder.hydroTestDate ? (
              <time dateTime={cylinder.hydroTestDate}>{cylinder.hydroTestDay}</time>
            ) : (
              "Not recorded"
            )}
          </dd>
          <dt>Retest due</dt>
          <dd>
            <HydroDue hydro={cylinder.hydro} formatted={cylinder.hydroDueDay} />
          </dd>
          <dt>Added</dt>
          <dd>
            <time dateTime={cylinder.createdAt}>{cylinder.created}</time>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Movement history</h2>
        {moves.length === 0 ? (
          <p className="empty-state">No moves yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table table-stack">
              <caption className="visually-hidden">Every move and status change, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Where</th>
                  <th scope="col">Status</th>
                  <th scope="col">By</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {moves.map((move) => (
                  <tr key={move.id}>
                    <th scope="row" data-label="When">
                      <time dateTime={move.movedAt}>{move.when}</time>
                    </th>
                    <td data-label="Where">
                      {move.from && !samePlace(move.from, move.to) ? `${move.from.name ?? "?"} → ` : ""}
                      {move.to.name}
                    </td>
                    <td data-label="Status">
                      {move.fromStatus && move.fromStatus !== move.toStatus
                        ? `${STATUS_LABELS[move.fromStatus as CylinderStatus]} → `
                        : ""}
                      {STATUS_LABELS[move.toStatus as CylinderStatus]}
                    </td>
                    <td data-label="By">{move.movedBy.name}</td>
                    <td data-label="Note">{move.note ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {canEdit || canDelete ? (
        <section className="card stack" aria-labelledby="manage-heading">
          <h2 id="manage-heading">Manage</h2>
          {panel === "edit" ? <EditPanel loaderData={loaderData} actionData={actionData} /> : null}
          {panel === "retire" ? (
            <ConfirmPanel
              id="retire-heading"
              title={`Retire ${cylinder.tag}?`}
              intent="retire"
              action="Retire cylinder"
              close={page}
              actionData={actionData}
              className="cyl-panel cyl-danger"
              shownFields={["note"]}
              fields={
                <TextAreaField
                  label="Reason"
                  name="note"
                  rows={2}
                  required={false}
                  maxLength={500}
                  errors={friendlyErrors(fieldErrorsOf(actionData)).note}
                />
              }
            >
              A retired cylinder leaves service: it can no longer be moved, and stays in the inventory with its history.
            </ConfirmPanel>
          ) : null}
          {panel === "delete" ? (
            <ConfirmPanel
              id="delete-heading"
              title={`Delete ${cylinder.tag}?`}
              intent="delete"
              action="Delete cylinder"
              close={page}
              actionData={actionData}
              className="cyl-panel cyl-danger"
            >
              The cylinder disappears from the inventory. Its transfers and history are kept for the records, and its
              tag stays reserved.
            </ConfirmPanel>
          ) : null}
          {panel === null ? (
            <>
              {canEdit ? <StatusForm loaderData={loaderData} /> : null}
              <div className="cluster">
                {canEdit ? (
                  <Link className="button button-secondary" to={`${page}?panel=edit`}>
                    Edit details
                  </Link>
                ) : null}
                {canEdit && cylinder.status !== "RETIRED" ? (
                  <Link className="button button-secondary" to={`${page}?panel=retire`}>
                    Retire
                  </Link>
                ) : null}
                {canDelete ? (
                  <Link className="button button-danger" to={`${page}?panel=delete`}>
                    Delete
                  </Link>
                ) : null}
              </div>
            </>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

const samePlace = (
  a: { type: string; userId: string | null; locationId: string | null },
  b: { type: string; userId: string | null; locationId: string | null },
) => a.type === b.type && a.userId === b.userId && a.locationId === b.locationId;

/** Moving, phone first: one tap to put it on my truck or back in the warehouse; anywhere else with the select. */
function MovePanel({
  loaderData,
  actionData,
  outOfService,
}: {
  loaderData: LoaderData;
  actionData: unknown;
  outOfService: boolean;
}) {
  const { cylinder, holders, meId, meOnList } = loaderData;
  const navigation = useNavigation();
  const moving = navigation.state === "submitting" && navigation.formData?.get("intent") === "move";
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  const destinationErrors = Object.entries(fields).flatMap(([key, list]) => (key.startsWith("to") ? (list ?? []) : []));
  const onMyTruck = cylinder.holder.type === "TECHNICIAN" && cylinder.holder.userId === meId;
  const inWarehouse = cylinder.holder.type === "WAREHOUSE";
  const current = encodeHolder(cylinder.holder);
  const options = holders ? holderOptions(holders, { meId }).filter((option) => option.value !== current) : [];

  if (outOfService) {
    return (
      <section className="card" aria-labelledby="move-heading">
        <h2 id="move-heading">Move</h2>
        <p className="muted">
          {cylinder.status === "SOLD" ? "A sold" : "A retired"} cylinder stays where it is; a manager can change its
          status first.
        </p>
      </section>
    );
  }
  return (
    <section className="card stack-sm cyl-move" aria-labelledby="move-heading">
      <h2 id="move-heading">Move</h2>
      {meOnList && !onMyTruck ? (
        <Form method="post">
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="to" value={`TECHNICIAN:${meId}`} />
          <SubmitButton className="button-large button-block" pending={moving} pendingLabel="Moving…">
            Put on my truck
          </SubmitButton>
        </Form>
      ) : null}
      {!inWarehouse ? (
        <Form method="post">
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="to" value="WAREHOUSE" />
          <SubmitButton
            variant={meOnList && !onMyTruck ? "secondary" : "primary"}
            className="button-large button-block"
            pending={moving}
            pendingLabel="Moving…"
          >
            Return to warehouse
          </SubmitButton>
        </Form>
      ) : null}
      <details className="cyl-move-more" open={destinationErrors.length > 0 || undefined}>
        <summary>Move somewhere else</summary>
        {/* Keyed by the latest move, so the form starts empty again after each move. */}
        <Form method="post" className="form" key={loaderData.moves[0]?.id}>
          <input type="hidden" name="intent" value="move" />
          <SelectField
            label="Move to"
            name="to"
            placeholder="Choose where…"
            defaultValue=""
            options={options}
            errors={destinationErrors.length ? destinationErrors : undefined}
          />
          <TextField label="Note" name="note" required={false} maxLength={500} />
          <div className="form-actions">
            <SubmitButton variant="secondary" pending={moving} pendingLabel="Moving…">
              Move
            </SubmitButton>
          </div>
        </Form>
      </details>
    </section>
  );
}

function StatusForm({ loaderData }: { loaderData: LoaderData }) {
  const { cylinder } = loaderData;
  const navigation = useNavigation();
  // Selling goes through "Mark sold", which records the buyer.
  const choices = (["IN_STOCK", "EMPTY", "FOR_SALE"] as const).filter((status) => status !== cylinder.status);
  return (
    <div className="stack-sm">
      {cylinder.status !== "FOR_SALE" && !isOutOfService(cylinder.status) ? (
        <Form method="post">
          <input type="hidden" name="intent" value="status" />
          <input type="hidden" name="status" value="FOR_SALE" />
          <SubmitButton
            variant="primary"
            pending={navigation.state === "submitting" && navigation.formData?.get("status") === "FOR_SALE"}
            pendingLabel="Marking…"
          >
            Mark for sale
          </SubmitButton>
        </Form>
      ) : null}
      <Form method="post" className="form cyl-status-form">
        <input type="hidden" name="intent" value="status" />
        <SelectField
          label="Change status"
          name="status"
          placeholder="Choose a status…"
          defaultValue=""
          options={statusOptions(choices)}
          hint={
            cylinder.holder.type === "TECHNICIAN"
              ? "Assigned follows the cylinder onto a truck: use Move for that."
              : "Assigned is set by moving the cylinder onto a truck."
          }
        />
        <TextField label="Note" name="note" required={false} maxLength={500} />
        <div className="form-actions">
          <SubmitButton variant="secondary">Change status</SubmitButton>
        </div>
      </Form>
    </div>
  );
}

function EditPanel({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { cylinder, orgId, today } = loaderData;
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="stack cyl-panel" aria-labelledby="edit-heading">
      <PanelHeading id="edit-heading">Edit {cylinder.tag}</PanelHeading>
      <FormErrors
        error={actionErrorOf(actionData)}
        shownFields={["tag", "tareWeightLb", "waterCapacityLb", "hydroTestDate", "price"]}
      />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="edit" />
        <div className="grid-2">
          <TextField
            label="Tag or serial"
            name="tag"
            defaultValue={cylinder.tag}
            autoCapitalize="characters"
            errors={fields.tag}
          />
          <TextField
            label="Tare weight (lb)"
            name="tareWeightLb"
            inputMode="decimal"
            defaultValue={String(cylinder.tareWeightLb)}
            errors={fields.tareWeightLb}
          />
          <TextField
            label="Water capacity (lb)"
            name="waterCapacityLb"
            inputMode="decimal"
            defaultValue={String(cylinder.waterCapacityLb)}
            errors={fields.waterCapacityLb}
          />
          <TextField
            label="Hydrostatic test date"
            name="hydroTestDate"
            type="date"
            max={today}
            required={false}
            defaultValue={cylinder.hydroTestDate ?? ""}
            errors={fields.hydroTestDate}
          />
          <TextField
            label="Price (USD)"
            name="price"
            inputMode="decimal"
            required={false}
            defaultValue={priceInput(cylinder.priceCents)}
            hint="The asking price when it is for sale. Empty: no price."
            errors={fields.price}
          />
        </div>
        <p className="muted small">
          Refrigerant and kind are fixed for a cylinder's life; contents change through transfers.
        </p>
        <div className="form-actions">
          <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
          <Link className="button button-secondary" to={`/o/${orgId}/cylinders/${cylinder.id}`}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
