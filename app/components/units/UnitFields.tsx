/**
 * The fields of a unit, for adding one and for editing one, and where a new unit goes: an existing
 * location, or a new one (at an existing customer or a new one) created with it.
 */
import { useState } from "react";
import { AddressFields } from "../customers/AddressFields";
import { CheckboxField, type FieldErrorMap, SelectField, TextField } from "../form";
import { categoryOptions, fullChargeMethodOptions } from "./labels";

export type RefrigerantChoice = { designation: string; ods: boolean; gwp: number };
export type LocationChoice = {
  id: string;
  name: string;
  city: string;
  state: string;
  customerId: string;
  customerName: string;
};

export type UnitValues = {
  name?: string;
  manufacturer?: string | null;
  model?: string | null;
  serial?: string | null;
  category?: string;
  refrigerant?: string;
  fullChargeLb?: number;
  fullChargeMethod?: string;
  repairNeedsShutdown?: boolean;
  installDate?: string | null;
};

export const UNIT_FIELD_NAMES = [
  "name",
  "manufacturer",
  "model",
  "serial",
  "category",
  "refrigerant",
  "fullChargeLb",
  "fullChargeMethod",
  "repairNeedsShutdown",
  "installDate",
] as const;

export function UnitFields({
  values = {},
  errors,
  refrigerants,
  today,
}: {
  values?: UnitValues;
  errors: FieldErrorMap;
  refrigerants: RefrigerantChoice[];
  today: string;
}) {
  return (
    <div className="grid-2">
      <TextField
        label="Name or tag"
        name="name"
        defaultValue={values.name}
        maxLength={80}
        hint="As labelled on the equipment, e.g. “RTU-3” or “Walk-in freezer”."
        errors={errors.name}
      />
      <SelectField
        label="Category"
        name="category"
        placeholder="Choose a category…"
        defaultValue={values.category ?? ""}
        options={categoryOptions}
        hint="Sets the EPA leak-rate threshold."
        errors={errors.category}
      />
      <SelectField
        label="Refrigerant"
        name="refrigerant"
        placeholder="Choose a refrigerant…"
        defaultValue={values.refrigerant ?? ""}
        options={refrigerants.map((r) => ({
          value: r.designation,
          label: `${r.designation}${r.ods ? " (ODS)" : ""} · GWP ${r.gwp}`,
        }))}
        errors={errors.refrigerant}
      />
      <TextField
        label="Full charge (lb)"
        name="fullChargeLb"
        inputMode="decimal"
        defaultValue={values.fullChargeLb === undefined ? undefined : String(values.fullChargeLb)}
        hint="Every leak rate is computed against it."
        errors={errors.fullChargeLb}
      />
      <SelectField
        label="Full charge determined by"
        name="fullChargeMethod"
        placeholder="Choose how…"
        defaultValue={values.fullChargeMethod ?? ""}
        options={fullChargeMethodOptions}
        errors={errors.fullChargeMethod}
      />
      <TextField
        label="Install date"
        name="installDate"
        type="date"
        max={today}
        required={false}
        defaultValue={values.installDate ?? ""}
        errors={errors.installDate}
      />
      <TextField
        label="Manufacturer"
        name="manufacturer"
        required={false}
        maxLength={80}
        defaultValue={values.manufacturer ?? ""}
        errors={errors.manufacturer}
      />
      <TextField
        label="Model"
        name="model"
        required={false}
        maxLength={80}
        defaultValue={values.model ?? ""}
        errors={errors.model}
      />
      <TextField
        label="Serial number"
        name="serial"
        required={false}
        maxLength={80}
        autoCapitalize="characters"
        defaultValue={values.serial ?? ""}
        errors={errors.serial}
      />
      <CheckboxField
        label="A repair needs a shutdown"
        name="repairNeedsShutdown"
        value="true"
        defaultChecked={values.repairNeedsShutdown ?? false}
        hint="Industrial process refrigeration that must be shut down to repair gets 120 days instead of 30."
        errors={errors.repairNeedsShutdown}
      />
    </div>
  );
}

const NEW_CUSTOMER = "__new";

/**
 * Where a new unit goes. People who may add customers and locations can create the location (and
 * its customer) right here; the others choose an existing location.
 */
export function PlacementFields({
  locations,
  customers,
  canAddLocations,
  errors,
  initial,
}: {
  locations: LocationChoice[];
  customers: { id: string; name: string }[];
  canAddLocations: boolean;
  errors: FieldErrorMap;
  initial: { where?: string; locationId?: string; customerId?: string };
}) {
  const [where, setWhere] = useState(
    canAddLocations && (initial.where === "new" || locations.length === 0) ? "new" : "existing",
  );
  const [customerId, setCustomerId] = useState(initial.customerId ?? (customers.length === 0 ? NEW_CUSTOMER : ""));
  const newCustomer = customerId === NEW_CUSTOMER;
  return (
    <fieldset className="unit-fieldset stack-sm">
      <legend>Where is it?</legend>
      {canAddLocations ? (
        <div className="unit-choice">
          <label>
            <input
              type="radio"
              name="where"
              value="existing"
              checked={where === "existing"}
              onChange={() => setWhere("existing")}
              disabled={locations.length === 0}
            />
            An existing location
          </label>
          <label>
            <input type="radio" name="where" value="new" checked={where === "new"} onChange={() => setWhere("new")} />A
            new location
          </label>
        </div>
      ) : null}

      <div hidden={where !== "existing"}>
        {locations.length === 0 ? (
          <p className="muted">No locations yet: a manager or admin adds customers and their locations.</p>
        ) : (
          <SelectField
            label="Location"
            name="locationId"
            placeholder="Choose a location…"
            defaultValue={initial.locationId ?? ""}
            disabled={where !== "existing"}
            options={locations.map((l) => ({
              value: l.id,
              label: `${l.customerName} · ${l.name} (${l.city}, ${l.state})`,
            }))}
            errors={errors.locationId}
          />
        )}
      </div>

      {canAddLocations ? (
        <fieldset className="unit-choice-new stack-sm" hidden={where !== "new"} disabled={where !== "new"}>
          <legend className="visually-hidden">New location</legend>
          <SelectField
            label="Customer"
            name="location.customerId"
            placeholder="Choose a customer…"
            value={customerId}
            onChange={(event) => setCustomerId(event.currentTarget.value)}
            options={[
              ...customers.map((c) => ({ value: c.id, label: c.name })),
              { value: NEW_CUSTOMER, label: "+ A new customer" },
            ]}
            errors={errors["location.customerId"]}
          />
          {newCustomer ? (
            <TextField
              label="New customer's name"
              name="location.customer.name"
              maxLength={120}
              hint="The billing entity, e.g. “Northland Cold Storage”."
              errors={errors["location.customer.name"] ?? errors["location.customer"]}
            />
          ) : null}
          <AddressFields prefix="location." errors={errors} />
        </fieldset>
      ) : null}
    </fieldset>
  );
}

/** The API's body for the placement fields: `locationId`, or `location` with `customerId` or `customer`. */
export function placementBody(form: Record<string, unknown>): Record<string, unknown> {
  const { where, ...rest } = form;
  if (where !== "new") {
    const { location: _location, ...body } = rest;
    return body;
  }
  const { locationId: _locationId, ...body } = rest;
  const location = { ...((body.location as Record<string, unknown> | undefined) ?? {}) };
  if (location.customerId === NEW_CUSTOMER) delete location.customerId;
  else delete location.customer;
  return { ...body, location };
}
