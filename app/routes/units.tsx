import { Form, Link, redirect, useNavigation } from "react-router";
import { customerChoices } from "../../worker/customers/service";
import { todayIn } from "../../worker/cylinders/rules";
import { can } from "../../worker/policy/permissions";
import { listRefrigerants } from "../../worker/refrigerants/service";
import { UnitCreateInput, UnitListQuery } from "../../worker/units/schemas";
import { createUnit, listUnits, locationChoices } from "../../worker/units/service";
import { actionErrorOf, FilterSelect, FormErrors, fieldErrorsOf, SubmitButton } from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { nestFields, numberField } from "../components/units/form";
import { LeakBadge } from "../components/units/LeakBadge";
import { CATEGORY_LABELS, categoryOptions, formatLb, type UnitCategory } from "../components/units/labels";
import { PlacementFields, placementBody, UNIT_FIELD_NAMES, UnitFields } from "../components/units/UnitFields";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/units/units.css";
import "../components/customers/customers.css";
import type { Route } from "./+types/units";

const Filter = UnitListQuery.pick({ q: true, category: true, customerId: true, locationId: true });
type Filter = ReturnType<typeof Filter.parse> & { status: "ACTIVE" | "DECOMMISSIONED" | "ALL" };

/** Field technicians want what is in service: the list shows active units unless asked otherwise. */
function readFilter(url: URL): Filter {
  const raw = Object.fromEntries(
    ["q", "category", "customerId", "locationId"].flatMap((key) => {
      const value = url.searchParams.get(key);
      return value ? [[key, value]] : [];
    }),
  );
  const parsed = Filter.safeParse(raw);
  const status = url.searchParams.get("status");
  return {
    ...(parsed.success ? parsed.data : {}),
    status: status === "DECOMMISSIONED" || status === "ALL" ? status : "ACTIVE",
  };
}

