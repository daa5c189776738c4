import { conflict, type HttpError } from "../http/errors";

/** The messages of an error and its causes (Drizzle wraps D1's error). */
function messagesOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(" | ");
}

const CHECKS: Record<string, { code: string; message: string }> = {
  cylinders_recovery_80_percent: {
    code: "RECOVERY_OVER_80_PERCENT",
    message: "A recovery cylinder may hold at most 80% of its water capacity.",
  },
  cylinders_contents_within_capacity: {
    code: "CONTENTS_OVER_CAPACITY",
    message: "A cylinder cannot hold more than its water capacity.",
  },
  cylinders_contents_not_negative: {
    code: "CONTENTS_NEGATIVE",
    message: "A cylinder's contents cannot go below zero.",
  },
};

/**
 * The database's own cylinder rules (CHECK constraints, the per-org unique tag) as a 409 a user
 * can act on, or null for any other error. For every write that touches `cylinders`: a concurrent
 * write can get past the service's checks, never past these.
 */
export function cylinderConstraintError(error: unknown): HttpError | null {
  const text = messagesOf(error);
  for (const [name, { code, message }] of Object.entries(CHECKS)) {
    if (text.includes(`CHECK constraint failed: ${name}`)) {
      return conflict(message, code, { netContentsLb: [message] });
    }
  }
  if (text.includes("UNIQUE constraint failed: cylinders.org_id, cylinders.tag")) {
    return conflict("Another cylinder of this organization has this tag.", "TAG_TAKEN", {
      tag: ["Already used by another cylinder."],
    });
  }
  return null;
}

/** Runs a write; the database's cylinder rules become 409s instead of 500s. */
export async function withCylinderConstraints<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw cylinderConstraintError(error) ?? error;
  }
}
