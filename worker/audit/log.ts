import { auditLog } from "../../db/schema";
import type { Db } from "../db";
import { newId } from "../db";

export type AuditInput = {
  orgId: string;
  actor: { id: string; name: string } | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

const SECRET_KEYS = new Set(["passwordHash", "secretHash", "tokenHash"]);
const scrub = (value: unknown) =>
  value && typeof value === "object"
    ? Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_KEYS.has(key)))
    : (value ?? null);

/** An insert for the append-only audit log, to be put in the same `db.batch` as the write. */
export function auditEntry(db: Db, input: AuditInput) {
  return db.insert(auditLog).values({
    id: newId(),
    orgId: input.orgId,
    actorId: input.actor?.id ?? null,
    actorName: input.actor?.name ?? null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    before: scrub(input.before),
    after: scrub(input.after),
    // Millisecond precision (the column default, unixepoch() * 1000, has whole seconds only).
    createdAt: new Date(),
  });
}
