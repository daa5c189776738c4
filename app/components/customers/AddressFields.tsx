/**
 * A service location's name and address, named `${prefix}name`, `${prefix}street`… so the same
 * fields serve a new location, a location edited in place, and one created inline with a unit.
 */
import { US_STATES } from "../../../worker/customers/states";
import { type FieldErrorMap, SelectField, TextField } from "../form";

export type AddressValues = { name?: string; street?: string; city?: string; state?: string; zip?: string };

export function AddressFields({
  prefix = "",
  values = {},
  errors = {},
  required = true,
  nameLabel = "Location name",
}: {
  prefix?: string;
  values?: AddressValues;
  /** Errors keyed as the API reports them, e.g. `location.zip`. */
  errors?: FieldErrorMap;
  required?: boolean;
  nameLabel?: string;
}) {
  const name = (field: keyof AddressValues) => `${prefix}${field}`;
  return (
    <div className="grid-2 cust-address">
      <TextField
        label={nameLabel}
        name={name("name")}
        defaultValue={values.name}
        required={required}
        maxLength={120}
        hint="How your technicians call it, e.g. “Store 12” or “Main plant”."
        errors={errors[name("name")]}
      />
      <TextField
        label="Street"
        name={name("street")}
        defaultValue={values.street}
        required={required}
        maxLength={200}
        autoComplete="street-address"
        errors={errors[name("street")]}
      />
      <TextField
        label="City"
        name={name("city")}
        defaultValue={values.city}
        required={required}
        maxLength={100}
        autoComplete="address-level2"
        errors={errors[name("city")]}
      />
      <div className="cust-state-zip">
        <SelectField
          label="State"
          name={name("state")}
          defaultValue={values.state ?? ""}
          required={required}
          placeholder="—"
          options={US_STATES.map((code) => ({ value: code, label: code }))}
          autoComplete="address-level1"
          errors={errors[name("state")]}
        />
        <TextField
          label="ZIP"
          name={name("zip")}
          defaultValue={values.zip}
          required={required}
          inputMode="numeric"
          autoComplete="postal-code"
          maxLength={10}
          pattern="\d{5}(-?\d{4})?"
          title="5 digits, or ZIP+4 (12345-6789)"
          errors={errors[name("zip")]}
        />
      </div>
    </div>
  );
}

/** "100 Main St, Columbus, OH 43215" */
export const formatAddress = (l: { street: string; city: string; state: string; zip: string }) =>
  `${l.street}, ${l.city}, ${l.state} ${l.zip}`;
