/**
 * The fields of a job: where (customer → one of its locations → units there), what (description),
 * how urgent (priority) and which project. Creating picks the site; editing keeps it and lets the
 * manager change the units at it. Errors are keyed by the API's field names.
 */
import { useId, useState } from "react";
import { type FieldErrorMap, SelectField, TextAreaField } from "../form";
import { CATEGORY_LABELS, type UnitCategory } from "../units/labels";
import { type JobPriority, priorityOptions } from "./labels";

export type CustomerChoice = { id: string; name: string };
export type LocationChoice = {
  id: string;
  name: string;
  city: string;
  state: string;
  customerId: string;
  customerName: string;
};
export type UnitChoice = { id: string; name: string; locationId: string; refrigerant: string; category: string };
export type ProjectChoice = { id: string; name: string; customerId: string | null };

export const JOB_FIELD_NAMES = ["customerId", "locationId", "unitIds", "projectId", "description", "priority"];

/** Repeated checkboxes arrive as a string (one) or a list (several); the API wants a list. */
export function listField(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === "string" && value !== "" ? [value] : [];
}

export function SitePicker({
  customers,
  locations,
  units,
  errors,
  initial,
}: {
  customers: readonly CustomerChoice[];
  locations: readonly LocationChoice[];
  units: readonly UnitChoice[];
  errors: FieldErrorMap;
  initial: { customerId?: string; locationId?: string; unitIds?: readonly string[] };
}) {
  const id = useId();
  const [customerId, setCustomerId] = useState(initial.customerId ?? "");
  const [locationId, setLocationId] = useState(initial.locationId ?? "");
  const ofCustomer = customerId ? locations.filter((location) => location.customerId === customerId) : [];
  const chooseCustomer = (next: string) => {
    setCustomerId(next);
    const sites = locations.filter((location) => location.customerId === next);
    // One site: nothing to choose.
    setLocationId(sites.length === 1 ? (sites[0]?.id ?? "") : "");
  };
  return (
    <>
      <SelectField
        label="Customer"
        name="customerId"
        id={`${id}-customer`}
        placeholder="Choose a customer…"
        options={customers.map((customer) => ({ value: customer.id, label: customer.name }))}
        value={customerId}
        onChange={(event) => chooseCustomer(event.target.value)}
        errors={errors.customerId}
      />
      <SelectField
        label="Location"
        name="locationId"
        id={`${id}-location`}
        placeholder={customerId ? "Choose a location…" : "Choose a customer first"}
        options={ofCustomer.map((location) => ({
          value: location.id,
          label: `${location.name} · ${location.city}, ${location.state}`,
        }))}
        value={locationId}
        onChange={(event) => setLocationId(event.target.value)}
        disabled={!customerId}
        hint={customerId && ofCustomer.length === 0 ? "This customer has no active locations yet." : undefined}
        errors={errors.locationId}
      />
      <UnitPicker
        units={units.filter((unit) => unit.locationId === locationId)}
        chosen={initial.unitIds ?? []}
        hasLocation={Boolean(locationId)}
        errors={errors.unitIds}
        key={locationId}
      />
    </>
  );
}

/** Units at the job's location as checkboxes (a fieldset with its legend as the group's name). */
export function UnitPicker({
  units,
  chosen,
  hasLocation = true,
  errors,
}: {
  units: readonly UnitChoice[];
  chosen: readonly string[];
  hasLocation?: boolean;
  errors?: string[];
}) {
  const id = useId();
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <fieldset className={errorId ? "field job-units field-invalid" : "field job-units"} aria-describedby={errorId}>
      <legend className="field-label">
        Units<span className="field-optional"> (optional)</span>
      </legend>
      {!hasLocation ? (
        <p className="field-hint">Choose a location to see its units.</p>
      ) : units.length === 0 ? (
        <p className="field-hint">No active units at this location.</p>
      ) : (
        <ul className="list-plain job-unit-choices">
          {units.map((unit) => (
            <li key={unit.id}>
              <label className="job-unit-choice">
                <input type="checkbox" name="unitIds" value={unit.id} defaultChecked={chosen.includes(unit.id)} />
                <span>
                  <strong>{unit.name}</strong>
                  <span className="job-sub">
                    {CATEGORY_LABELS[unit.category as UnitCategory] ?? unit.category} · {unit.refrigerant}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {errorId ? (
        <p id={errorId} className="field-error">
          {errors?.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

export function JobDetailFields({
  projects,
  errors,
  values = {},
}: {
  projects: readonly ProjectChoice[];
  errors: FieldErrorMap;
  values?: { description?: string; priority?: JobPriority; projectId?: string | null };
}) {
  return (
    <>
      <TextAreaField
        label="What needs doing"
        name="description"
        rows={3}
        maxLength={2000}
        defaultValue={values.description}
        hint="E.g. “RTU-3 short-cycling, check charge and TXV”."
        errors={errors.description}
      />
      <div className="grid grid-2 job-field-pair">
        <SelectField
          label="Priority"
          name="priority"
          options={priorityOptions}
          defaultValue={values.priority ?? "NORMAL"}
          errors={errors.priority}
        />
        <SelectField
          label="Project"
          name="projectId"
          required={false}
          placeholder="No project"
          options={projects.map((project) => ({ value: project.id, label: project.name }))}
          defaultValue={values.projectId ?? ""}
          errors={errors.projectId}
        />
      </div>
    </>
  );
}
