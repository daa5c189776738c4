import { z } from "@hono/zod-openapi";
import { and, desc, eq, inArray, lt, notLike, type SQL, sql } from "drizzle-orm";
import { auditLog, organizations } from "../../db/schema";
import { orgTree } from "../orgs/reach";
import type { OrgScope } from "../policy/guards";

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** Cursor: entries strictly older than this epoch-millisecond time. */
  before: z.coerce.number().int().positive().optional(),
});

/**
 * Newest first. At the top-level org a PARENT_ORG_ADMIN reads the whole company's log.
 * The cursor is a time, so a page never ends inside a group of entries logged at the same instant
 * (a batch): the next page, strictly older, would skip the rest of the group. Such a page holds
 * the whole group and may be longer than `limit`.
 */
/**
 * `changesOnly` leaves out sign-ins and sign-outs (dashboards show what changed; the audit log page
 * shows everything).
 */
export async function listAuditLog(
  scope: OrgScope,
  query: z.infer<typeof AuditQuery>,
  { changesOnly = false }: { changesOnly?: boolean } = {},
) {
  const orgIds =
    scope.org.parentOrgId === null && scope.actor.role === "PARENT_ORG_ADMIN"
      ? (await orgTree(scope.db, scope.org.id)).map((org) => org.id)
      : [scope.org.id];
  const limit = query.limit ?? 50;
  const select = (condition: SQL | undefined, max: number) =>
    scope.db
      .select({ entry: auditLog, orgName: organizations.name })
      .from(auditLog)
      .innerJoin(organizations, eq(organizations.id, auditLog.orgId))
      .where(
        and(inArray(auditLog.orgId, orgIds), condition, changesOnly ? notLike(auditLog.action, "auth.%") : undefined),
      )
      // rowid: insertion order, a stable tie-break within one instant (the log is append-only).
      .orderBy(desc(auditLog.createdAt), desc(sql`"audit_log"."rowid"`))
      .limit(max)
      .all();
  const rows = await select(query.before ? lt(auditLog.createdAt, new Date(query.before)) : undefined, limit + 1);
  let page = rows.slice(0, limit);
  let nextBefore: number | null = null;
  const boundary = page.at(-1)?.entry.createdAt;
  if (rows.length > limit && boundary) {
    const [group, older] = await Promise.all([
      select(eq(auditLog.createdAt, boundary), 10_000),
      select(lt(auditLog.createdAt, boundary), 1),
    ]);
    page = [...page.filter((row) => row.entry.createdAt.getTime() !== boundary.getTime()), ...group];
    nextBefore = older.length > 0 ? boundary.getTime() : null;
  }
  return {
    entries: page.map(({ entry, orgName }) => ({
      ...entry,
      orgName,
      createdAt: entry.createdAt.toISOString(),
    })),
    nextBefore,
  };
}
