/**
 * Projects behind the API (issue 4): dispatchers only (jobs:manage), created, listed, read with
 * their jobs, edited; the status rolled up from the jobs in the same write (COMPLETED when the last
 * open job completes, back when a job reopens or joins), CANCELED by hand and kept, reopened and
 * rolled up again; bad input (nothing written), audit entries, live events to dispatchers only.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { customers, locations, type Role } from "../../db/schema";
import type { Job, Project, ProjectDetail } from "../../worker/field/shapes";
import { publish } from "../../worker/live/publish";
import { api, createTree, type LiveClient, openLive, signIn, type TestOrg, type Tree, testDb } from "./helpers";
import { auditOf, expectError, ROLES, sqlAll, sqlCount, unique } from "./support";

let tree: Tree;
let cookies: Record<Role, string>;
let outsider: string;

beforeAll(async () => {
  tree = await createTree();
  const signed = await Promise.all(ROLES.map((role) => signIn(tree.users[role].id)));
  cookies = Object.fromEntries(ROLES.map((role, i) => [role, signed[i]])) as Record<Role, string>;
  outsider = await signIn(tree.outsiders.ORG_ADMIN.id);
});

const base = (org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}/projects`;
const jobsBase = (org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}/jobs`;

async function createSite(orgId = tree.subA.id) {
  const db = testDb();
  const customerId = crypto.randomUUID();
  const locationId = crypto.randomUUID();
  await db.batch([
    db.insert(customers).values({ id: customerId, orgId, name: unique("Customer ") }),
    db.insert(locations).values({
      id: locationId,
      orgId,
      customerId,
      name: unique("Store "),
      street: "1 Main St",
      city: "Dayton",
      state: "OH",
      zip: "45402",
    }),
  ]);
  return { customerId, locationId };
}

async function createProject(body: Record<string, unknown> = {}, cookie = cookies.MANAGER) {
  const res = await api<ProjectDetail>(base(), { cookie, body: { name: unique("Store remodel "), ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function addJob(projectId: string | null, site?: { customerId: string; locationId: string }) {
  const where = site ?? (await createSite());
  const res = await api<Job>(jobsBase(), {
    cookie: cookies.MANAGER,
    body: { ...where, projectId, description: "Install rack" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const patchJob = (id: string, body: Record<string, unknown>) =>
  api<Job>(`${jobsBase()}/${id}`, { method: "PATCH", cookie: cookies.MANAGER, body });
const project = async (id: string) => (await api<ProjectDetail>(`${base()}/${id}`, { cookie: cookies.MANAGER })).body;
const writes = async () => ({
  projects: await sqlCount("SELECT count(*) AS n FROM projects WHERE org_id = ?", tree.subA.id),
  audit: await sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", tree.subA.id),
});

describe("projects", () => {
  it("are created, listed and read by MANAGER and up, audited", async () => {
    const site = await createSite();
    const created = await createProject({
      description: "Phase 1",
      customerId: site.customerId,
      dueDate: "2031-03-31",
    });
    expect(created).toMatchObject({
      name: expect.stringContaining("Store remodel"),
      description: "Phase 1",
      status: "OPEN",
      customer: { id: site.customerId },
      dueDate: "2031-03-31",
      jobCounts: { total: 0, open: 0, completed: 0 },
      jobs: [],
    });
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const) {
      const list = await api<{ projects: Project[] }>(base(), { cookie: cookies[role] });
      expect(list.status).toBe(200);
      expect(list.body.projects.map((p) => p.id)).toContain(created.id);
      expect((await api(`${base()}/${created.id}`, { cookie: cookies[role] })).status).toBe(200);
    }
    const open = await api<{ projects: Project[] }>(`${base()}?status=OPEN`, { cookie: cookies.MANAGER });
    expect(open.body.projects.map((p) => p.id)).toContain(created.id);
    const done = await api<{ projects: Project[] }>(`${base()}?status=COMPLETED`, { cookie: cookies.MANAGER });
    expect(done.body.projects.map((p) => p.id)).not.toContain(created.id);
    expectError(await api(`${base()}?status=LATE`, { cookie: cookies.MANAGER }), 400);
    expect(await auditOf(created.id)).toMatchObject([
      { action: "project.create", entityType: "project", actorId: tree.users.MANAGER.id, orgId: tree.subA.id },
    ]);
  });

  it("are refused to TECHNICIAN and SALES (403) and to other orgs (404), nothing written", async () => {
    const created = await createProject();
    const before = await writes();
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      const cookie = cookies[role];
      expectError(await api(base(), { cookie }), 403, "FORBIDDEN");
      expectError(await api(`${base()}/${created.id}`, { cookie }), 403, "FORBIDDEN");
      expectError(await api(base(), { cookie, body: { name: "x" } }), 403, "FORBIDDEN");
      expectError(await api(`${base()}/${created.id}`, { method: "PATCH", cookie, body: { name: "x" } }), 403);
    }
    expectError(await api(`${base()}/${created.id}`, { cookie: outsider }), 404);
    expectError(await api(base(), { cookie: outsider, body: { name: "x" } }), 404);
    // Through a sibling org's URL, with an admin who reaches both: still not found.
    expectError(await api(`${base(tree.subB)}/${created.id}`, { cookie: cookies.PARENT_ORG_ADMIN }), 404);
    expectError(
      await api(`${base(tree.subB)}/${created.id}`, {
        method: "PATCH",
        cookie: cookies.PARENT_ORG_ADMIN,
        body: { name: "x" },
      }),
      404,
    );
    expect(await writes()).toEqual(before);
  });

  it("refuse bad input with field errors, writing nothing", async () => {
    const created = await createProject();
    const foreign = await createSite(tree.subB.id);
    const before = await writes();
    for (const [body, field] of [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "x".repeat(201) }, "name"],
      [{ name: 5 }, "name"],
      [{ name: "ok", dueDate: "31/03/2031" }, "dueDate"],
      [{ name: "ok", dueDate: "2031-02-30" }, "dueDate"],
      [{ name: "ok", description: "x".repeat(2001) }, "description"],
      [{ name: "ok", customerId: foreign.customerId }, "customerId"],
      [{ name: "ok", status: "COMPLETED" }, "status"],
      [{ name: "ok", owner: "me" }, "owner"],
    ] as const) {
      const res = await api(base(), { cookie: cookies.MANAGER, body });
      expectError(res, 400);
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(res.body)).toContain(field);
    }
    for (const [body, field] of [
      [{ name: "" }, "name"],
      [{ status: "COMPLETED" }, "status"],
      [{ status: "IN_PROGRESS" }, "status"],
      [{ dueDate: "tomorrow" }, "dueDate"],
      [{ customerId: foreign.customerId }, "customerId"],
      [{ jobs: [] }, "jobs"],
    ] as const) {
      const res = await api(`${base()}/${created.id}`, { method: "PATCH", cookie: cookies.MANAGER, body });
      expectError(res, 400);
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(res.body)).toContain(field);
    }
    expect(await writes()).toEqual(before);
    expect(await project(created.id)).toMatchObject({ name: created.name, status: "OPEN" });
  });

  it("are edited (name, description, customer, due date), audited with before and after", async () => {
    const created = await createProject({ description: "Old" });
    const site = await createSite();
    const res = await api<ProjectDetail>(`${base()}/${created.id}`, {
      method: "PATCH",
      cookie: cookies.ORG_ADMIN,
      body: { name: "Renamed", description: null, customerId: site.customerId, dueDate: "2031-01-15" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Renamed",
      description: null,
      customer: { id: site.customerId },
      dueDate: "2031-01-15",
    });
    const entry = (await auditOf(created.id)).at(-1);
    expect(entry).toMatchObject({
      action: "project.update",
      before: { description: "Old" },
      after: { name: "Renamed" },
    });
  });

  it("keep jobs of their customer only", async () => {
    const site = await createSite();
    const created = await createProject({ customerId: site.customerId });
    await addJob(created.id, site);
    const elsewhere = await createSite();
    const res = await api(jobsBase(), {
      cookie: cookies.MANAGER,
      body: { ...elsewhere, projectId: created.id, description: "x" },
    });
    expectError(res, 400);
    expect(res.body.error.fields).toHaveProperty("projectId");
    expectError(
      await api(`${base()}/${created.id}`, {
        method: "PATCH",
        cookie: cookies.MANAGER,
        body: { customerId: elsewhere.customerId },
      }),
      409,
    );
  });
});

describe("project roll-up", () => {
  it("completes the project when its last open job completes, and reopens it with a job", async () => {
    const created = await createProject();
    const a = await addJob(created.id);
    const b = await addJob(created.id);
    expect(await project(created.id)).toMatchObject({
      status: "OPEN",
      jobCounts: { total: 2, open: 2, completed: 0 },
    });
    expect((await project(created.id)).jobs.map((job) => job.id).sort()).toEqual([a.id, b.id].sort());

    await patchJob(a.id, { status: "COMPLETED" });
    expect(await project(created.id)).toMatchObject({
      status: "IN_PROGRESS",
      jobCounts: { total: 2, open: 1, completed: 1 },
    });
    await patchJob(b.id, { status: "CANCELED", cancelReason: "Not needed" });
    expect(await project(created.id)).toMatchObject({
      status: "COMPLETED",
      jobCounts: { total: 2, open: 0, completed: 1 },
    });
    // Reopening a job reopens the project.
    await patchJob(b.id, { status: "PENDING" });
    expect((await project(created.id)).status).toBe("IN_PROGRESS");
    await patchJob(b.id, { status: "COMPLETED" });
    expect((await project(created.id)).status).toBe("COMPLETED");
    // A new job joins: no longer complete.
    const c = await addJob(created.id);
    expect((await project(created.id)).status).toBe("IN_PROGRESS");
    // Deleting it completes the project again.
    expect((await api(`${jobsBase()}/${c.id}`, { method: "DELETE", cookie: cookies.ORG_ADMIN })).status).toBe(204);
    expect(await project(created.id)).toMatchObject({ status: "COMPLETED", jobCounts: { total: 2 } });
  });

  it("re-rolls both projects when a job moves, and a project with only canceled jobs is not complete", async () => {
    const first = await createProject();
    const second = await createProject();
    const job = await addJob(first.id);
    const other = await addJob(second.id);
    await patchJob(other.id, { status: "COMPLETED" });
    expect((await project(second.id)).status).toBe("COMPLETED");
    const moved = await patchJob(job.id, { projectId: second.id });
    expect(moved.body.project).toMatchObject({ id: second.id });
    expect(await project(first.id)).toMatchObject({ status: "OPEN", jobCounts: { total: 0 } });
    expect(await project(second.id)).toMatchObject({ status: "IN_PROGRESS", jobCounts: { total: 2, open: 1 } });
    const out = await patchJob(job.id, { projectId: null });
    expect(out.body.project).toBeNull();
    expect((await project(second.id)).status).toBe("COMPLETED");

    const canceledOnly = await createProject();
    const lone = await addJob(canceledOnly.id);
    await patchJob(lone.id, { status: "CANCELED", cancelReason: "Duplicate" });
    expect((await project(canceledOnly.id)).status).toBe("OPEN");
  });

  it("keeps a canceled project canceled; reopening rolls it up from its jobs again", async () => {
    const created = await createProject();
    const job = await addJob(created.id);
    const canceled = await api<ProjectDetail>(`${base()}/${created.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "CANCELED" },
    });
    expect(canceled.body.status).toBe("CANCELED");
    await patchJob(job.id, { status: "COMPLETED" });
    expect((await project(created.id)).status).toBe("CANCELED");
    // A canceled project takes no new job.
    const site = await createSite();
    const refused = await api(jobsBase(), {
      cookie: cookies.MANAGER,
      body: { ...site, projectId: created.id, description: "x" },
    });
    expectError(refused, 400);
    expect(refused.body.error.fields).toHaveProperty("projectId");

    const reopened = await api<ProjectDetail>(`${base()}/${created.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "OPEN" },
    });
    expect(reopened.body.status).toBe("COMPLETED");
    expect((await auditOf(created.id)).map((entry) => entry.action)).toEqual([
      "project.create",
      "project.cancel",
      "project.reopen",
    ]);
    const [row] = await sqlAll("SELECT status FROM projects WHERE id = ?", created.id);
    expect(row?.status).toBe("COMPLETED");
  });
});

describe("live project events", () => {
  async function settle(org: Pick<TestOrg, "id" | "parentOrgId">, clients: LiveClient[]) {
    const id = `marker-${crypto.randomUUID()}`;
    await publish(env, org, { entity: "org", action: "marker", id, orgId: org.id });
    await Promise.all(clients.map((client) => client.event(id)));
  }

  it("reach the dispatchers only, with the project in data", async () => {
    const manager = await openLive(tree.subA.id, cookies.MANAGER);
    const tech = await openLive(tree.subA.id, cookies.TECHNICIAN);
    const sales = await openLive(tree.subA.id, cookies.SALES);
    const sibling = await openLive(tree.subB.id, await signIn(tree.sibling.MANAGER.id));
    const created = await createProject();
    expect(await manager.event(created.id)).toMatchObject({
      entity: "project",
      action: "created",
      orgId: tree.subA.id,
      data: { project: { id: created.id, status: "OPEN" } },
    });
    const job = await addJob(created.id);
    await patchJob(job.id, { status: "COMPLETED" });
    await manager.waitFor(
      (m) =>
        m.type === "event" && m.id === created.id && (m.data as { project?: Project }).project?.status === "COMPLETED",
    );
    await settle(tree.subA, [manager, tech, sales]);
    await settle(tree.subB, [sibling]);
    for (const client of [tech, sales, sibling]) expect(client.eventIds()).not.toContain(created.id);
  });
});
