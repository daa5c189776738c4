import { z } from "@hono/zod-openapi";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { auditLog, organizations } from "../../db/schema";
import { orgTree } from "../orgs/reach";
import type { OrgScope } from "../policy/guards";

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** Cursor: entries strictly older than this epoch-millisecond time. */
  before: z.coerce.number().int().positive().optional(),
});

/** Newest first. At the top-level org a PARENT_ORG_ADMIN reads the whole company's log. */
export async function listAuditLog(scope: OrgScope, query: z.infer<typeof AuditQuery>) {
  const orgIds =
    scope.org.parentOrgId === null && scope.actor.role === "PARENT_ORG_ADMIN"
      ? (await orgTree(scope.db, scope.org.id)).map((org) => org.id)
      : [scope.org.id];
  const limit = query.limit ?? 50;
  const rows = await scope.db
    .select({ entry: auditLog, orgName: organizations.name })
    .from(auditLog)
    .innerJoin(organizations, eq(organizations.id, auditLog.orgId))
    .where(
      and(inArray(auditLog.orgId, orgIds), query.before ? lt(auditLog.createdAt, new Date(query.before)) : undefined),
    )
    .orderBy(desc(auditLog.createdAt))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return {
    entries: page.map(({ entry, orgName }) => ({
      ...entry,
      orgName,
      createdAt: entry.createdAt.toISOString(),
    })),
    nextBefore: rows.length > limit ? page.at(-1)?.entry.createdAt.getTime() : null,
  };
}
