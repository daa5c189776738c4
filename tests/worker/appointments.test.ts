/**
 * Appointments API (issue 4): who may schedule and work them, how they move their job, the
 * warnings that never block, bad input, audit, and who hears each change live.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { projects } from "../../db/schema";
import type { EventMessage } from "../../party/protocol";
import { Appointment, JobSummary } from "../../worker/field/shapes";
import { publish } from "../../worker/live/publish";
import { at, freshBase, insertJob, member, schedule } from "./appointment-fixtures";
import { api, createTree, grantAccess, type LiveClient, openLive, signIn, testDb } from "./helpers";
import { auditOf, expectError, sqlAll, sqlCount, sqlRun } from "./support";

async function branch() {
  const tree = await createTree();
  const org = tree.subA;
  const manager = { user: tree.users.MANAGER, cookie: await signIn(tree.users.MANAGER.id) };
  const tech = await member(org.id, "TECHNICIAN", "UNIVERSAL");
  const otherTech = await member(org.id, "TECHNICIAN", "UNIVERSAL");
  const sales = { user: tree.users.SALES, cookie: await signIn(tree.users.SALES.id) };
  const { job, unit } = await insertJob(org.id, manager.user.id);
  return { tree, org, manager, tech, otherTech, sales, job, unit, base: freshBase() };
}

const path = (orgId: string, rest = "") => `/api/orgs/${orgId}/appointments${rest}`;
const jobStatus = async (jobId: string) => (await sqlAll("SELECT status FROM jobs WHERE id = ?", jobId))[0]?.status;
const act = (orgId: string, id: string, step: string, cookie: string, body?: unknown) =>
  api<Appointment>(path(orgId, `/${id}/${step}`), { method: "POST", cookie, body });

describe("permissions", () => {
  it("lets MANAGER and up schedule; TECHNICIAN and SALES 403; another branch or company 404", async () => {
    const { tree, org, job, tech, base } = await branch();
    const body = { jobId: job.id, startsAt: at(base, 0), technicianIds: [tech.user.id] };
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const) {
      const res = await api(path(org.id), { cookie: await signIn(tree.users[role].id), body });
      expect(res.status, role).toBe(201);
    }
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(await api(path(org.id), { cookie: await signIn(tree.users[role].id), body }), 403, "FORBIDDEN");
    }
    expectError(await api(path(org.id), { cookie: await signIn(tree.sibling.MANAGER.id), body }), 404);
    expectError(await api(path(org.id), { cookie: await signIn(tree.outsiders.MANAGER.id), body }), 404);
    // A job of another org in the body answers as if missing.
    const foreign = await insertJob(tree.subB.id, tree.sibling.MANAGER.id);
    const cookie = await signIn(tree.users.MANAGER.id);
    expectError(await api(path(org.id), { cookie, body: { ...body, jobId: foreign.job.id } }), 404, "NOT_FOUND");
    expect(await sqlCount("SELECT count(*) AS n FROM appointments WHERE job_id = ?", foreign.job.id)).toBe(0);
  });

  it("shows STAFF every appointment, a technician only theirs, SALES nothing; other orgs answer 404", async () => {
    const { tree, org, job, manager, tech, otherTech, sales, base } = await branch();
    const mine = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    const theirs = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 3),
      technicianIds: [otherTech.user.id],
    });

    const all = await api(path(org.id, `?jobId=${job.id}`), { cookie: manager.cookie });
    expect(all.status).toBe(200);
    expect(all.body.appointments.map((a: Appointment) => a.id)).toEqual([mine.id, theirs.id]);
    for (const appointment of all.body.appointments) Appointment.parse(appointment);

    const own = await api(path(org.id), { cookie: tech.cookie });
    expect(own.body.appointments.map((a: Appointment) => a.id)).toEqual([mine.id]);
    expect((await api(path(org.id, `/${mine.id}`), { cookie: tech.cookie })).status).toBe(200);
    expectError(await api(path(org.id, `/${theirs.id}`), { cookie: tech.cookie }), 404, "NOT_FOUND");

    expectError(await api(path(org.id), { cookie: sales.cookie }), 403, "FORBIDDEN");
    expectError(await api(path(org.id, `/${mine.id}`), { cookie: sales.cookie }), 403, "FORBIDDEN");

    // The sibling branch's manager reaches subB only: subA's list is 404, and subA's appointment under subB too.
    const sibling = await signIn(tree.sibling.MANAGER.id);
    expectError(await api(path(org.id), { cookie: sibling }), 404);
    expectError(await api(path(tree.subB.id, `/${mine.id}`), { cookie: sibling }), 404, "NOT_FOUND");
    expectError(await api(path(org.id), { cookie: await signIn(tree.outsiders.ORG_ADMIN.id) }), 404);
    // The parent admin sees the branch's appointments.
    const parent = await api(path(org.id, `/${theirs.id}`), { cookie: await signIn(tree.users.PARENT_ORG_ADMIN.id) });
    expect(parent.status).toBe(200);
  });

  it("lets only an assigned technician go en route, start and complete; managers 403, others 404", async () => {
    const { tree, org, job, manager, tech, otherTech, sales, base } = await branch();
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    for (const step of ["en-route", "start", "complete"]) {
      expectError(await act(org.id, appointment.id, step, manager.cookie), 403, "FORBIDDEN");
      expectError(await act(org.id, appointment.id, step, sales.cookie), 403, "FORBIDDEN");
      expectError(await act(org.id, appointment.id, step, otherTech.cookie), 404, "NOT_FOUND");
      expectError(await act(org.id, appointment.id, step, await signIn(tree.sibling.TECHNICIAN.id)), 404);
    }
    expect((await sqlAll("SELECT status FROM appointments WHERE id = ?", appointment.id))[0]?.status).toBe("SCHEDULED");
    expect((await act(org.id, appointment.id, "en-route", tech.cookie)).body.status).toBe("EN_ROUTE");
    expect((await act(org.id, appointment.id, "start", tech.cookie)).body.status).toBe("IN_PROGRESS");
    expect((await act(org.id, appointment.id, "complete", tech.cookie)).body.status).toBe("COMPLETED");
  });

  it("lets only MANAGER and up reschedule and cancel", async () => {
    const { org, job, manager, tech, sales, base } = await branch();
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    for (const cookie of [tech.cookie, sales.cookie]) {
      expectError(
        await api(path(org.id, `/${appointment.id}`), { method: "PATCH", cookie, body: { durationMinutes: 60 } }),
        403,
      );
      expectError(await act(org.id, appointment.id, "cancel", cookie, {}), 403);
    }
    const moved = await api<Appointment>(path(org.id, `/${appointment.id}`), {
      method: "PATCH",
      cookie: manager.cookie,
      body: { startsAt: at(base, 1), durationMinutes: 90, note: "Gate code 4411" },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      startsAt: at(base, 1),
      endsAt: at(base, 2.5),
      durationMinutes: 90,
      note: "Gate code 4411",
    });
  });

  it("accepts a technician of another branch granted access to this one, and refuses those who do not qualify", async () => {
    const { tree, org, job, manager, base } = await branch();
    const granted = await member(tree.subB.id, "TECHNICIAN", "II");
    await grantAccess(granted.user.id, org.id);
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [granted.user.id],
    });
    expect(appointment.technicians).toEqual([
      { id: granted.user.id, name: granted.user.name, certificationType: "II" },
    ]);
    expect((await act(org.id, appointment.id, "start", granted.cookie)).status).toBe(200);

    const deactivated = await member(org.id, "TECHNICIAN");
    await sqlRun("UPDATE users SET status = 'DEACTIVATED' WHERE id = ?", deactivated.user.id);
    const refused = [
      tree.users.SALES.id,
      tree.users.MANAGER.id,
      tree.sibling.TECHNICIAN.id,
      tree.outsiders.TECHNICIAN.id,
      deactivated.user.id,
      "no-such-user",
    ];
    for (const id of refused) {
      const res = await api(path(org.id), {
        cookie: manager.cookie,
        body: { jobId: job.id, startsAt: at(base, 5), technicianIds: [id] },
      });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(Object.keys(res.body.error.fields)).toEqual(["technicianIds"]);
    }
    expect(await sqlCount("SELECT count(*) AS n FROM appointments WHERE job_id = ?", job.id)).toBe(1);
  });
});

describe("appointments and their job", () => {
  it("lasts 2 hours by default and moves a PENDING job to SCHEDULED on the first appointment", async () => {
    const { org, job, manager, tech, base } = await branch();
    const res = await api<Appointment>(path(org.id), {
      cookie: manager.cookie,
      body: { jobId: job.id, startsAt: "2032-03-04T09:30:00-05:00", technicianIds: [tech.user.id] },
    });
    expect(res.status).toBe(201);
    Appointment.parse(res.body);
    expect(res.body).toMatchObject({
      jobId: job.id,
      status: "SCHEDULED",
      startsAt: "2032-03-04T14:30:00.000Z",
      endsAt: "2032-03-04T16:30:00.000Z",
      durationMinutes: 120,
      note: null,
      technicians: [{ id: tech.user.id, name: tech.user.name, certificationType: "UNIVERSAL" }],
      job: {
        id: job.id,
        label: `J-${job.number}`,
        status: "SCHEDULED",
        customerName: "Cold Storage Co",
        locationName: "Warehouse 4",
        address: "4 Dock Rd, Joliet, IL 60431",
      },
      warnings: [],
    });
    expect(await jobStatus(job.id)).toBe("SCHEDULED");

    // A second, earlier visit of the same job: the job stays SCHEDULED; both are listed by start.
    const second = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      durationMinutes: 15,
      technicianIds: [tech.user.id],
    });
    expect(second.durationMinutes).toBe(15);
    expect(await jobStatus(job.id)).toBe("SCHEDULED");
    const list = await api(path(org.id, `?jobId=${job.id}&status=OPEN`), { cookie: manager.cookie });
    expect(list.body.appointments.map((a: Appointment) => a.id)).toEqual([second.id, res.body.id]);
  });

  it("refuses a completed or canceled job (409) and a deleted one (404)", async () => {
    const { org, manager, tech, base } = await branch();
    for (const status of ["COMPLETED", "CANCELED"] as const) {
      const { job } = await insertJob(org.id, manager.user.id, { status });
      expectError(
        await api(path(org.id), {
          cookie: manager.cookie,
          body: { jobId: job.id, startsAt: at(base, 0), technicianIds: [tech.user.id] },
        }),
        409,
        "JOB_CLOSED",
      );
    }
    const { job: deleted } = await insertJob(org.id, manager.user.id, { deleted: true });
    expectError(
      await api(path(org.id), {
        cookie: manager.cookie,
        body: { jobId: deleted.id, startsAt: at(base, 0), technicianIds: [tech.user.id] },
      }),
      404,
      "NOT_FOUND",
    );
    // The job and the technicians are checked in one read; the job's error is the one answered.
    const { job: closed } = await insertJob(org.id, manager.user.id, { status: "COMPLETED" });
    for (const [jobId, status, code] of [
      [closed.id, 409, "JOB_CLOSED"],
      [deleted.id, 404, "NOT_FOUND"],
    ] as const) {
      expectError(
        await api(path(org.id), {
          cookie: manager.cookie,
          body: { jobId, startsAt: at(base, 0), technicianIds: ["no-such-user"] },
        }),
        status,
        code,
      );
    }
  });

  it("start moves the job to IN_PROGRESS and complete to COMPLETED, rolling its project up", async () => {
    const { org, manager, tech, base } = await branch();
    const project = await testDb()
      .insert(projects)
      .values({ id: crypto.randomUUID(), orgId: org.id, name: "Store remodel", createdById: manager.user.id })
      .returning()
      .get();
    const { job } = await insertJob(org.id, manager.user.id, { projectId: project.id });
    const projectStatus = async () => (await sqlAll("SELECT status FROM projects WHERE id = ?", project.id))[0]?.status;
    const managerLive = await openLive(org.id, manager.cookie);

    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    expect(await projectStatus()).toBe("OPEN");
    // Start straight from SCHEDULED.
    const started = await act(org.id, appointment.id, "start", tech.cookie, { note: "On site, compressor off" });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: "IN_PROGRESS", startedAt: expect.any(String), enRouteAt: null });
    expect(started.body.job.status).toBe("IN_PROGRESS");
    expect(await jobStatus(job.id)).toBe("IN_PROGRESS");
    expect(await projectStatus()).toBe("IN_PROGRESS");
    // The technician's word is kept on the job, under their name.
    expect(await sqlAll("SELECT author_id, body FROM job_notes WHERE job_id = ?", job.id)).toEqual([
      { author_id: tech.user.id, body: "On site, compressor off" },
    ]);

    const done = await act(org.id, appointment.id, "complete", tech.cookie, { note: "Replaced contactor" });
    expect(done.body).toMatchObject({ status: "COMPLETED", completionNote: "Replaced contactor" });
    expect(done.body.job.status).toBe("COMPLETED");
    expect(await jobStatus(job.id)).toBe("COMPLETED");
    expect((await sqlAll("SELECT completed_at FROM jobs WHERE id = ?", job.id))[0]?.completed_at).toEqual(
      expect.any(Number),
    );
    expect(await projectStatus()).toBe("COMPLETED");
    // The managers hear the project move with the job.
    const event = await managerLive.waitFor(
      (m) =>
        m.type === "event" && m.entity === "project" && (m.data.project as { status?: string }).status === "COMPLETED",
    );
    expect(event).toMatchObject({ action: "updated", id: project.id });
  });

  it("keeps the job open when a return visit is needed or another appointment is open", async () => {
    const { org, job, manager, tech, otherTech, base } = await branch();
    const first = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    await act(org.id, first.id, "start", tech.cookie);
    const returnVisit = await act(org.id, first.id, "complete", tech.cookie, { jobComplete: false });
    expect(returnVisit.body.status).toBe("COMPLETED");
    expect(await jobStatus(job.id)).toBe("PENDING");

    // Two open visits: completing one leaves the job SCHEDULED (the other is still planned).
    const second = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 24),
      technicianIds: [tech.user.id],
    });
    const third = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 48),
      technicianIds: [otherTech.user.id],
    });
    expect(await jobStatus(job.id)).toBe("SCHEDULED");
    await act(org.id, second.id, "start", tech.cookie);
    await act(org.id, second.id, "complete", tech.cookie);
    expect(await jobStatus(job.id)).toBe("SCHEDULED");
    await act(org.id, third.id, "en-route", otherTech.cookie);
    await act(org.id, third.id, "start", otherTech.cookie);
    expect((await act(org.id, third.id, "complete", otherTech.cookie, {})).body.job.status).toBe("COMPLETED");
  });

  it("cancelling keeps the job: back to PENDING when nothing else is planned and it had not started", async () => {
    const { org, job, manager, tech, base } = await branch();
    const first = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    const second = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 24),
      technicianIds: [tech.user.id],
    });
    const canceled = await act(org.id, first.id, "cancel", manager.cookie, { reason: "Customer closed" });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({
      status: "CANCELED",
      cancelReason: "Customer closed",
      canceledAt: expect.any(String),
    });
    expect(await jobStatus(job.id)).toBe("SCHEDULED");
    expect((await act(org.id, second.id, "cancel", manager.cookie)).status).toBe(200);
    expect(await jobStatus(job.id)).toBe("PENDING");
    expect(await sqlCount("SELECT count(*) AS n FROM jobs WHERE id = ? AND deleted_at IS NULL", job.id)).toBe(1);

    // A started job stays IN_PROGRESS when its visit is canceled.
    const third = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 48),
      technicianIds: [tech.user.id],
    });
    await act(org.id, third.id, "start", tech.cookie);
    await act(org.id, third.id, "cancel", manager.cookie, {});
    expect(await jobStatus(job.id)).toBe("IN_PROGRESS");
  });

  it("refuses transitions that do not follow SCHEDULED → EN_ROUTE → IN_PROGRESS → COMPLETED (409)", async () => {
    const { org, job, manager, tech, base } = await branch();
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    expectError(await act(org.id, appointment.id, "complete", tech.cookie), 409, "INVALID_TRANSITION");
    await act(org.id, appointment.id, "start", tech.cookie);
    expectError(await act(org.id, appointment.id, "en-route", tech.cookie), 409, "INVALID_TRANSITION");
    expectError(await act(org.id, appointment.id, "start", tech.cookie), 409, "INVALID_TRANSITION");
    expectError(
      await api(path(org.id, `/${appointment.id}`), {
        method: "PATCH",
        cookie: manager.cookie,
        body: { durationMinutes: 60 },
      }),
      409,
    );
    await act(org.id, appointment.id, "complete", tech.cookie);
    expectError(await act(org.id, appointment.id, "start", tech.cookie), 409, "INVALID_TRANSITION");
    expectError(await act(org.id, appointment.id, "cancel", manager.cookie), 409);

    const other = await schedule(org.id, manager.cookie, {
      jobId: (await insertJob(org.id, manager.user.id)).job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    await act(org.id, other.id, "cancel", manager.cookie);
    expectError(await act(org.id, other.id, "cancel", manager.cookie), 409);
    expectError(await act(org.id, other.id, "en-route", tech.cookie), 409, "INVALID_TRANSITION");
    expectError(
      await api(path(org.id, `/${other.id}`), { method: "PATCH", cookie: manager.cookie, body: { note: "x" } }),
      409,
    );
    expect(
      await sqlAll("SELECT status FROM appointments WHERE id IN (?, ?) ORDER BY status", appointment.id, other.id),
    ).toEqual([{ status: "CANCELED" }, { status: "COMPLETED" }]);
  });

  it("checks a change in one read, answering as if one check followed another: appointment, state, job, technicians", async () => {
    const { tree, org, job, manager, tech, otherTech, base } = await branch();
    const patch = (orgId: string, id: string, body: unknown) =>
      api(path(orgId, `/${id}`), { method: "PATCH", cookie: manager.cookie, body });
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    const audited = () => sqlCount("SELECT COUNT(*) AS n FROM audit_log WHERE org_id = ?", org.id);
    const before = await audited();

    // Not this org's appointment (asked through another branch its admin reaches): 404 before anything else.
    const admin = await signIn(tree.users.PARENT_ORG_ADMIN.id);
    expectError(
      await api(path(tree.subB.id, `/${appointment.id}`), {
        method: "PATCH",
        cookie: admin,
        body: { technicianIds: ["no-such-user"] },
      }),
      404,
      "NOT_FOUND",
    );
    // Not on it: another technician cannot even see it.
    expectError(await act(org.id, appointment.id, "start", otherTech.cookie), 404, "NOT_FOUND");
    // Its state comes before the technicians chosen.
    await act(org.id, appointment.id, "start", tech.cookie);
    const started = await patch(org.id, appointment.id, { technicianIds: ["no-such-user"] });
    expectError(started, 409);
    expect(started.body).toMatchObject({ error: { message: "An in-progress appointment cannot be changed." } });
    const again = await act(org.id, appointment.id, "en-route", tech.cookie);
    expect(again.body).toMatchObject({ error: { message: "An in-progress appointment cannot be marked on the way." } });
    const after = await audited();

    // A SCHEDULED one with a technician who does not qualify: 400 naming them, nothing written.
    const other = await schedule(org.id, manager.cookie, {
      jobId: (await insertJob(org.id, manager.user.id)).job.id,
      startsAt: at(base, 4),
      technicianIds: [tech.user.id],
    });
    const res = await patch(org.id, other.id, { technicianIds: [otherTech.user.id, "no-such-user"], note: "x" });
    expectError(res, 400, "VALIDATION_FAILED");
    expect(JSON.stringify(res.body)).toContain("no-such-user");
    expect(await sqlAll("SELECT user_id FROM appointment_technicians WHERE appointment_id = ?", other.id)).toEqual([
      { user_id: tech.user.id },
    ]);
    expect(after - before).toBe(2); // the start and its job's status, nothing for the refusals

    // Its job deleted: the appointment is gone for everyone (404), whatever else is wrong.
    await sqlRun("UPDATE jobs SET deleted_at = ? WHERE id = ?", Date.now(), job.id);
    expectError(await act(org.id, appointment.id, "complete", tech.cookie), 404, "NOT_FOUND");
    expectError(await act(org.id, appointment.id, "cancel", manager.cookie), 404, "NOT_FOUND");
    expectError(await patch(org.id, appointment.id, { technicianIds: ["no-such-user"] }), 404, "NOT_FOUND");
  });

  it("reassigns technicians while EN_ROUTE, keeping each once", async () => {
    const { org, job, manager, tech, otherTech, base } = await branch();
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    await act(org.id, appointment.id, "en-route", tech.cookie);
    const res = await api<Appointment>(path(org.id, `/${appointment.id}`), {
      method: "PATCH",
      cookie: manager.cookie,
      body: { technicianIds: [otherTech.user.id, tech.user.id] },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("EN_ROUTE");
    expect(res.body.technicians.map((t) => t.id).sort()).toEqual([otherTech.user.id, tech.user.id].sort());
    const moved = await api<Appointment>(path(org.id, `/${appointment.id}`), {
      method: "PATCH",
      cookie: manager.cookie,
      body: { technicianIds: [otherTech.user.id] },
    });
    expect(moved.body.technicians.map((t) => t.id)).toEqual([otherTech.user.id]);
    expect(
      await sqlAll("SELECT user_id, org_id FROM appointment_technicians WHERE appointment_id = ?", appointment.id),
    ).toEqual([{ user_id: otherTech.user.id, org_id: org.id }]);
    // The technician taken off no longer sees it.
    expectError(await api(path(org.id, `/${appointment.id}`), { cookie: tech.cookie }), 404);
  });
});

describe("warnings", () => {
  it("warns, without blocking, when a technician is double-booked, and stops when the other is canceled", async () => {
    const { org, job, manager, tech, otherTech, base } = await branch();
    const first = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    expect(first.warnings).toEqual([]);
    const { job: otherJob } = await insertJob(org.id, manager.user.id);
    const second = await schedule(org.id, manager.cookie, {
      jobId: otherJob.id,
      startsAt: at(base, 1),
      technicianIds: [tech.user.id, otherTech.user.id],
    });
    expect(second.warnings).toEqual([
      {
        code: "DOUBLE_BOOKED",
        technicianId: tech.user.id,
        appointmentId: first.id,
        message: expect.stringContaining(`J-${job.number}`),
      },
    ]);
    expect(second.warnings[0]?.message).toContain(tech.user.name);
    // The org's zone (America/New_York): 14:00Z is 9:00 AM.
    expect(second.warnings[0]?.message).toMatch(/9:00\s?AM–11:00\s?AM/);
    // Both sides carry it.
    const firstNow = await api<Appointment>(path(org.id, `/${first.id}`), { cookie: manager.cookie });
    expect(firstNow.body.warnings).toMatchObject([
      { code: "DOUBLE_BOOKED", technicianId: tech.user.id, appointmentId: second.id },
    ]);
    // Back to back is not a double booking.
    const adjacent = await schedule(org.id, manager.cookie, {
      jobId: otherJob.id,
      startsAt: at(base, 3),
      technicianIds: [otherTech.user.id, tech.user.id],
    });
    expect(adjacent.warnings).toEqual([]);

    await act(org.id, second.id, "cancel", manager.cookie);
    const after = await api(path(org.id, `?jobId=${job.id}`), { cookie: manager.cookie });
    expect(after.body.appointments[0].warnings).toEqual([]);
  });

  it("counts a technician's appointments in another branch they serve: their time is one", async () => {
    const { tree, org, job, manager, base } = await branch();
    const shared = await member(tree.subB.id, "TECHNICIAN", "UNIVERSAL");
    await grantAccess(shared.user.id, org.id);
    const { job: southJob } = await insertJob(tree.subB.id, tree.sibling.MANAGER.id);
    const south = await schedule(tree.subB.id, await signIn(tree.sibling.MANAGER.id), {
      jobId: southJob.id,
      startsAt: at(base, 0),
      technicianIds: [shared.user.id],
    });
    const here = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 1),
      technicianIds: [shared.user.id],
    });
    expect(here.warnings).toEqual([
      {
        code: "DOUBLE_BOOKED",
        technicianId: shared.user.id,
        appointmentId: south.id,
        message: expect.stringContaining(`J-${southJob.number} (${tree.subB.name})`),
      },
    ]);
  });

  it("warns when a job's unit needs a 608 type the technician lacks: low pressure III, high pressure II, Universal both", async () => {
    const { org, manager, base } = await branch();
    const types = { none: null, I: "I", II: "II", III: "III", UNIVERSAL: "UNIVERSAL" } as const;
    const techs = Object.fromEntries(
      await Promise.all(
        Object.entries(types).map(async ([key, type]) => [key, await member(org.id, "TECHNICIAN", type)] as const),
      ),
    );
    const warned = async (refrigerant: string, hours: number) => {
      const { job, unit } = await insertJob(org.id, manager.user.id, { refrigerant });
      const appointment = await schedule(org.id, manager.cookie, {
        jobId: job.id,
        startsAt: at(base, hours),
        technicianIds: Object.values(techs).map((t) => t.user.id),
      });
      expect(appointment.warnings.every((w) => w.code === "CERTIFICATION" && w.unitId === unit.id)).toBe(true);
      return Object.entries(techs)
        .filter(([, t]) => appointment.warnings.some((w) => w.technicianId === t.user.id))
        .map(([key]) => key)
        .sort();
    };
    // R-123 feeds a low-pressure chiller: Type III or Universal.
    expect(await warned("R-123", 0)).toEqual(["I", "II", "none"]);
    // R-410A is high pressure: Type II or Universal.
    expect(await warned("R-410A", 24)).toEqual(["I", "III", "none"]);

    const { job } = await insertJob(org.id, manager.user.id, { refrigerant: "R-123" });
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 48),
      technicianIds: [techs.none?.user.id ?? ""],
    });
    expect(appointment.warnings).toEqual([
      {
        code: "CERTIFICATION",
        technicianId: techs.none?.user.id,
        unitId: appointment.job.unitIds[0],
        needs: ["III", "UNIVERSAL"],
        message: expect.stringMatching(/no 608 certification.*R-123.*low-pressure.*Type III or Universal/),
      },
    ]);
  });
});

describe("bad input", () => {
  it("answers 400 with fields and writes nothing on every write", async () => {
    const { org, job, manager, tech, base } = await branch();
    const good = { jobId: job.id, startsAt: at(base, 0), technicianIds: [tech.user.id] };
    const counts = async () => ({
      appointments: await sqlCount("SELECT count(*) AS n FROM appointments WHERE org_id = ?", org.id),
      technicians: await sqlCount("SELECT count(*) AS n FROM appointment_technicians WHERE org_id = ?", org.id),
      audit: await sqlCount("SELECT count(*) AS n FROM audit_log WHERE org_id = ?", org.id),
      notes: await sqlCount("SELECT count(*) AS n FROM job_notes WHERE org_id = ?", org.id),
      job: await jobStatus(job.id),
    });
    const before = await counts();
    const creates: [unknown, string][] = [
      [{}, "jobId"],
      [{ ...good, jobId: undefined }, "jobId"],
      [{ ...good, jobId: 42 }, "jobId"],
      [{ ...good, startsAt: "2031-01-05T09:00" }, "startsAt"],
      [{ ...good, startsAt: "tomorrow" }, "startsAt"],
      [{ ...good, durationMinutes: 10 }, "durationMinutes"],
      [{ ...good, durationMinutes: 1441 }, "durationMinutes"],
      [{ ...good, durationMinutes: 30.5 }, "durationMinutes"],
      [{ ...good, durationMinutes: "60" }, "durationMinutes"],
      [{ ...good, technicianIds: [] }, "technicianIds"],
      [{ ...good, technicianIds: tech.user.id }, "technicianIds"],
      [{ ...good, technicianIds: [tech.user.id, tech.user.id] }, "technicianIds"],
      [{ ...good, technicianIds: Array.from({ length: 11 }, (_, i) => `t${i}`) }, "technicianIds"],
      [{ ...good, note: "x".repeat(2001) }, "note"],
      [{ ...good, status: "COMPLETED" }, "status"],
      [{ ...good, jobId: "x".repeat(65) }, "jobId"],
    ];
    for (const [body, field] of creates) {
      const res = await api(path(org.id), { cookie: manager.cookie, body });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(Object.keys(res.body.error.fields), JSON.stringify(body)).toContain(field);
    }
    expectError(await api(path(org.id), { cookie: manager.cookie, body: "{not json" }), 400);
    expect(await counts()).toEqual(before);

    const appointment = await schedule(org.id, manager.cookie, good);
    const afterCreate = await counts();
    const id = appointment.id;
    const writes: [string, string, unknown, string][] = [
      ["PATCH", "", {}, "_"],
      ["PATCH", "", { startsAt: "soon" }, "startsAt"],
      ["PATCH", "", { durationMinutes: 0 }, "durationMinutes"],
      ["PATCH", "", { technicianIds: [] }, "technicianIds"],
      ["PATCH", "", { technicianIds: ["nobody"] }, "technicianIds"],
      ["PATCH", "", { jobId: job.id }, "jobId"],
      ["POST", "/en-route", { note: 5 }, "note"],
      ["POST", "/en-route", { eta: "5 min" }, "eta"],
      ["POST", "/start", { note: "x".repeat(2001) }, "note"],
      ["POST", "/cancel", { reason: "x".repeat(501) }, "reason"],
      ["POST", "/cancel", { why: "no" }, "why"],
    ];
    for (const [method, step, body, field] of writes) {
      const cookie = step === "/en-route" || step === "/start" ? tech.cookie : manager.cookie;
      const res = await api(path(org.id, `/${id}${step}`), { method, cookie, body });
      expectError(res, 400, "VALIDATION_FAILED");
      expect(Object.keys(res.body.error.fields), `${method} ${step} ${JSON.stringify(body)}`).toContain(field);
    }
    expect(await counts()).toEqual(afterCreate);
    await act(org.id, id, "start", tech.cookie);
    const started = await counts();
    for (const body of [{ jobComplete: "yes" }, { note: ["a"] }, { done: true }]) {
      expectError(await act(org.id, id, "complete", tech.cookie, body), 400, "VALIDATION_FAILED");
    }
    expect(await counts()).toEqual(started);
    expect((await sqlAll("SELECT status FROM appointments WHERE id = ?", id))[0]?.status).toBe("IN_PROGRESS");
  });
});

describe("audit", () => {
  it("records each write under its actor, with the job's status change", async () => {
    const { org, job, manager, tech, otherTech, base } = await branch();
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
      note: "Bring ladder",
    });
    await api(path(org.id, `/${appointment.id}`), {
      method: "PATCH",
      cookie: manager.cookie,
      body: { technicianIds: [tech.user.id, otherTech.user.id] },
    });
    await act(org.id, appointment.id, "en-route", tech.cookie);
    await act(org.id, appointment.id, "start", tech.cookie);
    await act(org.id, appointment.id, "complete", otherTech.cookie, { note: "Done" });
    const entries = await auditOf(appointment.id);
    expect(entries.map((entry) => [entry.action, entry.actorId])).toEqual([
      ["appointment.create", manager.user.id],
      ["appointment.update", manager.user.id],
      ["appointment.en-route", tech.user.id],
      ["appointment.start", tech.user.id],
      ["appointment.complete", otherTech.user.id],
    ]);
    expect(entries[0]).toMatchObject({
      orgId: org.id,
      entityType: "appointment",
      after: { jobId: job.id, durationMinutes: 120, note: "Bring ladder", technicianIds: [tech.user.id] },
    });
    expect(entries[1]).toMatchObject({
      before: { technicianIds: [tech.user.id] },
      after: { technicianIds: [tech.user.id, otherTech.user.id] },
    });
    expect((await auditOf(job.id)).map((entry) => [entry.action, entry.before, entry.after])).toEqual([
      ["job.status", { status: "PENDING" }, { status: "SCHEDULED" }],
      ["job.status", { status: "SCHEDULED" }, { status: "IN_PROGRESS" }],
      ["job.status", { status: "IN_PROGRESS" }, { status: "COMPLETED" }],
    ]);
  });
});

describe("live", () => {
  /** A marker every connection of the org may see: once it arrives, everything before it has too. */
  async function settle(org: { id: string; parentOrgId: string | null }, clients: LiveClient[]) {
    const id = `marker-${crypto.randomUUID()}`;
    await publish(env, org, { entity: "org", action: "marker", id, orgId: org.id });
    await Promise.all(clients.map((client) => client.event(id)));
  }
  const about = (client: LiveClient, id: string) => client.events().filter((event) => event.id === id);

  it("tells the managers and the assigned technician, never another technician, SALES or another org", async () => {
    const { tree, org, job, manager, tech, otherTech, sales, base } = await branch();
    const admin = await openLive(org.id, await signIn(tree.users.ORG_ADMIN.id));
    const managerLive = await openLive(org.id, manager.cookie);
    const techLive = await openLive(org.id, tech.cookie);
    const otherLive = await openLive(org.id, otherTech.cookie);
    const salesLive = await openLive(org.id, sales.cookie);
    const outsider = await openLive(tree.other.id, await signIn(tree.outsiders.MANAGER.id));
    const sibling = await openLive(tree.subB.id, await signIn(tree.sibling.MANAGER.id));

    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    for (const client of [admin, managerLive, techLive]) {
      const event = await client.event(appointment.id);
      expect(event).toMatchObject({ entity: "appointment", action: "created", orgId: org.id });
      expect(Appointment.parse(event.data.appointment)).toEqual(appointment);
      // The job went SCHEDULED: its summary rides along, to the same people, in the same frame.
      expect(JobSummary.parse(event.data.job)).toMatchObject({ id: job.id, status: "SCHEDULED" });
    }

    await act(org.id, appointment.id, "start", tech.cookie);
    const started = await managerLive.waitFor(
      (m): m is EventMessage => m.type === "event" && m.action === "started" && m.id === appointment.id,
    );
    expect(Appointment.parse(started.data.appointment).status).toBe("IN_PROGRESS");

    await settle(org, [admin, managerLive, techLive, otherLive, salesLive]);
    await settle(tree.other, [outsider]);
    await settle(tree.subB, [sibling]);
    for (const client of [otherLive, salesLive, outsider, sibling]) {
      expect(about(client, appointment.id)).toEqual([]);
      expect(about(client, job.id)).toEqual([]);
    }
  });

  it("tells a technician taken off an appointment, with the Appointment that no longer lists them", async () => {
    const { org, job, manager, tech, otherTech, base } = await branch();
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    const techLive = await openLive(org.id, tech.cookie);
    const otherLive = await openLive(org.id, otherTech.cookie);
    const res = await api(path(org.id, `/${appointment.id}`), {
      method: "PATCH",
      cookie: manager.cookie,
      body: { technicianIds: [otherTech.user.id], startsAt: at(base, 2) },
    });
    expect(res.status).toBe(200);
    for (const client of [techLive, otherLive]) {
      const event = await client.event(appointment.id);
      expect(event.action).toBe("updated");
      const shown = Appointment.parse(event.data.appointment);
      expect(shown.technicians.map((t) => t.id)).toEqual([otherTech.user.id]);
      expect(shown.startsAt).toBe(at(base, 2));
    }
    // Later changes no longer reach the technician taken off.
    await api(path(org.id, `/${appointment.id}`), {
      method: "PATCH",
      cookie: manager.cookie,
      body: { note: "Side door" },
    });
    await otherLive.waitFor(
      (m) =>
        m.type === "event" &&
        m.id === appointment.id &&
        m.data.appointment !== undefined &&
        (m.data.appointment as Appointment).note === "Side door",
    );
    await settle(org, [techLive]);
    expect(about(techLive, appointment.id)).toHaveLength(1);
  });

  it("publishes cancel to the technician, with the job back to PENDING", async () => {
    const { org, job, manager, tech, base } = await branch();
    const appointment = await schedule(org.id, manager.cookie, {
      jobId: job.id,
      startsAt: at(base, 0),
      technicianIds: [tech.user.id],
    });
    const techLive = await openLive(org.id, tech.cookie);
    await act(org.id, appointment.id, "cancel", manager.cookie, { reason: "Rain" });
    const event = await techLive.waitFor(
      (m) => m.type === "event" && m.action === "canceled" && m.id === appointment.id,
    );
    if (event.type !== "event") throw new Error("not an event");
    expect(Appointment.parse(event.data.appointment)).toMatchObject({ status: "CANCELED", job: { status: "PENDING" } });
    expect(JobSummary.parse(event.data.job)).toMatchObject({ id: job.id, status: "PENDING" });
  });
});
