/**
 * Jobs behind the API (issue 4): creating with per-org numbers from J-1001, listing and reading
 * by role (a technician only the jobs assigned to them, another org's job 404), editing, the
 * manager's status changes (complete, cancel with its open appointments, reopen), soft delete,
 * notes with their author's name, bad input on every write (nothing written), audit entries,
 * live events to the dispatchers and the job's technicians only, and transfers linking a job.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  appointments,
  appointmentTechnicians,
  customers,
  cylinders,
  locations,
  type Role,
  units,
} from "../../db/schema";
import type { Job, JobSummary } from "../../worker/field/shapes";
import { publish } from "../../worker/live/publish";
import {
  api,
  createTree,
  createUser,
  type LiveClient,
  openLive,
  signIn,
  type TestOrg,
  type TestUser,
  type Tree,
  testDb,
} from "./helpers";
import { auditOf, expectError, ROLES, sqlAll, sqlCount, unique } from "./support";

let tree: Tree;
let cookies: Record<Role, string>;
let otherTech: { user: TestUser; cookie: string };
let outsider: string;

beforeAll(async () => {
  tree = await createTree();
  const signed = await Promise.all(ROLES.map((role) => signIn(tree.users[role].id)));
  cookies = Object.fromEntries(ROLES.map((role, i) => [role, signed[i]])) as Record<Role, string>;
  const user = await createUser({ orgId: tree.subA.id, role: "TECHNICIAN" });
  otherTech = { user, cookie: await signIn(user.id) };
  outsider = await signIn(tree.outsiders.ORG_ADMIN.id);
});

const base = (org: Pick<TestOrg, "id"> = tree.subA) => `/api/orgs/${org.id}/jobs`;

/** A customer with a location and two active units, written directly. */
async function createSite(orgId = tree.subA.id) {
  const db = testDb();
  const customerId = crypto.randomUUID();
  const locationId = crypto.randomUUID();
  const unitIds = [crypto.randomUUID(), crypto.randomUUID()];
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
    ...unitIds.map((id) =>
      db.insert(units).values({
        id,
        orgId,
        locationId,
        name: unique("RTU-"),
        manufacturer: "Carrier",
        model: "48TC",
        serial: unique("SN"),
        category: "COMFORT_COOLING",
        refrigerant: "R-410A",
        fullChargeLb: 20,
        fullChargeMethod: "MANUFACTURER",
      }),
    ),
  ]);
  return { customerId, locationId, unitIds };
}

