import { Form, Link, redirect, useNavigation } from "react-router";
import { CustomerCreateInput, CustomerListQuery } from "../../worker/customers/schemas";
import { createCustomer, listCustomers } from "../../worker/customers/service";
import { can } from "../../worker/policy/permissions";
import { AddressFields } from "../components/customers/AddressFields";
import { actionErrorOf, FormErrors, fieldErrorsOf, SubmitButton, TextAreaField, TextField } from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { nestFields } from "../components/units/form";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import "../components/customers/customers.css";
import type { Route } from "./+types/customers";

const Filter = CustomerListQuery.pick({ q: true, archived: true });
type Filter = ReturnType<typeof Filter.parse>;

function readFilter(url: URL): Filter {
  const parsed = Filter.safeParse({
    q: url.searchParams.get("q") || undefined,
    archived: url.searchParams.get("archived") || undefined,
  });
  return parsed.success ? parsed.data : {};
}

function listHref(orgId: string, filter: Filter, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  if (filter.q) params.set("q", filter.q);
  if (filter.archived && filter.archived !== "active") params.set("archived", filter.archived);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return `/o/${orgId}/customers${query ? `?${query}` : ""}`;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "customers:view");
  const url = new URL(request.url);
  const filter = readFilter(url);
  const canCreate = can(scope.actor, "customers:edit", scope.org.id);
  const list = await asPageError(() => listCustomers(scope, filter));
  return {
    orgId: scope.org.id,
    filter,
    canCreate,
    creating: canCreate && url.searchParams.has("new"),
    archivedNotice: url.searchParams.has("archivedCustomer"),
    customers: list.customers,
    truncated: list.truncated,
  };
}

const ADDRESS_KEYS = ["name", "street", "city", "state", "zip"];

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "customers:edit");
  const form = nestFields(formObject(await request.formData()));
  // The first location is optional: left blank, the customer is added alone.
  const location = form.location as Record<string, unknown> | undefined;
  if (location && !ADDRESS_KEYS.some((key) => key !== "state" && location[key])) delete form.location;
  const result = await formAction(form, CustomerCreateInput, (input) => createCustomer(scope, input));
  if (!("result" in result)) return result;
  throw redirect(`/o/${scope.org.id}/customers/${result.result.id}?created=1`);
}

export const meta: Route.MetaFunction = () => [{ title: "Customers · RefriTrak" }];

export default function Customers({ loaderData, actionData }: Route.ComponentProps) {
  const { orgId, filter, canCreate, creating, customers, truncated } = loaderData;
  const filtered = Boolean(filter.q || (filter.archived && filter.archived !== "active"));
  return (
    <div className="page stack">
      <header className="page-header">
        <div>
          <h1 className="page-title">Customers</h1>
          <p className="lede">The companies you bill, and the sites where their equipment is.</p>
        </div>
        {canCreate && !creating ? (
          <Link className="button button-primary" to={listHref(orgId, filter, { new: "1" })}>
            Add customer
          </Link>
        ) : null}
      </header>

      <div role="status" className="cust-notice">
        {loaderData.archivedNotice ? <p className="alert alert-success">Customer archived.</p> : null}
      </div>

      {creating ? (
        <CreateCustomerPanel actionData={actionData} close={listHref(orgId, filter)} />
      ) : (
        <>
          <Form method="get" className="cust-filters" aria-label="Search customers">
            <div className="field">
              <label className="field-label" htmlFor="customer-q">
                Search
              </label>
              <input
                id="customer-q"
                name="q"
                type="search"
                className="input"
                defaultValue={filter.q ?? ""}
                key={filter.q}
                placeholder="Name, email, phone, site, city, ZIP…"
                autoComplete="off"
                enterKeyHint="search"
              />
            </div>
            <div className="field">
              <label className="field-label" htmlFor="customer-archived">
                Show
              </label>
              <select
                id="customer-archived"
                name="archived"
                className="input"
                defaultValue={filter.archived ?? "active"}
                key={filter.archived}
              >
                <option value="active">Active customers</option>
                <option value="archived">Archived customers</option>
                <option value="all">All customers</option>
              </select>
            </div>
            <div className="cust-filter-actions">
              <button type="submit" className="button button-secondary">
                Search
              </button>
              {filtered ? <Link to={`/o/${orgId}/customers`}>Clear</Link> : null}
            </div>
          </Form>

          <p className="muted small" role="status">
            {customers.length === 1 ? "1 customer" : `${customers.length} customers`}
            {truncated ? " shown — more match: narrow the search." : ""}
          </p>

          {customers.length === 0 ? (
            <p className="empty-state">
              {filtered
                ? "No customers match."
                : canCreate
                  ? "No customers yet: add the first one."
                  : "No customers yet."}
            </p>
          ) : (
            <ul className="cust-list" aria-label="Customers">
              {customers.map((customer) => (
                <li key={customer.id} className="card cust-list-item">
                  <Link to={`/o/${orgId}/customers/${customer.id}`} className="cust-name">
                    {customer.name}
                  </Link>
                  <div className="cust-meta">
                    <span>
                      {customer.locationCount === 1 ? "1 location" : `${customer.locationCount} locations`}
                      {customer.cities.length ? ` · ${customer.cities.join(" · ")}` : ""}
                    </span>
                    {customer.unitCount !== null ? (
                      <span>{customer.unitCount === 1 ? "1 active unit" : `${customer.unitCount} active units`}</span>
                    ) : null}
                    {customer.phone ? <span>{customer.phone}</span> : null}
                    {customer.archived ? <span className="badge">Archived</span> : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function CreateCustomerPanel({ actionData, close }: { actionData: unknown; close: string }) {
  const navigation = useNavigation();
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  return (
    <section className="card stack" aria-labelledby="new-customer-heading">
      <h2 id="new-customer-heading">Add a customer</h2>
      <FormErrors
        error={actionErrorOf(actionData)}
        shownFields={["name", "email", "phone", "notes", ...ADDRESS_KEYS.map((key) => `location.${key}`)]}
      />
      <Form method="post" className="form">
        <div className="grid-2">
          <TextField
            label="Customer name"
            name="name"
            maxLength={120}
            autoComplete="organization"
            errors={fields.name}
          />
          <TextField
            label="Billing email"
            name="email"
            type="email"
            required={false}
            maxLength={254}
            errors={fields.email}
          />
          <TextField
            label="Phone"
            name="phone"
            type="tel"
            required={false}
            maxLength={40}
            autoComplete="tel"
            errors={fields.phone}
          />
        </div>
        <TextAreaField label="Notes" name="notes" rows={2} required={false} maxLength={2000} errors={fields.notes} />
        <fieldset className="cust-fieldset stack-sm">
          <legend>First location</legend>
          <p className="muted small">The service address of its equipment. Leave it blank to add locations later.</p>
          <AddressFields prefix="location." errors={fields} required={false} />
        </fieldset>
        <div className="form-actions">
          <SubmitButton pending={navigation.state === "submitting"} pendingLabel="Adding…">
            Add customer
          </SubmitButton>
          <Link className="button button-secondary" to={close}>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
