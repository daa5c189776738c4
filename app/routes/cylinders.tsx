import { Form, Link, redirect, useNavigation } from "react-router";
import { CYLINDER_STATUSES } from "../../db/schema";
import { customerChoices, getCustomer } from "../../worker/customers/service";
import { todayIn } from "../../worker/cylinders/rules";
import { CylinderCreateInput, CylinderListQuery } from "../../worker/cylinders/schemas";
import { createCylinder, holderChoices, listCylinders, refrigerantChoices } from "../../worker/cylinders/service";
import { HttpError } from "../../worker/http/errors";
import type { OrgScope } from "../../worker/policy/guards";
import { can } from "../../worker/policy/permissions";
import { ContentsGauge } from "../components/cylinders/ContentsGauge";
import { decodeHolder, holderOptions, withNumbers } from "../components/cylinders/holder";
import {
  type CylinderStatus,
  formatDay,
  formatLb,
  KIND_LABELS,
  kindOptions,
  statusOptions,
} from "../components/cylinders/labels";
import { formatPrice, PriceDollars } from "../components/cylinders/price";
import { CylinderStatusBadge, HydroDue } from "../components/cylinders/StatusBadge";
import {
  actionErrorOf,
  type FieldErrorMap,
  FilterSelect,
  FormErrors,
  fieldErrorsOf,
  SelectField,
  SubmitButton,
  TextField,
} from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/cylinders/cylinders.css";
import type { Route } from "./+types/cylinders";

const Filter = CylinderListQuery.pick({ status: true, kind: true, refrigerant: true, holder: true, q: true });
type Filter = ReturnType<typeof Filter.parse>;

function readFilter(url: URL): Filter {
  const raw = Object.fromEntries(
    ["status", "kind", "refrigerant", "holder", "q"].flatMap((key) => {
      const value = url.searchParams.get(key);
      return value ? [[key, value]] : [];
    }),
  );
  const parsed = Filter.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

function inventoryHref(orgId: string, filter: Filter, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, String(value));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return `/o/${orgId}/cylinders${query ? `?${query}` : ""}`;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "cylinders:view-for-sale");
  const { actor, org } = scope;
  const url = new URL(request.url);
  const filter = readFilter(url);
  const seesAll = can(actor, "cylinders:view-all", org.id);
  const canCreate = can(actor, "cylinders:edit", org.id);
  const canMove = can(actor, "cylinders:move", org.id);
  const creating = canCreate && url.searchParams.has("new");
  const [list, refrigerants, holders] = await Promise.all([
    asPageError(() => listCylinders(scope, seesAll ? filter : { ...filter, holder: undefined, status: undefined })),
    refrigerantChoices(scope),
    seesAll ? holderChoices(scope) : null,
  ]);
  const buyers = await buyerNames(
    scope,
    list.cylinders.flatMap((c) => (c.status === "SOLD" && c.soldToCustomerId ? [c.soldToCustomerId] : [])),
  );
  return {
    orgId: org.id,
    meId: scope.user.id,
    filter,
    seesAll,
    canCreate,
    canMove,
    creating,
    deleted: url.searchParams.has("deleted"),
    today: todayIn(org.timeZone),
    refrigerants,
    holders,
    truncated: list.truncated,
    cylinders: list.cylinders.map((c) => ({
      id: c.id,
      tag: c.tag,
      refrigerant: c.refrigerant,
      kind: c.kind,
      netContentsLb: c.netContentsLb,
      waterCapacityLb: c.waterCapacityLb,
      fill: c.fill,
      holder: c.holder,
      status: c.status,
      hydro: c.hydro,
      hydroDue: formatDay(c.hydro.dueDate),
      priceCents: c.priceCents,
      soldTo: c.status === "SOLD" && c.soldToCustomerId ? (buyers.get(c.soldToCustomerId) ?? null) : null,
    })),
  };
}

