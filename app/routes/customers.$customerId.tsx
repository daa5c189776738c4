import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { CustomerPatchInput, LocationCreateInput, LocationPatchInput } from "../../worker/customers/schemas";
import {
  archiveCustomer,
  archiveLocation,
  createLocation,
  getCustomer,
  updateCustomer,
  updateLocation,
} from "../../worker/customers/service";
import { can, type Permission } from "../../worker/policy/permissions";
import { AddressFields, formatAddress } from "../components/customers/AddressFields";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton, TextAreaField, TextField } from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { ConfirmPanel, PanelHeading } from "../components/organization/panel";
import { LeakBadge } from "../components/units/LeakBadge";
import { CATEGORY_LABELS, formatLb, type UnitCategory } from "../components/units/labels";
import { asPageError, formAction, formObject, intentAction, pageOrgScope } from "../lib/server";
import "../components/customers/customers.css";
import "../components/units/units.css";
import type { Route } from "./+types/customers.$customerId";

const NOTICES: Record<string, string> = {
  created: "Customer added.",
  saved: "Changes saved.",
  locationAdded: "Location added.",
  locationSaved: "Location saved.",
  locationArchived: "Location archived. Its units and their records are kept.",
};

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "customers:view");
  const { actor, org } = scope;
  const url = new URL(request.url);
  const customer = await asPageError(() => getCustomer(scope, params.customerId));
  const canEdit = can(actor, "customers:edit", org.id) && !customer.archived;
  const canArchive = can(actor, "customers:delete", org.id) && !customer.archived;
  const locationId = url.searchParams.get("locationId");
  const location = customer.locations.find((l) => l.id === locationId && !l.archived);
  const panel = (() => {
    const wanted = url.searchParams.get("panel");
    if (wanted === "edit" && canEdit) return "edit" as const;
    if (wanted === "archive" && canArchive) return "archive" as const;
    if (wanted === "add-location" && canEdit) return "add-location" as const;
    if (wanted === "edit-location" && canEdit && location) return "edit-location" as const;
    if (wanted === "archive-location" && canArchive && location) return "archive-location" as const;
    return null;
  })();
  return {
    orgId: org.id,
    customer,
    panel,
    panelLocationId: location?.id ?? null,
    can: {
      edit: canEdit,
      archive: canArchive,
      addUnits: can(actor, "units:edit", org.id) && !customer.archived,
      seeUnits: can(actor, "units:view", org.id),
    },
    notice: [...url.searchParams.keys()].map((key) => NOTICES[key]).find(Boolean) ?? null,
  };
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.customer.name} · Customers · RefriTrak` : "Customer · RefriTrak" },
];

const INTENT_PERMISSION: Record<string, Permission> = {
  edit: "customers:edit",
  archive: "customers:delete",
  "add-location": "customers:edit",
  "edit-location": "customers:edit",
  "archive-location": "customers:delete",
};
const NoInput = z.strictObject({});

export async function action({ context, request, params }: Route.ActionArgs) {
  const { intent, scope, formData } = await intentAction(context, request, params.orgId, INTENT_PERMISSION);
  const id = params.customerId;
  const page = `/o/${scope.org.id}/customers/${id}`;
  const locationId = String(formData.get("locationId") ?? "");
  const {
    intent: _intent,
    locationId: _locationId,
    ...form
  } = formObject(formData, {
    keepEmpty: ["name", "email", "phone", "notes", "street", "city", "zip"],
  });

  if (intent === "edit") {
    const result = await formAction(form, CustomerPatchInput, (input) => updateCustomer(scope, id, input));
    if (!("result" in result)) return result;
    throw redirect(`${page}?saved=1`);
  }
  if (intent === "archive") {
    const result = await formAction({}, NoInput, () => archiveCustomer(scope, id));
    if (!("result" in result)) return result;
    throw redirect(`/o/${scope.org.id}/customers?archivedCustomer=1`);
  }
  if (intent === "add-location") {
    const result = await formAction({ ...form, customerId: id }, LocationCreateInput, (input) =>
      createLocation(scope, input),
    );
    if (!("result" in result)) return result;
    throw redirect(`${page}?locationAdded=1#location-${result.result.id}`);
  }
  // Only this customer's locations are changed from its page.
  const customer = await asPageError(() => getCustomer(scope, id));
  if (!customer.locations.some((l) => l.id === locationId)) {
    throw data({ error: { code: "NOT_FOUND", message: "Location not found." } }, { status: 404 });
  }
  if (intent === "edit-location") {
    const result = await formAction(form, LocationPatchInput, (input) => updateLocation(scope, locationId, input));
    if (!("result" in result)) return result;
    throw redirect(`${page}?locationSaved=1#location-${locationId}`);
  }
  const result = await formAction({}, NoInput, () => archiveLocation(scope, locationId));
  if (!("result" in result)) return result;
  throw redirect(`${page}?locationArchived=1`);
}

