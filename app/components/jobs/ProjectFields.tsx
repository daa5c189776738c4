/** A project's fields (new and edit) and its progress over its jobs. */
import { type FieldErrorMap, SelectField, TextAreaField, TextField } from "../form";

export const PROJECT_FIELD_NAMES = ["name", "description", "customerId", "dueDate"];

export function ProjectFields({
  customers,
  errors,
  values = {},
}: {
  customers: readonly { id: string; name: string }[];
  errors: FieldErrorMap;
  values?: { name?: string; description?: string | null; customerId?: string | null; dueDate?: string | null };
}) {
  return (
    <>
      <TextField
        label="Name"
        name="name"
        maxLength={200}
        defaultValue={values.name}
        hint="E.g. “Lakeside R-404A retrofit” or “Clinic maintenance 2027”."
        errors={errors.name}
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={3}
        maxLength={2000}
        required={false}
        defaultValue={values.description ?? undefined}
        errors={errors.description}
      />
      <div className="grid grid-2 job-field-pair">
        <SelectField
          label="Customer"
          name="customerId"
          required={false}
          placeholder="Any customer"
          hint="When set, only this customer's jobs can join."
          options={customers.map((customer) => ({ value: customer.id, label: customer.name }))}
          defaultValue={values.customerId ?? ""}
          errors={errors.customerId}
        />
        <TextField
          label="Due date"
          name="dueDate"
          type="date"
          required={false}
          defaultValue={values.dueDate ?? undefined}
          errors={errors.dueDate}
        />
      </div>
    </>
  );
}

/** "3 of 5 jobs done · 1 canceled", with a bar for the eye (the words carry the meaning). */
export function ProgressBar({ counts }: { counts: { total: number; open: number; completed: number } }) {
  if (counts.total === 0) return <span className="muted">No jobs yet</span>;
  const live = counts.open + counts.completed;
  const canceled = counts.total - live;
  if (live === 0)
    return <span className="muted">{canceled === 1 ? "1 job, canceled" : `${canceled} jobs, all canceled`}</span>;
  const percent = Math.round((counts.completed / live) * 100);
  return (
    <span className="project-progress">
      <span className="project-progress-bar" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </span>
      <span className="project-counts">
        {`${counts.completed} of ${live} ${live === 1 ? "job" : "jobs"} done${canceled > 0 ? ` · ${canceled} canceled` : ""}`}
      </span>
    </span>
  );
}
