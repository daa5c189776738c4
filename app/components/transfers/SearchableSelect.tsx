/**
 * A labelled <select> with a search box that narrows its options as you type (after hydration;
 * without JavaScript the plain select still works). The select is the form field.
 */
import { type ReactNode, useEffect, useId, useMemo, useState } from "react";

export type SearchableOption = { value: string; label: string; keywords?: string };

export function SearchableSelect({
  label,
  name,
  options,
  value,
  onChange,
  placeholder,
  hint,
  errors,
  searchLabel,
  emptyText = "Nothing matches.",
  children,
}: {
  label: string;
  name: string;
  options: readonly SearchableOption[];
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  hint?: ReactNode;
  errors?: string[];
  /** The search box's accessible name, e.g. "Search cylinders". */
  searchLabel: string;
  emptyText?: string;
  /** Extra controls beside the search box (e.g. a Scan QR button). */
  children?: ReactNode;
}) {
  const id = useId();
  const selectId = `${name}-${id}`;
  const [hydrated, setHydrated] = useState(false);
  const [query, setQuery] = useState("");
  useEffect(() => setHydrated(true), []);
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return options;
    const matches = options.filter((option) => {
      const text = `${option.label} ${option.keywords ?? ""}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    // The chosen option stays in the list so the select never silently changes value.
    const chosen = options.find((option) => option.value === value);
    return chosen && !matches.includes(chosen) ? [chosen, ...matches] : matches;
  }, [options, query, value]);
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = errors?.length ? `${selectId}-error` : undefined;
  const countId = `${selectId}-count`;
  return (
    <div className={errorId ? "field field-invalid" : "field"}>
      <label htmlFor={selectId} className="field-label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {hydrated || children ? (
        <div className="picker-tools">
          {hydrated ? (
            <input
              type="search"
              className="input picker-search"
              aria-label={searchLabel}
              aria-describedby={countId}
              placeholder={`${searchLabel}…`}
              value={query}
              onChange={(event) => {
                const next = event.target.value;
                setQuery(next);
                // One match: pick it, so a typed tag is all it takes.
                const words = next.toLowerCase().split(/\s+/).filter(Boolean);
                const hits = options.filter((option) =>
                  words.every((word) => `${option.label} ${option.keywords ?? ""}`.toLowerCase().includes(word)),
                );
                if (words.length > 0 && hits.length === 1 && hits[0]) onChange(hits[0].value);
              }}
            />
          ) : null}
          {children}
        </div>
      ) : null}
      <select
        id={selectId}
        name={name}
        required
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      >
        <option value="">{placeholder}</option>
        {shown.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <p id={countId} className="visually-hidden" aria-live="polite">
        {query ? (shown.length === 0 ? emptyText : `${shown.length} shown`) : ""}
      </p>
      {errorId ? (
        <p id={errorId} className="field-error">
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
