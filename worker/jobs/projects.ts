/**
 * Projects (SPEC §5, issue 4): a group of jobs with its own status, rolled up from the jobs by
 * `projectRollup` (worker/field/lifecycle.ts) whenever a job's status or project changes. A
 * manager may cancel a project by hand (it stays CANCELED) and reopen it (rolled up again).
 * Only dispatchers (jobs:manage) see projects; their events go to PROJECT_AUDIENCE.
 */
import { and, desc, eq, inArray, isNull, ne, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { customers, jobs, projects } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { requireActiveCustomer } from "../customers/locations";
import { newId } from "../db";
import { PROJECT_AUDIENCE } from "../field/audience";
import { projectRollup } from "../field/lifecycle";
import type { Project, ProjectDetail } from "../field/shapes";
import { conflict, notFound } from "../http/errors";
import { publish } from "../live/publish";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import type { ProjectCreateInput, ProjectListQuery, ProjectPatchInput } from "./schemas";
import { listJobs } from "./service";

type ProjectRow = typeof projects.$inferSelect;
type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

const CHUNK = 90;

function projectSelect(scope: OrgScope) {
  return scope.db
    .select({ project: projects, customerName: customers.name })
    .from(projects)
    .leftJoin(customers, eq(customers.id, projects.customerId));
}

type ProjectListRow = Awaited<ReturnType<ReturnType<typeof projectSelect>["all"]>>[number];

async function present(scope: OrgScope, rows: readonly ProjectListRow[]): Promise<Project[]> {
  const counts = new Map<string, { total: number; open: number; completed: number }>();
  const ids = rows.map((row) => row.project.id);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const found = await scope.db
      .select({
        projectId: jobs.projectId,
        total: sql<number>`COUNT(*)`,
        open: sql<number>`SUM(CASE WHEN ${jobs.status} IN ('COMPLETED', 'CANCELED') THEN 0 ELSE 1 END)`,
        completed: sql<number>`SUM(CASE WHEN ${jobs.status} = 'COMPLETED' THEN 1 ELSE 0 END)`,
      })
      .from(jobs)
      .where(
        and(eq(jobs.orgId, scope.org.id), isNull(jobs.deletedAt), inArray(jobs.projectId, ids.slice(i, i + CHUNK))),
      )
      .groupBy(jobs.projectId)
      .all();
    for (const row of found)
      if (row.projectId)
        counts.set(row.projectId, {
          total: Number(row.total),
          open: Number(row.open),
          completed: Number(row.completed),
        });
  }
  return rows.map(({ project, customerName }) => ({
    id: project.id,
    name: project.name,
    description: project.description,
    status: project.status,
    customer: project.customerId ? { id: project.customerId, name: customerName ?? "" } : null,
    dueDate: project.dueDate,
    jobCounts: counts.get(project.id) ?? { total: 0, open: 0, completed: 0 },
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  }));
}

/** Projects of the org in the order given (missing ids skipped). */
export async function projectSummaries(scope: OrgScope, projectIds: readonly string[]): Promise<Project[]> {
  const unique = [...new Set(projectIds)];
  const rows: ProjectListRow[] = [];
  for (let i = 0; i < unique.length; i += CHUNK)
    rows.push(
      ...(await projectSelect(scope)
        .where(and(eq(projects.orgId, scope.org.id), inArray(projects.id, unique.slice(i, i + CHUNK))))
        .all()),
    );
  const byId = new Map((await present(scope, rows)).map((project) => [project.id, project]));
  return unique.map((id) => byId.get(id)).filter((project): project is Project => !!project);
}

/** The org's projects, open ones first (by due date), then the rest, newest first. */
export async function listProjects(scope: OrgScope, query: ProjectListQuery = {}): Promise<Project[]> {
  const conditions: SQL[] = [eq(projects.orgId, scope.org.id)];
  if (query.status && query.status !== "ALL") conditions.push(eq(projects.status, query.status));
  const rows = await projectSelect(scope)
    .where(and(...conditions))
    .orderBy(
      sql`CASE WHEN ${projects.status} IN ('OPEN', 'IN_PROGRESS') THEN 0 ELSE 1 END`,
      sql`${projects.dueDate} IS NULL`,
      projects.dueDate,
      desc(projects.createdAt),
    )
    .all();
  return present(scope, rows);
}