async function createJob(body: Record<string, unknown> = {}, org: TestOrg = tree.subA, cookie = cookies.MANAGER) {
  const site = await createSite(org.id);
  const res = await api<Job>(base(org), {
    cookie,
    body: { customerId: site.customerId, locationId: site.locationId, description: "No cooling in aisle 4", ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { job: res.body, site };
}

/** Assigns a technician to a job the way the appointments API does, written directly. */
async function assign(jobId: string, technicianId: string, status: "SCHEDULED" | "IN_PROGRESS" = "SCHEDULED") {
  const db = testDb();
  const id = crypto.randomUUID();
  await db.batch([
    db.insert(appointments).values({
      id,
      orgId: tree.subA.id,
      jobId,
      startsAt: new Date(Date.now() + 3_600_000),
      status,
      createdById: tree.users.MANAGER.id,
    }),
    db.insert(appointmentTechnicians).values({ appointmentId: id, userId: technicianId, orgId: tree.subA.id }),
  ]);
  await sqlAll(
    "UPDATE jobs SET status = ? WHERE id = ?",
    status === "IN_PROGRESS" ? "IN_PROGRESS" : "SCHEDULED",
    jobId,
  );
  return id;
}

const counts = async (orgId = tree.subA.id) => ({
  jobs: await sqlCount("SELECT count(*) AS n FROM jobs WHERE org_id = ?", orgId),
  units: await sqlCount("SELECT count(*) AS n FROM job_units"),
  notes: await sqlCount("SELECT count(*) AS n FROM job_notes WHERE org_id = ?", orgId),
  audit: await sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", orgId),
});

describe("creating jobs", () => {
  it("creates a PENDING job with its units, numbered per org from J-1001, increasing, audited", async () => {
    const org = (await createTree()).subA;
    const manager = await signIn((await createUser({ orgId: org.id, role: "MANAGER" })).id);
    const site = await createSite(org.id);
    const first = await api<Job>(base(org), {
      cookie: manager,
      body: {
        customerId: site.customerId,
        locationId: site.locationId,
        unitIds: site.unitIds,
        description: "  Walk-in freezer warm  ",
        priority: "HIGH",
      },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      number: 1001,
      label: "J-1001",
      description: "Walk-in freezer warm",
      priority: "HIGH",
      status: "PENDING",
      customer: { id: site.customerId },
      location: { id: site.locationId, street: "1 Main St", city: "Dayton", state: "OH" },
      project: null,
      technicianIds: [],
      nextAppointmentAt: null,
      notes: [],
      appointments: [],
      transfers: [],
      completedAt: null,
    });
    expect([...first.body.unitIds].sort()).toEqual([...site.unitIds].sort());
    expect(first.body.units.map((unit) => unit.id).sort()).toEqual([...site.unitIds].sort());

    // Concurrent creates never share a number.
    const more = await Promise.all(
      Array.from({ length: 6 }, () =>
        api<Job>(base(org), {
          cookie: manager,
          body: { customerId: site.customerId, locationId: site.locationId, description: "Next" },
        }),
      ),
    );
    expect(more.map((res) => res.status)).toEqual(Array(6).fill(201));
    const numbers = more.map((res) => res.body.number).sort((a, b) => a - b);
    expect(numbers).toEqual([1002, 1003, 1004, 1005, 1006, 1007]);

    const audit = await auditOf(first.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "job.create", entityType: "job", orgId: org.id });
    expect(audit[0]?.after).toMatchObject({ description: "Walk-in freezer warm", unitIds: expect.any(Array) });
  });

  it("numbers each org's jobs on their own", async () => {
    const { job: a } = await createJob({}, tree.subB, cookies.PARENT_ORG_ADMIN);
    const { job: b } = await createJob({}, tree.subA, cookies.PARENT_ORG_ADMIN);
    expect(a.number).toBeGreaterThanOrEqual(1001);
    expect(b.number).toBeGreaterThanOrEqual(1001);
    const [again] = [(await createJob({}, tree.subB, cookies.PARENT_ORG_ADMIN)).job];
    expect(again?.number).toBe(a.number + 1);
  });

  it("lets MANAGER and up create; TECHNICIAN and SALES 403; another company 404; nothing written", async () => {
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const)
      await createJob({}, tree.subA, cookies[role]);
    const site = await createSite();
    const body = { customerId: site.customerId, locationId: site.locationId, description: "x" };
    const before = await counts();
    expectError(await api(base(), { cookie: cookies.TECHNICIAN, body }), 403, "FORBIDDEN");
    expectError(await api(base(), { cookie: cookies.SALES, body }), 403, "FORBIDDEN");
    expectError(await api(base(), { cookie: outsider, body }), 404, "NOT_FOUND");
    expectError(await api(base(), { body }), 401);
    expect(await counts()).toEqual(before);
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const site = await createSite();
    const otherSite = await createSite();
    const foreign = await createSite(tree.subB.id);
    const ok = { customerId: site.customerId, locationId: site.locationId, description: "ok" };
    const cases: [Record<string, unknown> | string, string][] = [
      [{ ...ok, customerId: undefined }, "customerId"],
      [{ ...ok, locationId: undefined }, "locationId"],
      [{ ...ok, description: undefined }, "description"],
      [{ ...ok, description: "   " }, "description"],
      [{ ...ok, description: "x".repeat(2001) }, "description"],
      [{ ...ok, description: 42 }, "description"],
      [{ ...ok, priority: "URGENT" }, "priority"],
      [{ ...ok, unitIds: "abc" }, "unitIds"],
      [{ ...ok, status: "COMPLETED" }, "status"],
      [{ ...ok, customerId: foreign.customerId }, "customerId"],
      [{ ...ok, locationId: foreign.locationId }, "locationId"],
      [{ ...ok, locationId: otherSite.locationId }, "locationId"],
      [{ ...ok, unitIds: [otherSite.unitIds[0]] }, "unitIds"],
      [{ ...ok, unitIds: [foreign.unitIds[0]] }, "unitIds"],
      [{ ...ok, projectId: "nope" }, "projectId"],
    ];
    await sqlAll("UPDATE units SET status = 'DECOMMISSIONED' WHERE id = ?", site.unitIds[1]);
    cases.push([{ ...ok, unitIds: [site.unitIds[1]] }, "unitIds"]);
    const archived = await createSite();
    await sqlAll("UPDATE customers SET archived_at = 1 WHERE id = ?", archived.customerId);
    cases.push([{ ...ok, customerId: archived.customerId, locationId: archived.locationId }, "customerId"]);
    const before = await counts();
    for (const [body, field] of cases) {
      const res = await api(base(), { cookie: cookies.MANAGER, body });
      expectError(res, 400);
      expect(Object.keys(res.body.error.fields ?? {}), `${field}: ${JSON.stringify(res.body)}`).toContain(field);
    }
    expectError(await api(base(), { cookie: cookies.MANAGER, body: "{not json" }), 400);
    expect(await counts()).toEqual(before);
  });
});

describe("reading jobs", () => {
  it("lists and reads every job for dispatchers; a technician only the jobs assigned to them", async () => {
    const { job: mine } = await createJob();
    const { job: theirs } = await createJob();
    const { job: unassigned } = await createJob();
    await assign(mine.id, tree.users.TECHNICIAN.id);
    await assign(theirs.id, otherTech.user.id);

    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const) {
      const list = await api<{ jobs: JobSummary[] }>(base(), { cookie: cookies[role] });
      expect(list.status).toBe(200);
      const ids = list.body.jobs.map((job) => job.id);
      expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id, unassigned.id]));
      expect((await api(`${base()}/${theirs.id}`, { cookie: cookies[role] })).status).toBe(200);
    }
    const techList = await api<{ jobs: JobSummary[] }>(base(), { cookie: cookies.TECHNICIAN });
    expect(techList.body.jobs.map((job) => job.id)).toEqual([mine.id]);
    expect(techList.body.jobs[0]).toMatchObject({
      status: "SCHEDULED",
      technicianIds: [tree.users.TECHNICIAN.id],
      nextAppointmentAt: expect.any(String),
    });
    const read = await api<Job>(`${base()}/${mine.id}`, { cookie: cookies.TECHNICIAN });
    expect(read.status).toBe(200);
    expect(read.body.appointments.map((a) => a.technicians.map((t) => t.id))).toEqual([[tree.users.TECHNICIAN.id]]);
    expectError(await api(`${base()}/${theirs.id}`, { cookie: cookies.TECHNICIAN }), 404, "NOT_FOUND");
    expectError(await api(`${base()}/${unassigned.id}`, { cookie: cookies.TECHNICIAN }), 404, "NOT_FOUND");
    expectError(await api(`${base()}/${mine.id}/notes`, { cookie: otherTech.cookie }), 404, "NOT_FOUND");
    expectError(await api(base(), { cookie: cookies.SALES }), 403, "FORBIDDEN");
    expectError(await api(`${base()}/${mine.id}`, { cookie: cookies.SALES }), 403, "FORBIDDEN");
    // Another org's job, through this org's URL or the other org's: 404.
    expectError(await api(`${base(tree.subB)}/${mine.id}`, { cookie: cookies.PARENT_ORG_ADMIN }), 404);
    expectError(await api(`${base()}/${mine.id}`, { cookie: outsider }), 404);
    expectError(await api(`${base()}/missing`, { cookie: cookies.MANAGER }), 404, "NOT_FOUND");
  });

  it("filters by status, project, customer and text (including the J-number)", async () => {
    const { job, site } = await createJob({ description: unique("Compressor noise ") });
    const { job: done } = await createJob();
    await api(`${base()}/${done.id}`, { method: "PATCH", cookie: cookies.MANAGER, body: { status: "COMPLETED" } });
    const get = async (query: string) =>
      (await api<{ jobs: JobSummary[] }>(`${base()}?${query}`, { cookie: cookies.MANAGER })).body.jobs.map((j) => j.id);
    expect(await get(`customerId=${site.customerId}`)).toEqual([job.id]);
    expect(await get(`q=${encodeURIComponent(job.description)}`)).toEqual([job.id]);
    expect(await get(`q=${job.label}`)).toEqual([job.id]);
    expect(await get("status=COMPLETED")).toContain(done.id);
    expect(await get("status=COMPLETED")).not.toContain(job.id);
    expect(await get("status=OPEN")).not.toContain(done.id);
    expect(await get("limit=1")).toHaveLength(1);
    expectError(await api(`${base()}?status=LATE`, { cookie: cookies.MANAGER }), 400);
    expectError(await api(`${base()}?limit=0`, { cookie: cookies.MANAGER }), 400);
  });

  it("shows the transfers linked to the job", async () => {
    const { job, site } = await createJob({}, tree.subA);
    await assign(job.id, tree.users.TECHNICIAN.id);
    const cylinder = await testDb()
      .insert(cylinders)
      .values({
        id: crypto.randomUUID(),
        orgId: tree.subA.id,
        tag: unique("CYL-"),
        refrigerant: "R-410A",
        kind: "VIRGIN",
        tareWeightLb: 15,
        waterCapacityLb: 50,
        netContentsLb: 25,
      })
      .returning()
      .get();
    const res = await api(`/api/orgs/${tree.subA.id}/transfers`, {
      cookie: cookies.TECHNICIAN,
      body: { kind: "CHARGE", unitId: site.unitIds[0], fromCylinderId: cylinder.id, amountLb: 1, jobId: job.id },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const read = await api<Job>(`${base()}/${job.id}`, { cookie: cookies.MANAGER });
    expect(read.body.transfers).toMatchObject([{ kind: "CHARGE", amountLb: 1, unitId: site.unitIds[0] }]);
  });
});

