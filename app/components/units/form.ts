/**
 * From a flat form (`formObject`) to the JSON the API's schemas take: dotted names become nested
 * objects ("location.customer.name"), numeric fields become numbers, checkboxes booleans. Values
 * that do not look right are passed on as typed, so the schema names the field.
 */
export function nestFields(form: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    const path = key.split(".");
    let target = result;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      if (next && typeof next === "object" && !Array.isArray(next)) target = next as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        target[part] = created;
        target = created;
      }
    }
    target[path.at(-1) ?? key] = value;
  }
  return result;
}

/** "14.5" → 14.5; anything else stays as typed. */
export function numberField(value: unknown): unknown {
  if (typeof value === "string" && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(value)) return Number(value);
  return value;
}

/** The errors of every field whose name starts with `prefix` (e.g. all of `location.`), for one summary. */
export function errorsUnder(fields: Record<string, string[] | undefined>, prefix: string): string[] | undefined {
  const list = Object.entries(fields).flatMap(([key, messages]) => (key.startsWith(prefix) ? (messages ?? []) : []));
  return list.length ? list : undefined;
}