async function requireProject(scope: OrgScope, projectId: string): Promise<ProjectRow> {
  const row = await scope.db
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.orgId, scope.org.id)))
    .get();
  if (!row) throw notFound("Project");
  return row;
}

/** One project with its (not deleted) jobs. */
export async function getProject(scope: OrgScope, projectId: string): Promise<ProjectDetail> {
  const row = await requireProject(scope, projectId);
  const [[project], jobList] = await Promise.all([
    projectSummaries(scope, [row.id]),
    listJobs(scope, { projectId: row.id, limit: 500 }),
  ]);
  if (!project) throw notFound("Project");
  return { ...project, jobs: jobList };
}

const snapshot = (row: Partial<ProjectRow>) => ({
  name: row.name,
  description: row.description,
  customerId: row.customerId,
  dueDate: row.dueDate,
  status: row.status,
});

async function announce(scope: OrgScope, action: string, projectId: string) {
  const [project] = await projectSummaries(scope, [projectId]);
  if (!project) return;
  await publish(
    scope.env,
    scope.org,
    { entity: "project", action, id: project.id, orgId: scope.org.id, data: { project } },
    PROJECT_AUDIENCE,
  );
}

export async function createProject(scope: OrgScope, input: ProjectCreateInput): Promise<ProjectDetail> {
  const { db, org } = scope;
  const customer = input.customerId ? await requireActiveCustomer(scope, input.customerId, "customerId") : null;
  const now = new Date();
  const values = {
    id: newId(),
    orgId: org.id,
    name: input.name,
    description: input.description || null,
    customerId: customer?.id ?? null,
    dueDate: input.dueDate ?? null,
    status: "OPEN" as const,
    createdById: scope.user.id,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(projects).values(values),
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action: "project.create",
      entityType: "project",
      entityId: values.id,
      after: snapshot(values),
    }),
  ]);
  await announce(scope, "created", values.id);
  return getProject(scope, values.id);
}

/**
 * Edit name, description, customer, due date; cancel by hand (CANCELED stays) or reopen (OPEN:
 * the status is rolled up from the jobs again). A project's customer must be the customer of
 * every job in it.
 */
export async function updateProject(
  scope: OrgScope,
  projectId: string,
  input: ProjectPatchInput,
): Promise<ProjectDetail> {
  const { db, org } = scope;
  const row = await requireProject(scope, projectId);
  const set: Partial<typeof projects.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) set.name = input.name;
  if (input.description !== undefined) set.description = input.description || null;
  if (input.dueDate !== undefined) set.dueDate = input.dueDate;
  if (input.customerId !== undefined && input.customerId !== row.customerId) {
    if (input.customerId) {
      const customer = await requireActiveCustomer(scope, input.customerId, "customerId");
      const other = await db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.projectId, row.id), isNull(jobs.deletedAt), ne(jobs.customerId, customer.id)))
        .get();
      if (other)
        throw conflict(`This project has jobs of another customer than ${customer.name}.`, "PROJECT_CUSTOMER", {
          customerId: ["Jobs of another customer are in this project."],
        });
    }
    set.customerId = input.customerId;
  }
  if (input.status === "CANCELED") set.status = "CANCELED";
  if (input.status === "OPEN") set.status = "OPEN";

  const statements: Batch = [
    db
      .update(projects)
      .set(set)
      .where(and(eq(projects.id, row.id), eq(projects.orgId, org.id))),
  ];
  // Reopening (or un-cancelling) hands the status back to the roll-up, in the same batch.
  if (input.status === "OPEN") statements.push(projectRollup(db, row.id));
  statements.push(
    auditEntry(db, {
      orgId: org.id,
      actor: actorRef(scope),
      action:
        input.status === "CANCELED" ? "project.cancel" : input.status === "OPEN" ? "project.reopen" : "project.update",
      entityType: "project",
      entityId: row.id,
      before: snapshot(row),
      after: snapshot({ ...row, ...set }),
    }),
  );
  await db.batch(statements);
  await announce(
    scope,
    input.status === "CANCELED" ? "canceled" : input.status === "OPEN" ? "reopened" : "updated",
    row.id,
  );
  return getProject(scope, row.id);
}