function listHref(orgId: string, filter: Partial<Filter>, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value && !(key === "status" && value === "ACTIVE")) params.set(key, String(value));
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return `/o/${orgId}/units${query ? `?${query}` : ""}`;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "units:view");
  const { actor, org } = scope;
  const url = new URL(request.url);
  const filter = readFilter(url);
  const canCreate = can(actor, "units:edit", org.id);
  const canAddLocations = can(actor, "customers:edit", org.id);
  const creating = canCreate && url.searchParams.has("new");
  const [list, locations, customers, refrigerants] = await Promise.all([
    asPageError(() =>
      listUnits(scope, {
        q: filter.q,
        category: filter.category,
        customerId: filter.customerId,
        locationId: filter.locationId,
        status: filter.status === "ALL" ? undefined : filter.status,
      }),
    ),
    locationChoices(scope),
    customerChoices(scope),
    creating ? listRefrigerants(scope.db) : [],
  ]);
  const scopeName = filter.locationId
    ? locations.find((l) => l.id === filter.locationId)?.name
    : filter.customerId
      ? customers.find((c) => c.id === filter.customerId)?.name
      : undefined;
  return {
    orgId: org.id,
    filter,
    scopeName: scopeName ?? null,
    canCreate,
    canAddLocations,
    creating,
    deleted: url.searchParams.has("deleted"),
    today: todayIn(org.timeZone),
    locations,
    customers,
    refrigerants: refrigerants.map((r) => ({ designation: r.designation, ods: r.ods, gwp: r.gwp })),
    initialLocationId: url.searchParams.get("locationId") ?? undefined,
    truncated: list.truncated,
    units: list.units.map((u) => ({
      id: u.id,
      name: u.name,
      manufacturer: u.manufacturer,
      model: u.model,
      category: u.category,
      refrigerant: u.refrigerant,
      fullChargeLb: u.fullChargeLb,
      status: u.status,
      location: u.location,
      customer: u.customer,
      leakStatus: u.leakStatus,
      covered: u.coverage.covered,
    })),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "units:edit");
  const form = placementBody(nestFields(formObject(await request.formData())));
  form.fullChargeLb = numberField(form.fullChargeLb);
  form.repairNeedsShutdown = form.repairNeedsShutdown === "true";
  const result = await formAction(form, UnitCreateInput, (input) => createUnit(scope, input));
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/units/${result.result.id}?created=1`);
}

export const meta: Route.MetaFunction = () => [{ title: "Units · RefriTrak" }];

export default function Units({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, filter, canCreate, creating, units, truncated, scopeName } = loaderData;
  const filtered = Boolean(
    filter.q || filter.category || filter.customerId || filter.locationId || filter.status !== "ACTIVE",
  );
  const statusWord =
    filter.status === "ACTIVE" ? "active " : filter.status === "DECOMMISSIONED" ? "decommissioned " : "";
  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <h1 className="page-title">Units</h1>
          <p className="lede">Equipment you service: where it is, what it holds and how it leaks.</p>
        </div>
        {canCreate && !creating ? (
          <Link
            className="button button-primary"
            to={listHref(orgId, filter, { new: "1", ...(filter.locationId ? { locationId: filter.locationId } : {}) })}
          >
            Add unit
          </Link>
        ) : null}
      </header>

      <div role="status" className="unit-notice">
        {loaderData.deleted ? <p className="alert alert-success">Unit deleted. Its service records are kept.</p> : null}
      </div>

      {creating ? (
        <CreateUnitPanel loaderData={loaderData} actionData={actionData} close={listHref(orgId, filter)} />
      ) : (
        <>
          <Form method="get" className="unit-filters" aria-label="Filter units">
            {filter.customerId ? <input type="hidden" name="customerId" value={filter.customerId} /> : null}
            {filter.locationId ? <input type="hidden" name="locationId" value={filter.locationId} /> : null}
            <div className="field unit-filter-search">
              <label className="field-label" htmlFor="filter-q">
                Search
              </label>
              <input
                id="filter-q"
                name="q"
                type="search"
                className="input"
                defaultValue={filter.q ?? ""}
                key={filter.q}
                placeholder="Name, serial, model, customer, site…"
                autoComplete="off"
                enterKeyHint="search"
              />
            </div>
            <FilterSelect
              id="filter-status"
              name="status"
              label="Status"
              value={filter.status}
              options={[
                { value: "ACTIVE", label: "Active" },
                { value: "DECOMMISSIONED", label: "Decommissioned" },
                { value: "ALL", label: "All" },
              ]}
            />
            <FilterSelect
              id="filter-category"
              name="category"
              label="Category"
              value={filter.category ?? ""}
              options={[{ value: "", label: "All categories" }, ...categoryOptions]}
            />
            <FilterSelect
              id="filter-customer"
              name="customerId"
              label="Customer"
              value={filter.customerId ?? ""}
              disabled={Boolean(filter.locationId)}
              options={[
                { value: "", label: "All customers" },
                ...loaderData.customers.map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
            <div className="unit-filter-actions">
              <button type="submit" className="button button-secondary">
                Apply
              </button>
              {filtered ? <Link to={`/o/${orgId}/units`}>Clear filters</Link> : null}
            </div>
          </Form>

          <p className="muted small" role="status">
            {units.length === 1 ? `1 ${statusWord}unit` : `${units.length} ${statusWord}units`}
            {scopeName ? ` at ${scopeName}` : ""}
            {truncated ? " shown — more match: narrow the filters or search." : ""}
          </p>

          {units.length === 0 ? (
            <p className="empty-state">{filtered ? "No units match these filters." : "No units yet."}</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-stack">
                <caption className="visually-hidden">Units and their leak status</caption>
                <thead>
                  <tr>
                    <th scope="col">Unit</th>
                    <th scope="col">Leak status</th>
                    <th scope="col">Customer · location</th>
                    <th scope="col">Category</th>
                    <th scope="col">Refrigerant</th>
                    <th scope="col" className="num">
                      Full charge
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {units.map((u) => (
                    <tr key={u.id}>
                      <th scope="row" data-label="Unit">
                        <span>
                          <Link to={`/o/${orgId}/units/${u.id}`} className="unit-name">
                            {u.name}
                          </Link>
                          {u.manufacturer || u.model ? (
                            <span className="unit-sub">{[u.manufacturer, u.model].filter(Boolean).join(" ")}</span>
                          ) : null}
                          {u.status === "DECOMMISSIONED" ? <span className="badge">Decommissioned</span> : null}
                        </span>
                      </th>
                      <td data-label="Leak status">
                        <LeakBadge status={u.leakStatus} />
                      </td>
                      <td data-label="Site">
                        <span>
                          {u.customer.name} · {u.location.name}
                          <span className="unit-sub">
                            {u.location.city}, {u.location.state}
                          </span>
                        </span>
                      </td>
                      <td data-label="Category">{CATEGORY_LABELS[u.category as UnitCategory]}</td>
                      <td data-label="Refrigerant">{u.refrigerant}</td>
                      <td data-label="Full charge" className="num">
                        {formatLb(u.fullChargeLb)}
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

type LoaderData = Route.ComponentProps["loaderData"];

function CreateUnitPanel({
  loaderData,
  actionData,
  close,
}: {
  loaderData: LoaderData;
  actionData: unknown;
  close: string;
}) {
  const navigation = useNavigation();
  const error = actionErrorOf(actionData);
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  const initialLocation = loaderData.locations.find((l) => l.id === loaderData.initialLocationId);
  return (
    <section className="card stack" aria-labelledby="new-unit-heading">
      <h2 id="new-unit-heading">Add a unit</h2>
      <FormErrors
        error={error}
        shownFields={[
          ...UNIT_FIELD_NAMES,
          "locationId",
          "location",
          ...Object.keys(fields).filter((key) => key.startsWith("location.")),
        ]}
      />
      <Form method="post" className="form">
        <PlacementFields
          locations={loaderData.locations}
          customers={loaderData.customers}
          canAddLocations={loaderData.canAddLocations}
          errors={fields}
          initial={{ locationId: initialLocation?.id, customerId: initialLocation?.customerId }}
        />
        {fields.location ? <p className="field-error">{fields.location.join(" ")}</p> : null}
        <UnitFields errors={fields} refrigerants={loaderData.refrigerants} today={loaderData.today} />
        <div className="form-actions">
          <SubmitButton pending={navigation.state === "submitting"} pendingLabel="Adding…">
            Add unit
          </SubmitButton>
          <Link className="button button-secondary" to={close}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
