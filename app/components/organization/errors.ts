import type { FieldErrorMap } from "../form";

/**
 * zod's built-in messages ("Invalid input: expected number, received NaN") say what the parser
 * saw; a form field should say what to type. Messages the schemas wrote themselves pass through.
 */
function friendly(message: string): string {
  if (/expected number, received (undefined|NaN)/.test(message)) return "Enter a number.";
  if (/received undefined/.test(message)) return "Required.";
  if (/expected int/.test(message)) return "Enter a whole number.";
  if (message.startsWith("Invalid option")) return "Choose one of the options.";
  const bound = /^Too (small|big): expected number to be ([<>]=?)\s*(\S+)/.exec(message);
  if (bound) {
    const [, , op, limit] = bound;
    const phrase = { ">=": "at least", ">": "more than", "<=": "at most", "<": "less than" }[op ?? ""] ?? "";
    return `Enter ${phrase} ${limit}.`;
  }
  return message;
}

export function friendlyErrors(fields: FieldErrorMap): FieldErrorMap {
  return Object.fromEntries(Object.entries(fields).map(([key, list]) => [key, list?.map(friendly)]));
}
