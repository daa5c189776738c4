/**
 * A dispatcher's "Add appointment" form on a job page: when (a day and a time in the user's time
 * zone, the action turns them into an instant), for how long (2 h unless changed), who (one or more
 * technicians, with their EPA 608 certification so a mismatch is visible before the server warns)
 * and a note for them.
 */
import { useId } from "react";
import { Form, Link } from "react-router";
import { type FieldErrorMap, FormErrors, SelectField, SubmitButton, TextAreaField, TextField } from "../form";
import { CERTIFICATION_LABELS } from "../units/labels";
import { formatDuration } from "./labels";

export type TechnicianChoice = { id: string; name: string; certificationType: string | null };

export const APPOINTMENT_FIELD_NAMES = ["date", "time", "startsAt", "durationMinutes", "technicianIds", "note"];

const DURATIONS = [30, 60, 90, 120, 180, 240, 300, 360, 480];

export function AppointmentForm({
  technicians,
  defaults,
  timeZoneLabel,
  error,
  errors,
  close,
}: {
  technicians: readonly TechnicianChoice[];
  defaults: { date: string; time: string };
  timeZoneLabel: string;
  error: Parameters<typeof FormErrors>[0]["error"];
  errors: FieldErrorMap;
  close: string;
}) {
  const id = useId();
  const techErrors = errors.technicianIds;
  const techErrorId = techErrors?.length ? `${id}-tech-error` : undefined;
  return (
    <Form method="post" className="form job-panel" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="org-panel-heading">
        Add an appointment
      </h3>
      <FormErrors error={error} shownFields={APPOINTMENT_FIELD_NAMES} />
      <input type="hidden" name="intent" value="appointment" />
      <div className="grid grid-2 job-field-pair">
        <TextField
          label="Day"
          name="date"
          type="date"
          defaultValue={defaults.date}
          errors={errors.date ?? errors.startsAt}
        />
        <TextField
          label="Start time"
          name="time"
          type="time"
          step={300}
          defaultValue={defaults.time}
          errors={errors.time}
        />
      </div>
      <p className="field-hint job-time-zone">{timeZoneLabel}.</p>
      <SelectField
        label="Duration"
        name="durationMinutes"
        options={DURATIONS.map((minutes) => ({ value: String(minutes), label: formatDuration(minutes) }))}
        defaultValue="120"
        errors={errors.durationMinutes}
      />
      <fieldset
        className={techErrorId ? "field job-units field-invalid" : "field job-units"}
        aria-describedby={techErrorId}
      >
        <legend className="field-label">Technicians</legend>
        {technicians.length === 0 ? (
          <p className="field-hint">This organization has no active technicians.</p>
        ) : (
          <ul className="list-plain job-unit-choices">
            {technicians.map((technician) => (
              <li key={technician.id}>
                <label className="job-unit-choice">
                  <input type="checkbox" name="technicianIds" value={technician.id} />
                  <span>
                    <strong>{technician.name}</strong>
                    <span className="job-sub">
                      {technician.certificationType
                        ? `EPA 608 ${CERTIFICATION_LABELS[technician.certificationType] ?? technician.certificationType}`
                        : "No 608 certification recorded"}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {techErrorId ? (
          <p id={techErrorId} className="field-error">
            {techErrors?.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <TextAreaField
        label="Note for the technicians"
        name="note"
        rows={2}
        maxLength={2000}
        required={false}
        errors={errors.note}
      />
      <div className="form-actions">
        <SubmitButton pendingLabel="Scheduling…">Schedule appointment</SubmitButton>
        <Link className="button button-secondary" to={close}>
          Cancel
        </Link>
      </div>
    </Form>
  );
}
