import { Form, useNavigation } from "react-router";
import { US_STATES } from "../../worker/customers/states";
import { inheritanceOf } from "../../worker/orgs/inheritance";
import { OrgSettingsPatch } from "../../worker/orgs/schemas";
import { getOrgSettings, updateOrgSettings } from "../../worker/orgs/service";
import {
  actionErrorOf,
  FormErrors,
  FormSuccess,
  fieldErrorsOf,
  SelectField,
  SubmitButton,
  TextField,
} from "../components/form";
import { friendlyErrors } from "../components/organization/errors";
import { timeZoneOptions } from "../components/organization/time-zones";
import { InheritanceNote, InheritForm } from "../components/suborgs/Inheritance";
import { asPageError, formAction, formObject, pageOrgScope } from "../lib/server";
import type { Route } from "./+types/organization.settings";

/** The appliance categories of SPEC §5 with their EPA leak-rate thresholds (§6). */
const CATEGORIES = [
  { key: "COMFORT_COOLING", label: "Comfort cooling" },
  { key: "COMMERCIAL_REFRIGERATION", label: "Commercial refrigeration" },
  { key: "INDUSTRIAL_PROCESS", label: "Industrial process refrigeration" },
  { key: "REFRIGERATED_TRANSPORT", label: "Refrigerated transport" },
  { key: "OTHER", label: "Other appliances" },
] as const;

const METHODS = [
  {
    value: "ANNUALIZING",
    label: "Annualizing",
    hint: "(lb added ÷ full charge) × (365 ÷ days since the previous addition, at most 365) × 100.",
  },
  {
    value: "ROLLING_AVERAGE",
    label: "Rolling average",
    hint: "lb added over the previous 365 days (or since the last successful follow-up verification test) ÷ full charge × 100.",
  },
] as const;

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "org:settings");
  const [settings, inheritance] = await Promise.all([
    asPageError(() => getOrgSettings(scope)),
    inheritanceOf(scope.db, scope.org),
  ]);
  return { settings, inheritance, timeZones: timeZoneOptions(settings.timeZone) };
}

/**
 * The form as OrgSettingsPatch expects it: numbers coerced, the EPA fields nested, and cleared
 * optional fields (EIN, logo, colour) sent as null so they are removed.
 */