describe("transfers linking a job", () => {
  it("accepts a job of the org (a technician: one assigned to them); else 400 on jobId, nothing written", async () => {
    const { job: mine, site } = await createJob();
    const { job: theirs } = await createJob();
    const { job: gone } = await createJob();
    const foreign = (await createJob({}, tree.subB, cookies.PARENT_ORG_ADMIN)).job;
    await assign(mine.id, tree.users.TECHNICIAN.id);
    await assign(theirs.id, otherTech.user.id);
    await api(`${base()}/${gone.id}`, { method: "DELETE", cookie: cookies.ORG_ADMIN });
    const transfersBefore = await sqlCount("SELECT count(*) AS n FROM transfers WHERE org_id = ?", tree.subA.id);
    const cylinder = await testDb()
      .insert(cylinders)
      .values({
        id: crypto.randomUUID(),
        orgId: tree.subA.id,
        tag: unique("CYL-"),
        refrigerant: "R-410A",
        kind: "VIRGIN",
        tareWeightLb: 15,
        waterCapacityLb: 50,
        netContentsLb: 25,
      })
      .returning()
      .get();
    const body = (jobId: string) => ({
      kind: "CHARGE",
      unitId: site.unitIds[0],
      fromCylinderId: cylinder.id,
      amountLb: 1,
      jobId,
    });
    for (const [cookie, jobId] of [
      [cookies.TECHNICIAN, theirs.id],
      [cookies.MANAGER, gone.id],
      [cookies.MANAGER, foreign.id],
      [cookies.MANAGER, "missing"],
    ] as const) {
      const res = await api(`/api/orgs/${tree.subA.id}/transfers`, { cookie, body: body(jobId) });
      expectError(res, 400);
      expect(res.body.error.fields, JSON.stringify(res.body)).toHaveProperty("jobId");
    }
    expect(await sqlCount("SELECT count(*) AS n FROM transfers WHERE org_id = ?", tree.subA.id)).toBe(transfersBefore);
    const res = await api(`/api/orgs/${tree.subA.id}/transfers`, { cookie: cookies.TECHNICIAN, body: body(mine.id) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [row] = await sqlAll("SELECT job_id FROM transfers WHERE id = ?", res.body.id);
    expect(row?.job_id).toBe(mine.id);
  });
});

describe("editing jobs", () => {
  it("edits description, priority and units (MANAGER and up), audited; others refused, nothing written", async () => {
    const { job, site } = await createJob({ unitIds: [] });
    const res = await api<Job>(`${base()}/${job.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { description: "Replaced contactor", priority: "EMERGENCY", unitIds: site.unitIds },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ description: "Replaced contactor", priority: "EMERGENCY", status: "PENDING" });
    expect([...res.body.unitIds].sort()).toEqual([...site.unitIds].sort());
    const audit = await auditOf(job.id);
    expect(audit.at(-1)).toMatchObject({ action: "job.update", actorId: tree.users.MANAGER.id });
    expect(audit.at(-1)?.before).toMatchObject({ description: "No cooling in aisle 4", unitIds: [] });

    await assign(job.id, tree.users.TECHNICIAN.id);
    const before = await counts();
    for (const cookie of [cookies.TECHNICIAN, cookies.SALES])
      expectError(await api(`${base()}/${job.id}`, { method: "PATCH", cookie, body: { priority: "LOW" } }), 403);
    expectError(
      await api(`${base()}/${job.id}`, { method: "PATCH", cookie: outsider, body: { priority: "LOW" } }),
      404,
    );
    const other = await createSite();
    for (const [body, field] of [
      [{ description: "" }, "description"],
      [{ description: "x".repeat(2001) }, "description"],
      [{ priority: "SOON" }, "priority"],
      [{ status: "IN_PROGRESS" }, "status"],
      [{ status: "SCHEDULED" }, "status"],
      [{ status: "CANCELED" }, "cancelReason"],
      [{ cancelReason: "why" }, "cancelReason"],
      [{ unitIds: [other.unitIds[0]] }, "unitIds"],
      [{ projectId: "missing" }, "projectId"],
      [{ number: 5 }, "number"],
      [{ customerId: other.customerId }, "customerId"],
    ] as const) {
      const res = await api(`${base()}/${job.id}`, { method: "PATCH", cookie: cookies.MANAGER, body });
      expectError(res, 400);
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(res.body)).toContain(field);
    }
    expect(await counts()).toEqual(before);
    const [row] = await sqlAll("SELECT priority, description FROM jobs WHERE id = ?", job.id);
    expect(row).toMatchObject({ priority: "EMERGENCY", description: "Replaced contactor" });
  });

  it("completes an open job, refuses completing it twice, reopens it", async () => {
    const { job } = await createJob();
    await assign(job.id, tree.users.TECHNICIAN.id);
    const done = await api<Job>(`${base()}/${job.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "COMPLETED" },
    });
    expect(done.body).toMatchObject({ status: "COMPLETED", completedAt: expect.any(String) });
    expectError(
      await api(`${base()}/${job.id}`, { method: "PATCH", cookie: cookies.MANAGER, body: { status: "COMPLETED" } }),
      409,
    );
    expectError(
      await api(`${base()}/${job.id}`, {
        method: "PATCH",
        cookie: cookies.MANAGER,
        body: { status: "CANCELED", cancelReason: "x" },
      }),
      409,
    );
    // Reopened with an appointment still open: SCHEDULED.
    const reopened = await api<Job>(`${base()}/${job.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "PENDING" },
    });
    expect(reopened.body).toMatchObject({ status: "SCHEDULED", completedAt: null });
    expectError(
      await api(`${base()}/${job.id}`, { method: "PATCH", cookie: cookies.MANAGER, body: { status: "PENDING" } }),
      409,
    );
    expect((await auditOf(job.id)).map((entry) => entry.action)).toEqual(["job.create", "job.complete", "job.reopen"]);
  });

  it("cancels a job with a reason and its open appointments in the same write; reopens it PENDING", async () => {
    const { job } = await createJob();
    const appointmentId = await assign(job.id, tree.users.TECHNICIAN.id);
    const canceled = await api<Job>(`${base()}/${job.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "CANCELED", cancelReason: "Customer closed the store" },
    });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({
      status: "CANCELED",
      cancelReason: "Customer closed the store",
      canceledAt: expect.any(String),
      technicianIds: [],
    });
    const [appointment] = await sqlAll("SELECT status, cancel_reason FROM appointments WHERE id = ?", appointmentId);
    expect(appointment).toEqual({ status: "CANCELED", cancel_reason: "Customer closed the store" });
    const reopened = await api<Job>(`${base()}/${job.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "PENDING" },
    });
    expect(reopened.body).toMatchObject({ status: "PENDING", cancelReason: null, canceledAt: null });
  });
});

describe("deleting jobs", () => {
  it("soft-deletes (ORG_ADMIN and up), refused 409 while an appointment is in progress", async () => {
    const { job } = await createJob();
    for (const cookie of [cookies.MANAGER, cookies.TECHNICIAN, cookies.SALES])
      expectError(await api(`${base()}/${job.id}`, { method: "DELETE", cookie }), 403);
    expectError(await api(`${base()}/${job.id}`, { method: "DELETE", cookie: outsider }), 404);
    const started = (await createJob()).job;
    await assign(started.id, tree.users.TECHNICIAN.id, "IN_PROGRESS");
    expectError(await api(`${base()}/${started.id}`, { method: "DELETE", cookie: cookies.ORG_ADMIN }), 409);
    expect((await api(`${base()}/${started.id}`, { cookie: cookies.MANAGER })).status).toBe(200);

    const scheduled = await assign(job.id, tree.users.TECHNICIAN.id);
    const res = await api(`${base()}/${job.id}`, { method: "DELETE", cookie: cookies.ORG_ADMIN });
    expect(res.status).toBe(204);
    const [row] = await sqlAll("SELECT deleted_at FROM jobs WHERE id = ?", job.id);
    expect(row?.deleted_at).not.toBeNull();
    const [appointment] = await sqlAll("SELECT status FROM appointments WHERE id = ?", scheduled);
    expect(appointment?.status).toBe("CANCELED");
    expectError(await api(`${base()}/${job.id}`, { cookie: cookies.MANAGER }), 404);
    expect(
      (await api<{ jobs: JobSummary[] }>(base(), { cookie: cookies.MANAGER })).body.jobs.map((j) => j.id),
    ).not.toContain(job.id);
    expectError(await api(`${base()}/${job.id}`, { method: "DELETE", cookie: cookies.ORG_ADMIN }), 404);
    expect((await auditOf(job.id)).at(-1)).toMatchObject({ action: "job.delete", actorId: tree.users.ORG_ADMIN.id });
  });
});

describe("job notes", () => {
  it("adds notes (FIELD roles; a technician on their own job), newest last, with the author's name kept", async () => {
    const { job } = await createJob();
    await assign(job.id, tree.users.TECHNICIAN.id);
    const first = await api(`${base()}/${job.id}/notes`, { cookie: cookies.MANAGER, body: { body: "Gate code 4411" } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      jobId: job.id,
      authorId: tree.users.MANAGER.id,
      authorName: tree.users.MANAGER.name,
      body: "Gate code 4411",
    });
    const second = await api(`${base()}/${job.id}/notes`, {
      cookie: cookies.TECHNICIAN,
      body: { body: " Compressor replaced " },
    });
    expect(second.status).toBe(201);
    expect(second.body.body).toBe("Compressor replaced");

    const before = await counts();
    expectError(await api(`${base()}/${job.id}/notes`, { cookie: otherTech.cookie, body: { body: "x" } }), 404);
    expectError(await api(`${base()}/${job.id}/notes`, { cookie: cookies.SALES, body: { body: "x" } }), 403);
    expectError(await api(`${base()}/${job.id}/notes`, { cookie: outsider, body: { body: "x" } }), 404);
    for (const body of [
      {},
      { body: "" },
      { body: "   " },
      { body: "x".repeat(5001) },
      { body: 5 },
      { body: "x", pin: true },
    ]) {
      const res = await api(`${base()}/${job.id}/notes`, { cookie: cookies.MANAGER, body });
      expectError(res, 400);
      expect(res.body.error.fields).toBeDefined();
    }
    expect(await counts()).toEqual(before);

    // The author's name stays on the note after they are renamed or deactivated.
    const name = tree.users.TECHNICIAN.name;
    await sqlAll("UPDATE users SET name = 'Renamed Person' WHERE id = ?", tree.users.TECHNICIAN.id);
    const notes = await api(`${base()}/${job.id}/notes`, { cookie: cookies.MANAGER });
    await sqlAll("UPDATE users SET name = ? WHERE id = ?", name, tree.users.TECHNICIAN.id);
    expect(notes.body.notes.map((note: { body: string }) => note.body)).toEqual([
      "Gate code 4411",
      "Compressor replaced",
    ]);
    expect(notes.body.notes[1]).toMatchObject({ authorName: name });
    const read = await api<Job>(`${base()}/${job.id}`, { cookie: cookies.TECHNICIAN });
    expect(read.body.notes).toHaveLength(2);
    expect((await auditOf(job.id)).filter((entry) => entry.action === "job.note")).toHaveLength(2);
  });
});

describe("live job events", () => {
  /** A marker every connection of the org may see: once it arrives, everything before it has too. */
  async function settle(org: Pick<TestOrg, "id" | "parentOrgId">, clients: LiveClient[]) {
    const id = `marker-${crypto.randomUUID()}`;
    await publish(env, org, { entity: "org", action: "marker", id, orgId: org.id });
    await Promise.all(clients.map((client) => client.event(id)));
  }

  it("reach the dispatchers and the assigned technician, never another technician, SALES or another org", async () => {
    const { job } = await createJob();
    await assign(job.id, tree.users.TECHNICIAN.id);
    const manager = await openLive(tree.subA.id, cookies.MANAGER);
    const tech = await openLive(tree.subA.id, cookies.TECHNICIAN);
    const other = await openLive(tree.subA.id, otherTech.cookie);
    const sales = await openLive(tree.subA.id, cookies.SALES);
    const sibling = await openLive(tree.subB.id, await signIn(tree.sibling.MANAGER.id));

    await api(`${base()}/${job.id}/notes`, { cookie: cookies.TECHNICIAN, body: { body: "On site" } });
    const noted = await manager.event(job.id);
    expect(noted).toMatchObject({
      entity: "job",
      action: "noted",
      orgId: tree.subA.id,
      data: { job: { id: job.id, label: job.label }, note: { body: "On site" } },
    });
    expect(await tech.event(job.id)).toMatchObject({ action: "noted" });

    await api(`${base()}/${job.id}`, {
      method: "PATCH",
      cookie: cookies.MANAGER,
      body: { status: "CANCELED", cancelReason: "Duplicate" },
    });
    await tech.waitFor((m) => m.type === "event" && m.id === job.id && m.action === "canceled");
    await manager.waitFor((m) => m.type === "event" && m.entity === "appointment" && m.action === "canceled");
    const appointmentEvent = manager.events().find((e) => e.entity === "appointment");
    expect(appointmentEvent?.data).toMatchObject({ appointment: { jobId: job.id, status: "CANCELED" } });
    await tech.waitFor((m) => m.type === "event" && m.entity === "appointment" && m.action === "canceled");

    const created = await createJob();
    await manager.event(created.job.id);
    expect(manager.events().find((e) => e.id === created.job.id)).toMatchObject({
      action: "created",
      data: { job: { id: created.job.id, status: "PENDING" } },
    });

    await settle(tree.subA, [manager, tech, other, sales]);
    await settle(tree.subB, [sibling]);
    for (const client of [other, sales, sibling]) {
      expect(client.eventIds()).not.toContain(job.id);
      expect(client.eventIds()).not.toContain(created.job.id);
      expect(client.events().filter((e) => e.entity === "appointment" || e.entity === "job")).toEqual([]);
    }
    expect(tech.eventIds()).not.toContain(created.job.id);
  });
});
