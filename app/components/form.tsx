/**
 * Accessible form building blocks shared by every page: each field has a visible label, optional
 * hint, and its errors announced through aria-invalid + aria-describedby. Errors come from the
 * action's `ActionError` (app/lib/server.ts), keyed by field name as the API reports them.
 */
import {
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";
import { useNavigation } from "react-router";

export type FieldErrorMap = Record<string, string[] | undefined>;

/** What an action answers on failure (`formAction` in app/lib/server.ts). */
export type FormErrorPayload = { code: string; message: string; fields?: Record<string, string[]> };

/**
 * The `error` of an action result, or undefined: accepts anything an action may return, so pages
 * can pass `actionData` (or `fetcher.data`) straight through.
 */
export function actionErrorOf(actionData: unknown): FormErrorPayload | undefined {
  if (!actionData || typeof actionData !== "object") return undefined;
  const result = actionData as { ok?: unknown; error?: unknown };
  if (result.ok !== false || !result.error || typeof result.error !== "object") return undefined;
  return result.error as FormErrorPayload;
}

/** The field errors of an action result (empty when there are none). */
export const fieldErrorsOf = (actionData: unknown): FieldErrorMap => actionErrorOf(actionData)?.fields ?? {};

type FieldFrameProps = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  required?: boolean;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
};

function FieldFrame({ id, label, hint, errors, required, children }: FieldFrameProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const invalid = Boolean(errors?.length);
  return (
    <div className={invalid ? "field field-invalid" : "field"}>
      <label htmlFor={id} className="field-label">
        {label}
        {required ? null : <span className="field-optional"> (optional)</span>}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children(describedBy, invalid)}
      {errorId ? (
        <p id={errorId} className="field-error">
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

type CommonFieldProps = {
  /** Visible label text; also the accessible name of the control. */
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  /** Error messages for this field (e.g. `fieldErrorsOf(actionData)[name]`). */
  errors?: string[];
  /** Fields are required unless `required={false}`; optional ones say "(optional)" in the label. */
  required?: boolean;
  id?: string;
};

export type TextFieldProps = CommonFieldProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "required" | "children">;

export function TextField({ label, name, hint, errors, required = true, id, type = "text", ...input }: TextFieldProps) {
  const autoId = useId();
  const fieldId = id ?? `${name}-${autoId}`;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} errors={errors} required={required}>
      {(describedBy, invalid) => (
        <input
          {...input}
          id={fieldId}
          name={name}
          type={type}
          required={required}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className={["input", input.className].filter(Boolean).join(" ")}
        />
      )}
    </FieldFrame>
  );
}

export type TextAreaFieldProps = CommonFieldProps &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id" | "required" | "children">;

export function TextAreaField({
  label,
  name,
  hint,
  errors,
  required = true,
  id,
  rows = 5,
  ...area
}: TextAreaFieldProps) {
  const autoId = useId();
  const fieldId = id ?? `${name}-${autoId}`;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} errors={errors} required={required}>
      {(describedBy, invalid) => (
        <textarea
          {...area}
          id={fieldId}
          name={name}
          rows={rows}
          required={required}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className={["input", area.className].filter(Boolean).join(" ")}
        />
      )}
    </FieldFrame>
  );
}

export type SelectOption = { value: string; label: string; disabled?: boolean };

export type SelectFieldProps = CommonFieldProps & {
  options: readonly SelectOption[];
  /** A first, empty choice such as "Choose a role…" (selectable only when the field is optional). */
  placeholder?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id" | "required" | "children">;

export function SelectField({
  label,
  name,
  hint,
  errors,
  required = true,
  id,
  options,
  placeholder,
  ...select
}: SelectFieldProps) {
  const autoId = useId();
  const fieldId = id ?? `${name}-${autoId}`;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} errors={errors} required={required}>
      {(describedBy, invalid) => (
        <select
          {...select}
          id={fieldId}
          name={name}
          required={required}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className={["input", select.className].filter(Boolean).join(" ")}
        >
          {placeholder !== undefined ? (
            <option value="" disabled={required}>
              {placeholder}
            </option>
          ) : null}
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export type CheckboxFieldProps = Omit<CommonFieldProps, "required"> &
  Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "type" | "children">;

export function CheckboxField({ label, name, hint, errors, id, ...input }: CheckboxFieldProps) {
  const autoId = useId();
  const fieldId = id ?? `${name}-${autoId}`;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = errors?.length ? `${fieldId}-error` : undefined;
  return (
    <div className={errorId ? "field field-check field-invalid" : "field field-check"}>
      <input
        {...input}
        id={fieldId}
        name={name}
        type="checkbox"
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      />
      <div>
        <label htmlFor={fieldId} className="field-label">
          {label}
        </label>
        {hint ? (
          <p id={hintId} className="field-hint">
            {hint}
          </p>
        ) : null}
        {errorId ? (
          <p id={errorId} className="field-error">
            {errors?.join(" ")}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/**
 * The form-level error summary: the action's message, plus errors of fields the form does not
 * show (pass the names it shows in `shownFields`). Announced to screen readers when it appears.
 */
export function FormErrors({
  error,
  shownFields = [],
  title,
}: {
  /** `actionErrorOf(actionData)`, or any `{ message, fields }`. */
  error?: Pick<FormErrorPayload, "message" | "fields"> | null;
  shownFields?: readonly string[];
  title?: string;
}) {
  if (!error) return null;
  const others = Object.entries(error.fields ?? {}).filter(([name]) => !shownFields.includes(name));
  return (
    <div className="alert alert-error" role="alert">
      {title ? <p className="alert-title">{title}</p> : null}
      <p>{error.message}</p>
      {others.length > 0 ? (
        <ul>
          {others.map(([name, messages]) => (
            <li key={name}>
              {name === "_" ? "" : `${name}: `}
              {messages.join(" ")}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A success notice, announced politely. */
export function FormSuccess({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}

/**
 * The submit button; shows `pendingLabel` while its form's navigation is submitting. For fetcher
 * forms pass `pending={fetcher.state !== "idle"}`.
 */
export function SubmitButton({
  children,
  pendingLabel,
  pending,
  variant = "primary",
  className,
  ...button
}: {
  children: ReactNode;
  pendingLabel?: ReactNode;
  pending?: boolean;
  variant?: "primary" | "secondary" | "danger";
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type">) {
  const navigation = useNavigation();
  const busy = pending ?? (navigation.state === "submitting" && navigation.formMethod !== undefined);
  return (
    <button
      {...button}
      type="submit"
      className={["button", `button-${variant}`, className].filter(Boolean).join(" ")}
      aria-disabled={busy || undefined}
      disabled={button.disabled}
      onClick={(event) => {
        // Stays focusable while busy (screen readers keep their place) but never submits twice.
        if (busy) event.preventDefault();
        button.onClick?.(event);
      }}
    >
      {busy && pendingLabel ? pendingLabel : children}
    </button>
  );
}

/**
 * A list filter: a labelled select submitted with its GET form. `all`, when given, is the first
 * option (empty value: no filter). Keyed by its value so a navigation resets it.
 */
export function FilterSelect({
  id,
  name,
  label,
  value,
  all,
  options,
  disabled,
}: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  all?: string;
  options: { value: string; label: string }[];
  disabled?: boolean;
}) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} name={name} className="input" defaultValue={value ?? ""} key={value} disabled={disabled}>
        {all !== undefined ? <option value="">{all}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