type LoaderData = Route.ComponentProps["loaderData"];
type CustomerLocation = LoaderData["customer"]["locations"][number];

export default function CustomerPage({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, customer, panel, notice } = loaderData;
  const allowed = loaderData.can;
  const page = `/o/${orgId}/customers/${customer.id}`;
  const active = customer.locations.filter((l) => !l.archived);
  const archived = customer.locations.filter((l) => l.archived);
  return (
    <div className="page stack">
      <nav aria-label="Breadcrumb" className="small">
        <Link to={`/o/${orgId}/customers`}>← Customers</Link>
      </nav>
      <header className="page-header">
        <div>
          <p className="eyebrow">Customer</p>
          <h1 className="page-title">{customer.name}</h1>
          <div className="cust-meta">
            {customer.email ? <a href={`mailto:${customer.email}`}>{customer.email}</a> : null}
            {customer.phone ? <a href={`tel:${customer.phone.replace(/[^\d+]/g, "")}`}>{customer.phone}</a> : null}
            {customer.archived ? <span className="badge">Archived</span> : null}
          </div>
        </div>
      </header>

      <div role="status" className="cust-notice">
        {notice ? <p className="alert alert-success">{notice}</p> : null}
      </div>
      {panel === null ? <FormErrors error={actionErrorOf(actionData)} /> : null}

      {customer.archived ? (
        <p className="alert alert-info">
          This customer is archived: its locations, units and service records are kept, and nothing new can be added.
        </p>
      ) : null}
      {customer.notes ? <p className="card">{customer.notes}</p> : null}

      {panel === "edit" ? <EditCustomerPanel loaderData={loaderData} actionData={actionData} /> : null}
      {panel === "archive" ? (
        <ConfirmPanel
          id="archive-heading"
          title={`Archive ${customer.name}?`}
          intent="archive"
          action="Archive customer"
          close={page}
          actionData={actionData}
          className="cust-panel cust-danger"
          pendingLabel="Archiving…"
        >
          The customer and its locations leave the lists and receive no new units or jobs. Their units, service records
          and leak cases are kept.
        </ConfirmPanel>
      ) : null}

      <section className="stack" aria-labelledby="locations-heading">
        <div className="cust-location-header">
          <h2 id="locations-heading">Locations</h2>
          {allowed.edit && panel !== "add-location" ? (
            <Link className="button button-secondary" to={`${page}?panel=add-location`}>
              Add location
            </Link>
          ) : null}
        </div>
        {panel === "add-location" ? <AddLocationPanel loaderData={loaderData} actionData={actionData} /> : null}
        {active.length === 0 ? <p className="empty-state">No active locations.</p> : null}
        {active.map((location) => (
          <LocationCard key={location.id} location={location} loaderData={loaderData} actionData={actionData} />
        ))}
        {archived.length > 0 ? (
          <details>
            <summary>{archived.length === 1 ? "1 archived location" : `${archived.length} archived locations`}</summary>
            <div className="stack-sm">
              {archived.map((location) => (
                <LocationCard key={location.id} location={location} loaderData={loaderData} actionData={actionData} />
              ))}
            </div>
          </details>
        ) : null}
      </section>

      {(allowed.edit || allowed.archive) && panel === null ? (
        <section className="card stack-sm" aria-labelledby="manage-heading">
          <h2 id="manage-heading">Manage</h2>
          <div className="cluster">
            {allowed.edit ? (
              <Link className="button button-secondary" to={`${page}?panel=edit`}>
                Edit customer
              </Link>
            ) : null}
            {allowed.archive ? (
              <Link className="button button-danger" to={`${page}?panel=archive`}>
                Archive customer
              </Link>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}

function LocationCard({
  location,
  loaderData,
  actionData,
}: {
  location: CustomerLocation;
  loaderData: LoaderData;
  actionData: unknown;
}) {
  const { orgId, customer, panel, panelLocationId } = loaderData;
  const allowed = loaderData.can;
  const page = `/o/${orgId}/customers/${customer.id}`;
  const headingId = `location-${location.id}-heading`;
  const editing = panelLocationId === location.id ? panel : null;
  return (
    <article className="card stack-sm" id={`location-${location.id}`} aria-labelledby={headingId}>
      <div className="cust-location-header">
        <div>
          <h3 id={headingId}>{location.name}</h3>
          <p className="cust-address-line">
            <a
              href={`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(formatAddress(location))}`}
              target="_blank"
              rel="noreferrer"
            >
              {formatAddress(location)}
            </a>
            {location.archived ? (
              <>
                {" "}
                <span className="badge">Archived</span>
              </>
            ) : null}
          </p>
        </div>
        {!location.archived && editing === null ? (
          <div className="cluster">
            {allowed.addUnits ? (
              <Link
                className="button button-small button-primary"
                to={`/o/${orgId}/units?new=1&locationId=${location.id}`}
              >
                Add unit here
              </Link>
            ) : null}
            {allowed.edit ? (
              <Link
                className="button button-small button-secondary"
                to={`${page}?panel=edit-location&locationId=${location.id}`}
              >
                Edit
              </Link>
            ) : null}
            {allowed.archive ? (
              <Link
                className="button button-small button-ghost"
                to={`${page}?panel=archive-location&locationId=${location.id}`}
              >
                Archive
              </Link>
            ) : null}
          </div>
        ) : null}
      </div>

      {editing === "edit-location" ? (
        <section className="stack cust-panel" aria-labelledby={`edit-${location.id}`}>
          <PanelHeading id={`edit-${location.id}`}>Edit {location.name}</PanelHeading>
          <FormErrors error={actionErrorOf(actionData)} shownFields={["name", "street", "city", "state", "zip"]} />
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="edit-location" />
            <input type="hidden" name="locationId" value={location.id} />
            <AddressFields values={location} errors={friendlyErrors(fieldErrorsOf(actionData))} />
            <div className="form-actions">
              <SubmitButton pendingLabel="Saving…">Save location</SubmitButton>
              <Link className="button button-secondary" to={page}>
                Cancel
              </Link>
            </div>
          </Form>
        </section>
      ) : null}
      {editing === "archive-location" ? (
        <ConfirmPanel
          id={`archive-${location.id}`}
          title={`Archive ${location.name}?`}
          intent="archive-location"
          action="Archive location"
          close={page}
          actionData={actionData}
          className="cust-panel cust-danger"
          pendingLabel="Archiving…"
          hidden={{ locationId: location.id }}
        >
          The location receives no new units or jobs. Its units and their service records are kept.
        </ConfirmPanel>
      ) : null}

      {location.units === null ? null : location.units.length === 0 ? (
        <p className="muted small">No units here yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Units at {location.name}</caption>
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <th scope="col">Leak status</th>
                <th scope="col">Category</th>
                <th scope="col">Refrigerant</th>
                <th scope="col" className="num">
                  Full charge
                </th>
              </tr>
            </thead>
            <tbody>
              {location.units.map((unit) => (
                <tr key={unit.id}>
                  <th scope="row" data-label="Unit">
                    <span>
                      <Link to={`/o/${orgId}/units/${unit.id}`} className="unit-name">
                        {unit.name}
                      </Link>
                      {unit.status === "DECOMMISSIONED" ? <span className="badge">Decommissioned</span> : null}
                    </span>
                  </th>
                  <td data-label="Leak status">
                    <LeakBadge status={unit.leakStatus} />
                  </td>
                  <td data-label="Category">{CATEGORY_LABELS[unit.category as UnitCategory]}</td>
                  <td data-label="Refrigerant">{unit.refrigerant}</td>
                  <td data-label="Full charge" className="num">
                    {formatLb(unit.fullChargeLb)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

function EditCustomerPanel({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { customer, orgId } = loaderData;
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="card stack cust-panel" aria-labelledby="edit-heading">
      <PanelHeading id="edit-heading">Edit {customer.name}</PanelHeading>
      <FormErrors error={actionErrorOf(actionData)} shownFields={["name", "email", "phone", "notes"]} />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="edit" />
        <div className="grid-2">
          <TextField
            label="Customer name"
            name="name"
            maxLength={120}
            defaultValue={customer.name}
            errors={fields.name}
          />
          <TextField
            label="Billing email"
            name="email"
            type="email"
            required={false}
            maxLength={254}
            defaultValue={customer.email ?? ""}
            errors={fields.email}
          />
          <TextField
            label="Phone"
            name="phone"
            type="tel"
            required={false}
            maxLength={40}
            defaultValue={customer.phone ?? ""}
            errors={fields.phone}
          />
        </div>
        <TextAreaField
          label="Notes"
          name="notes"
          rows={3}
          required={false}
          maxLength={2000}
          defaultValue={customer.notes ?? ""}
          hint="Gate codes, contacts, access hours…"
          errors={fields.notes}
        />
        <div className="form-actions">
          <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
          <Link className="button button-secondary" to={`/o/${orgId}/customers/${customer.id}`}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}

function AddLocationPanel({ loaderData, actionData }: { loaderData: LoaderData; actionData: unknown }) {
  const { customer, orgId } = loaderData;
  return (
    <section className="card stack cust-panel" aria-labelledby="add-location-heading">
      <PanelHeading id="add-location-heading">Add a location for {customer.name}</PanelHeading>
      <FormErrors error={actionErrorOf(actionData)} shownFields={["name", "street", "city", "state", "zip"]} />
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="add-location" />
        <AddressFields errors={friendlyErrors(fieldErrorsOf(actionData))} />
        <div className="form-actions">
          <SubmitButton pendingLabel="Adding…">Add location</SubmitButton>
          <Link className="button button-secondary" to={`/o/${orgId}/customers/${customer.id}`}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