/** Buyers' names by id: the active customers in one query, a customer archived since the sale on its own. */
async function buyerNames(scope: OrgScope, ids: string[]) {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  for (const customer of await customerChoices(scope)) names.set(customer.id, customer.name);
  for (const id of new Set(ids.filter((id) => !names.has(id)))) {
    try {
      names.set(id, (await getCustomer(scope, id)).name);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) throw error;
    }
  }
  return names;
}

const NUMBER_FIELDS = ["tareWeightLb", "waterCapacityLb", "netContentsLb"] as const;
/** The form takes the price in dollars ("price"); the service takes cents. */
const CreateInput = CylinderCreateInput.omit({ priceCents: true }).extend({ price: PriceDollars.optional() });

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "cylinders:edit");
  const form = withNumbers(formObject(await request.formData()), NUMBER_FIELDS);
  if (form.holder !== undefined) form.holder = decodeHolder(form.holder);
  const result = await formAction(form, CreateInput, ({ price, ...input }) =>
    createCylinder(scope, { ...input, priceCents: price }),
  );
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/cylinders/${result.result.id}?created=1`);
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData?.seesAll === false ? "Cylinders for sale · RefriTrak" : "Cylinders · RefriTrak" },
];

/** Errors of `holder.holderUserId` etc. shown on the one holder select. */
function holderErrors(fields: FieldErrorMap) {
  const list = Object.entries(fields).flatMap(([key, messages]) => (key.startsWith("holder") ? (messages ?? []) : []));
  return list.length ? list : undefined;
}

export default function Cylinders({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, filter, seesAll, canCreate, canMove, creating, cylinders, truncated, refrigerants, holders, meId } =
    loaderData;
  const filtered = Object.values(filter).some(Boolean);
  const showPrice = cylinders.some((c) => c.status === "FOR_SALE");
  const quick = [
    { label: "All", href: inventoryHref(orgId, { ...filter, holder: undefined }), current: !filter.holder },
    ...(canMove
      ? [
          {
            label: "My truck",
            href: inventoryHref(orgId, { ...filter, holder: "me" }),
            current: filter.holder === "me",
          },
        ]
      : []),
    {
      label: "Warehouse",
      href: inventoryHref(orgId, { ...filter, holder: "warehouse" }),
      current: filter.holder === "warehouse",
    },
  ];

  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <h1 className="page-title">{seesAll ? "Cylinders" : "Cylinders for sale"}</h1>
          <p className="lede">
            {seesAll
              ? "Every refrigerant cylinder: where it is, what it holds and when its hydrostatic test is due."
              : "Cylinders your company has marked for sale."}
          </p>
        </div>
        {canCreate && !creating ? (
          <Link className="button button-primary" to={inventoryHref(orgId, filter, { new: "1" })}>
            Add cylinder
          </Link>
        ) : null}
      </header>

      <div role="status" className="cyl-notice">
        {loaderData.deleted ? <p className="alert alert-success">Cylinder deleted.</p> : null}
      </div>

      {creating ? (
        <CreateCylinderPanel
          actionData={actionData}
          close={inventoryHref(orgId, filter)}
          refrigerants={refrigerants}
          holders={holders}
          meId={meId}
          today={loaderData.today}
        />
      ) : null}

      {creating ? null : (
        <>
          {seesAll ? (
            <nav aria-label="Where the cylinders are" className="cyl-quick">
              {quick.map((item) => (
                <Link
                  key={item.label}
                  to={item.href}
                  className="cyl-chip"
                  aria-current={item.current ? "page" : undefined}
                >
                  {item.label}
                </Link>
              ))}
            </nav>
          ) : null}

          <Form method="get" className="cyl-filters" aria-label="Filter cylinders">
            <div className="field cyl-filter-search">
              <label className="field-label" htmlFor="filter-q">
                Search by tag
              </label>
              <input
                id="filter-q"
                name="q"
                type="search"
                className="input"
                defaultValue={filter.q ?? ""}
                key={filter.q}
                autoCapitalize="characters"
                autoComplete="off"
                enterKeyHint="search"
              />
            </div>
            {seesAll ? (
              <FilterSelect
                id="filter-status"
                name="status"
                label="Status"
                value={filter.status}
                all="All statuses"
                options={statusOptions(CYLINDER_STATUSES)}
              />
            ) : null}
            <FilterSelect
              id="filter-kind"
              name="kind"
              label="Kind"
              value={filter.kind}
              all="All kinds"
              options={kindOptions}
            />
            <FilterSelect
              id="filter-refrigerant"
              name="refrigerant"
              label="Refrigerant"
              value={filter.refrigerant}
              all="All refrigerants"
              options={refrigerants.map((r) => ({ value: r.designation, label: r.designation }))}
            />
            {holders ? (
              <FilterSelect
                id="filter-holder"
                name="holder"
                label="Holder"
                value={filter.holder}
                all="Anywhere"
                options={[
                  ...(canMove ? [{ value: "me", label: "My truck" }] : []),
                  { value: "warehouse", label: "Warehouse" },
                  { value: "site", label: "At a site" },
                  ...holders.people
                    .filter((p) => p.id !== meId)
                    .map((p) => ({ value: p.id, label: `Truck · ${p.name}` })),
                ]}
              />
            ) : null}
            <div className="cyl-filter-actions">
              <button type="submit" className="button button-secondary">
                Apply
              </button>
              {filtered ? <Link to={`/o/${orgId}/cylinders`}>Clear filters</Link> : null}
            </div>
          </Form>

          <p className="muted small" role="status">
            {cylinders.length === 1 ? "1 cylinder" : `${cylinders.length} cylinders`}
            {truncated ? " shown — more match: narrow the filters or search by tag." : ""}
          </p>

          {cylinders.length === 0 ? (
            <p className="empty-state">
              {filtered
                ? "No cylinders match these filters."
                : seesAll
                  ? "No cylinders yet."
                  : "No cylinders are for sale right now."}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table table-stack">
                <caption className="visually-hidden">{seesAll ? "Cylinders" : "Cylinders for sale"}</caption>
                <thead>
                  <tr>
                    <th scope="col">Tag</th>
                    <th scope="col">Refrigerant</th>
                    <th scope="col">Kind</th>
                    <th scope="col" className="num">
                      Contents
                    </th>
                    <th scope="col">Holder</th>
                    <th scope="col">Status</th>
                    {showPrice ? (
                      <th scope="col" className="num">
                        Price
                      </th>
                    ) : null}
                    <th scope="col">Hydro due</th>
                  </tr>
                </thead>
                <tbody>
                  {cylinders.map((c) => (
                    <tr key={c.id}>
                      <th scope="row" data-label="Tag">
                        <Link to={`/o/${orgId}/cylinders/${c.id}`} className="cyl-tag">
                          {c.tag}
                        </Link>
                      </th>
                      <td data-label="Refrigerant">{c.refrigerant}</td>
                      <td data-label="Kind">{KIND_LABELS[c.kind]}</td>
                      <td data-label="Contents" className="num">
                        <span className="cyl-contents">
                          {formatLb(c.netContentsLb)}
                          <ContentsGauge
                            compact
                            kind={c.kind}
                            netContentsLb={c.netContentsLb}
                            waterCapacityLb={c.waterCapacityLb}
                            fill={c.fill}
                          />
                        </span>
                      </td>
                      <td data-label="Holder">
                        {/* One element, so a phone card keeps the city on the holder's line. */}
                        <span>
                          {c.holder.type === "TECHNICIAN" && c.holder.userId === meId ? "My truck" : c.holder.name}
                          {c.holder.city ? <span className="muted"> · {c.holder.city}</span> : null}
                        </span>
                      </td>
                      <td data-label="Status">
                        <span>
                          <CylinderStatusBadge status={c.status as CylinderStatus} />
                          {c.soldTo ? <span className="cyl-sold-to"> to {c.soldTo}</span> : null}
                        </span>
                      </td>
                      {showPrice ? (
                        c.status === "FOR_SALE" ? (
                          <td data-label="Price" className="num">
                            {c.priceCents == null ? (
                              <span className="muted">Not priced</span>
                            ) : (
                              <span className="cyl-price">{formatPrice(c.priceCents)}</span>
                            )}
                          </td>
                        ) : (
                          <td className="num cyl-no-price">
                            <span className="visually-hidden">Not for sale</span>
                          </td>
                        )
                      ) : null}
                      <td data-label="Hydro due">
                        <HydroDue hydro={c.hydro} formatted={c.hydroDue} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}

function CreateCylinderPanel({
  actionData,
  close,
  refrigerants,
  holders,
  meId,
  today,
}: {
  actionData: unknown;
  close: string;
  refrigerants: { designation: string; ods: boolean; gwp: number }[];
  holders: Parameters<typeof holderOptions>[0] | null;
  meId: string;
  today: string;
}) {
  const navigation = useNavigation();
  const error = actionErrorOf(actionData);
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="card stack" aria-labelledby="new-cylinder-heading">
      <h2 id="new-cylinder-heading">Add a cylinder</h2>
      <FormErrors
        error={error}
        shownFields={[
          "tag",
          "refrigerant",
          "kind",
          "tareWeightLb",
          "waterCapacityLb",
          "netContentsLb",
          "status",
          "hydroTestDate",
          "price",
          ...Object.keys(fields).filter((key) => key.startsWith("holder")),
        ]}
      />
      <Form method="post" className="form">
        <div className="grid-2">
          <TextField
            label="Tag or serial"
            name="tag"
            autoCapitalize="characters"
            autoComplete="off"
            hint="As stamped or stuck on the cylinder."
            errors={fields.tag}
          />
          <SelectField
            label="Refrigerant"
            name="refrigerant"
            placeholder="Choose a refrigerant…"
            defaultValue=""
            options={refrigerants.map((r) => ({
              value: r.designation,
              label: `${r.designation}${r.ods ? " (ODS)" : ""} · GWP ${r.gwp}`,
            }))}
            errors={fields.refrigerant}
          />
          <SelectField
            label="Kind"
            name="kind"
            placeholder="Choose a kind…"
            defaultValue=""
            options={kindOptions}
            hint="A recovery cylinder is never filled past 80% of its water capacity."
            errors={fields.kind}
          />
          <TextField
            label="Tare weight (lb)"
            name="tareWeightLb"
            inputMode="decimal"
            hint="Stamped TW on the collar."
            errors={fields.tareWeightLb}
          />
          <TextField
            label="Water capacity (lb)"
            name="waterCapacityLb"
            inputMode="decimal"
            hint="Stamped WC on the collar."
            errors={fields.waterCapacityLb}
          />
          <TextField
            label="Net contents (lb)"
            name="netContentsLb"
            inputMode="decimal"
            defaultValue="0"
            hint="Refrigerant in it now (gross weight minus tare). Later changes come from transfers."
            errors={fields.netContentsLb}
          />
          <SelectField
            label="Where is it?"
            name="holder"
            defaultValue="WAREHOUSE"
            options={holders ? holderOptions(holders, { meId }) : [{ value: "WAREHOUSE", label: "Warehouse" }]}
            errors={holderErrors(fields)}
          />
          <SelectField
            label="Status"
            name="status"
            required={false}
            placeholder="Automatic"
            hint="Automatic: in stock, or assigned when on a truck."
            defaultValue=""
            options={statusOptions(["IN_STOCK", "EMPTY", "FOR_SALE"])}
            errors={fields.status}
          />
          <TextField
            label="Hydrostatic test date"
            name="hydroTestDate"
            type="date"
            max={today}
            required={false}
            hint="Refillable cylinders are retested every 5 years."
            errors={fields.hydroTestDate}
          />
          <TextField
            label="Price (USD)"
            name="price"
            inputMode="decimal"
            required={false}
            hint="The asking price, for a cylinder for sale."
            errors={fields.price}
          />
        </div>
        <div className="form-actions">
          <SubmitButton pending={navigation.state === "submitting"} pendingLabel="Adding…">
            Add cylinder
          </SubmitButton>
          <Link className="button button-secondary" to={close}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