function settingsPatchFromForm(formData: FormData) {
  const form = formObject(formData, {
    keepEmpty: ["name", "ein", "brandLogoUrl", "brandColor", "addressState", "addressZip"],
  });
  const text = (key: string) => (typeof form[key] === "string" ? (form[key] as string).trim() : undefined);
  const orNull = (key: string) => {
    const value = text(key);
    return value === "" ? null : value;
  };
  // Empty stays undefined (zod says "required"); anything else becomes a number, NaN included.
  const number = (key: string) => {
    const value = text(key);
    return value === undefined || value === "" ? undefined : Number(value);
  };
  return {
    name: text("name"),
    ein: orNull("ein"),
    brandLogoUrl: orNull("brandLogoUrl"),
    brandColor: orNull("brandColor"),
    timeZone: text("timeZone"),
    addressState: orNull("addressState"),
    addressZip: orNull("addressZip"),
    epaConfig: {
      coverageThresholdLb: number("epaConfig.coverageThresholdLb"),
      leakRateThresholds: Object.fromEntries(
        CATEGORIES.map(({ key }) => [key, number(`epaConfig.leakRateThresholds.${key}`)]),
      ),
      alertAtPercentOfThreshold: number("epaConfig.alertAtPercentOfThreshold"),
      calculationMethod: text("epaConfig.calculationMethod"),
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await pageOrgScope(context, request, params.orgId, "org:settings");
  const formData = await request.formData();
  // "Use parent's" on a sub-org: that setting goes back to the parent's value.
  if (formData.get("intent") === "inherit") {
    const inherit = formData.getAll("inherit").map(String);
    return formAction({ inherit }, OrgSettingsPatch, (input) => updateOrgSettings(scope, input));
  }
  return formAction(settingsPatchFromForm(formData), OrgSettingsPatch, (input) => updateOrgSettings(scope, input));
}

export function meta() {
  return [{ title: "Settings · Organization · RefriTrak" }];
}

const SHOWN_FIELDS = [
  "name",
  "ein",
  "brandLogoUrl",
  "brandColor",
  "timeZone",
  "addressState",
  "addressZip",
  "epaConfig.coverageThresholdLb",
  ...CATEGORIES.map(({ key }) => `epaConfig.leakRateThresholds.${key}`),
  "epaConfig.alertAtPercentOfThreshold",
  "epaConfig.calculationMethod",
];

export default function SettingsTab({ loaderData, actionData }: Route.ComponentProps) {
  const { settings, inheritance, timeZones } = loaderData;
  const parentName = inheritance.parent?.name ?? null;
  const epa = settings.epaConfig;
  const navigation = useNavigation();
  const saved = actionData && "result" in actionData;
  const fields = friendlyErrors(fieldErrorsOf(actionData));
  const methodErrors = fields["epaConfig.calculationMethod"];

  return (
    <section aria-labelledby="settings-heading" className="org-tab-panel">
      <div className="section-title">
        <h2 id="settings-heading">Settings</h2>
      </div>
      {saved ? <FormSuccess>Settings saved.</FormSuccess> : null}
      <FormErrors error={actionErrorOf(actionData)} shownFields={SHOWN_FIELDS} />
      {parentName ? (
        <p className="muted">
          Time zone, brand and EPA settings follow {parentName} unless this organization sets its own.
        </p>
      ) : null}
      <InheritForm />
      {/* Keyed on the saved values: after a save or a reset the fields show what is stored. */}
      <Form method="post" className="form" key={`${settings.id}:${JSON.stringify(settings)}`}>
        <fieldset className="org-fieldset">
          <legend>Organization</legend>
          <InheritanceNote settings={inheritance.settings} keys={["timeZone"]} parentName={parentName} />
          <div className="grid-2">
            <TextField label="Name" name="name" defaultValue={settings.name} errors={fields.name} />
            <TextField
              label="EIN"
              name="ein"
              required={false}
              defaultValue={settings.ein ?? ""}
              hint="Employer Identification Number, XX-XXXXXXX."
              placeholder="12-3456789"
              inputMode="numeric"
              errors={fields.ein}
            />
            <SelectField
              label="Time zone"
              name="timeZone"
              options={timeZones}
              defaultValue={settings.timeZone}
              hint="Schedules, reports and the audit log use it."
              errors={fields.timeZone}
            />
          </div>
        </fieldset>

        <fieldset className="org-fieldset">
          <legend>Branch address</legend>
          <p className="field-hint">Where this organization's warehouse cylinders are, for sales territories.</p>
          <div className="grid-2">
            <SelectField
              label="State"
              name="addressState"
              required={false}
              placeholder="Not set"
              options={US_STATES.map((state) => ({ value: state, label: state }))}
              defaultValue={settings.addressState ?? ""}
              errors={fields.addressState}
            />
            <TextField
              label="ZIP"
              name="addressZip"
              required={false}
              inputMode="numeric"
              autoComplete="postal-code"
              defaultValue={settings.addressZip ?? ""}
              placeholder="12345"
              errors={fields.addressZip}
            />
          </div>
        </fieldset>

        <fieldset className="org-fieldset">
          <legend>Brand</legend>
          <InheritanceNote
            settings={inheritance.settings}
            keys={["brandLogoUrl", "brandColor"]}
            parentName={parentName}
          />
          <div className="grid-2">
            <TextField
              label="Logo URL"
              name="brandLogoUrl"
              type="url"
              required={false}
              defaultValue={settings.brandLogoUrl ?? ""}
              placeholder="https://example.com/logo.svg"
              errors={fields.brandLogoUrl}
            />
            <div className="org-color-field">
              <TextField
                label="Brand colour"
                name="brandColor"
                required={false}
                defaultValue={settings.brandColor ?? ""}
                hint="A hex colour such as #0e7490."
                placeholder="#0e7490"
                errors={fields.brandColor}
              />
              {settings.brandColor ? (
                <span
                  className="org-swatch"
                  style={{ backgroundColor: settings.brandColor }}
                  title={`Current colour ${settings.brandColor}`}
                  aria-hidden="true"
                />
              ) : null}
            </div>
          </div>
        </fieldset>

        <fieldset className="org-fieldset">
          <legend>EPA compliance</legend>
          <InheritanceNote settings={inheritance.settings} keys={["epaConfig"]} parentName={parentName} />
          <p className="field-hint">
            Section 608 leak-repair rules as this organization applies them. The defaults follow 40 CFR Part 82 Subpart
            F and Part 84 Subpart C; change them only when the rules or your compliance plan say so.
          </p>
          <div className="grid-2">
            <TextField
              label="Coverage threshold (lb)"
              name="epaConfig.coverageThresholdLb"
              type="number"
              inputMode="decimal"
              step="any"
              min={0}
              max={10000}
              defaultValue={epa.coverageThresholdLb}
              hint="Appliances with a full charge of at least this much are covered by the leak-repair rules."
              errors={fields["epaConfig.coverageThresholdLb"]}
            />
            <TextField
              label="Alert at (% of threshold)"
              name="epaConfig.alertAtPercentOfThreshold"
              type="number"
              inputMode="numeric"
              step={1}
              min={1}
              max={100}
              defaultValue={epa.alertAtPercentOfThreshold}
              hint="Warn when a leak rate reaches this share of its threshold."
              errors={fields["epaConfig.alertAtPercentOfThreshold"]}
            />
          </div>
          <fieldset className="org-fieldset org-fieldset-inner">
            <legend>Leak-rate thresholds (%)</legend>
            <div className="grid-2">
              {CATEGORIES.map(({ key, label }) => (
                <TextField
                  key={key}
                  label={`${label} (%)`}
                  name={`epaConfig.leakRateThresholds.${key}`}
                  type="number"
                  inputMode="decimal"
                  step="any"
                  min={0}
                  max={100}
                  defaultValue={epa.leakRateThresholds[key]}
                  errors={fields[`epaConfig.leakRateThresholds.${key}`]}
                />
              ))}
            </div>
          </fieldset>
          <fieldset
            className="org-fieldset org-fieldset-inner"
            aria-describedby={methodErrors ? "method-error" : undefined}
          >
            <legend>Leak-rate calculation method</legend>
            {METHODS.map((method) => (
              <div className="field field-check" key={method.value}>
                <input
                  type="radio"
                  id={`method-${method.value}`}
                  name="epaConfig.calculationMethod"
                  value={method.value}
                  defaultChecked={epa.calculationMethod === method.value}
                  aria-describedby={`method-${method.value}-hint`}
                />
                <div>
                  <label htmlFor={`method-${method.value}`} className="field-label">
                    {method.label}
                  </label>
                  <p id={`method-${method.value}-hint`} className="field-hint">
                    {method.hint}
                  </p>
                </div>
              </div>
            ))}
            {methodErrors ? (
              <p id="method-error" className="field-error">
                {methodErrors.join(" ")}
              </p>
            ) : null}
          </fieldset>
        </fieldset>

        <div className="form-actions">
          <SubmitButton pending={navigation.state === "submitting"} pendingLabel="Saving…">
            Save settings
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}
