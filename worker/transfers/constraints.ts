/**
 * D1 has no interactive transactions: two transfers on the same cylinder may both pass the
 * service's checks and then commit in turn. The cylinder CHECK constraints decide instead: the
 * batch whose update would break a rule fails as a whole, and the error names the rule.
 */

export type ConstraintName =
  | "cylinders_contents_not_negative"
  | "cylinders_recovery_80_percent"
  | "cylinders_contents_within_capacity"
  | "transfers_amount_positive";

const NAMES: readonly ConstraintName[] = [
  "cylinders_contents_not_negative",
  "cylinders_recovery_80_percent",
  "cylinders_contents_within_capacity",
  "transfers_amount_positive",
];

/** The CHECK constraint a failed D1 write broke (searching the error and its causes), or null. */
export function brokenConstraint(error: unknown): ConstraintName | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const message = String((current as { message?: unknown }).message ?? "");
    if (message.includes("CHECK constraint failed")) {
      const name = NAMES.find((candidate) => message.includes(candidate));
      if (name) return name;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
