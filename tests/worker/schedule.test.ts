/**
 * The schedule board (issue 4): technicians as rows, the appointments overlapping the range
 * (never canceled ones), the tray of open jobs no open appointment holds; at most 14 days, today
 * in the org's time zone by default; STAFF only.
 */
import { describe, expect, it } from "vitest";
import { type Appointment, Schedule } from "../../worker/field/shapes";
import { instantToZonedLocal, nextDay } from "../../worker/transfers/dates";
import { at, freshBase, HOUR, insertJob, member, schedule } from "./appointment-fixtures";
import { api, createOrg, createTree, grantAccess, signIn } from "./helpers";
import { expectError, sqlRun } from "./support";

const boardOf = (orgId: string, query = "") => `/api/orgs/${orgId}/schedule${query}`;
const ids = (list: { id: string }[]) => list.map((item) => item.id);

describe("schedule board", () => {
  it("answers STAFF only; technicians and SALES 403; another branch or company 404", async () => {
    const tree = await createTree();
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] as const) {
      const res = await api(boardOf(tree.subA.id), { cookie: await signIn(tree.users[role].id) });
      expect(res.status, role).toBe(200);
      Schedule.parse(res.body);
    }
    for (const role of ["TECHNICIAN", "SALES"] as const) {
      expectError(await api(boardOf(tree.subA.id), { cookie: await signIn(tree.users[role].id) }), 403, "FORBIDDEN");
    }
    expectError(await api(boardOf(tree.subA.id), { cookie: await signIn(tree.sibling.MANAGER.id) }), 404);
    expectError(await api(boardOf(tree.subA.id), { cookie: await signIn(tree.outsiders.MANAGER.id) }), 404);
  });

  it("has a row per active technician of the org (home or granted) and per holder of an appointment shown", async () => {
    const tree = await createTree();
    const org = tree.subA;
    const manager = await signIn(tree.users.MANAGER.id);
    const base = freshBase();
    const home = await member(org.id, "TECHNICIAN", "II");
    const granted = await member(tree.subB.id, "TECHNICIAN");
    await grantAccess(granted.user.id, org.id);
    const leaving = await member(org.id, "TECHNICIAN");
    const gone = await member(org.id, "TECHNICIAN");
    const { job } = await insertJob(org.id, tree.users.MANAGER.id);
    await schedule(org.id, manager, { jobId: job.id, startsAt: at(base, 1), technicianIds: [leaving.user.id] });
    await sqlRun("UPDATE users SET status = 'DEACTIVATED' WHERE id IN (?, ?)", leaving.user.id, gone.user.id);

    const res = await api<Schedule>(boardOf(org.id, `?from=${at(base, 0)}&to=${at(base, 24)}`), { cookie: manager });
    expect(res.status).toBe(200);
    const rows = ids(res.body.technicians);
    expect(rows).toEqual(
      expect.arrayContaining([tree.users.TECHNICIAN.id, home.user.id, granted.user.id, leaving.user.id]),
    );
    expect(rows).toHaveLength(4);
    expect(rows).not.toContain(gone.user.id);
    expect(rows).not.toContain(tree.sibling.TECHNICIAN.id);
    expect(rows).not.toContain(tree.users.SALES.id);
    expect(res.body.technicians.find((row) => row.id === home.user.id)).toEqual({
      id: home.user.id,
      name: home.user.name,
      certificationType: "II",
    });
    // By name.
    const names = res.body.technicians.map((row) => row.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("shows the appointments overlapping [from, to), never canceled ones, with their warnings", async () => {
    const tree = await createTree();
    const org = tree.subA;
    const manager = await signIn(tree.users.MANAGER.id);
    const tech = tree.users.TECHNICIAN.id;
    const base = freshBase();
    const { job } = await insertJob(org.id, tree.users.MANAGER.id);
    const { job: otherJob } = await insertJob(org.id, tree.users.MANAGER.id);
    const make = (hours: number, durationMinutes: number, jobId = job.id) =>
      schedule(org.id, manager, { jobId, startsAt: at(base, hours), durationMinutes, technicianIds: [tech] });
    const before = await make(-3, 120); // ends 1 h before the range
    const touching = await make(-2, 120); // ends as the range starts
    const crossingIn = await make(-1, 120); // overlaps the start
    const inside = await make(2, 60);
    const overlapping = await make(2.5, 60, otherJob.id); // double-books `inside`
    const crossingOut = await make(9, 120); // starts inside, ends after
    const atEnd = await make(10, 60); // starts as the range ends
    const canceled = await make(4, 60);
    await api(`/api/orgs/${org.id}/appointments/${canceled.id}/cancel`, { cookie: manager, body: {} });

    const res = await api<Schedule>(boardOf(org.id, `?from=${at(base, 0)}&to=${at(base, 10)}`), {
      cookie: manager,
    });
    expect(res.status).toBe(200);
    const board = Schedule.parse(res.body);
    expect(board).toMatchObject({ from: at(base, 0), to: at(base, 10), timeZone: "America/New_York" });
    expect(ids(board.appointments)).toEqual([crossingIn.id, inside.id, overlapping.id, crossingOut.id]);
    expect(board.appointments.every((a) => a.warnings.some((w) => w.code === "CERTIFICATION"))).toBe(true);
    for (const absent of [before, touching, atEnd, canceled]) expect(ids(board.appointments)).not.toContain(absent.id);
    // (The tree's technician holds no certification: every appointment also warns about it.)
    const warningsOf = (appointment: Appointment) =>
      board.appointments.find((a) => a.id === appointment.id)?.warnings.filter((w) => w.code === "DOUBLE_BOOKED");
    expect(warningsOf(inside)).toMatchObject([
      { code: "DOUBLE_BOOKED", technicianId: tech, appointmentId: overlapping.id },
    ]);
    expect(warningsOf(overlapping)).toMatchObject([{ code: "DOUBLE_BOOKED", appointmentId: inside.id }]);
    // The board never shows another org's appointments.
    const sibling = await api<Schedule>(boardOf(tree.subB.id, `?from=${at(base, 0)}&to=${at(base, 10)}`), {
      cookie: await signIn(tree.sibling.MANAGER.id),
    });
    expect(sibling.body.appointments).toEqual([]);
  });

  it("puts open jobs without an open appointment in the tray, most urgent first", async () => {
    const tree = await createTree();
    const org = tree.subA;
    const manager = await signIn(tree.users.MANAGER.id);
    const managerId = tree.users.MANAGER.id;
    const base = freshBase();
    const pending = (await insertJob(org.id, managerId)).job;
    const emergency = (await insertJob(org.id, managerId, { priority: "EMERGENCY" })).job;
    const scheduled = (await insertJob(org.id, managerId)).job;
    const afterCancel = (await insertJob(org.id, managerId)).job;
    const completed = (await insertJob(org.id, managerId, { status: "COMPLETED" })).job;
    const canceledJob = (await insertJob(org.id, managerId, { status: "CANCELED" })).job;
    const deleted = (await insertJob(org.id, managerId, { deleted: true })).job;
    // A job left IN_PROGRESS with no visit planned needs one: it is in the tray.
    const stalled = (await insertJob(org.id, managerId, { status: "IN_PROGRESS" })).job;
    await schedule(org.id, manager, {
      jobId: scheduled.id,
      startsAt: at(base, 24 * 30),
      technicianIds: [tree.users.TECHNICIAN.id],
    });
    const visit = await schedule(org.id, manager, {
      jobId: afterCancel.id,
      startsAt: at(base, 1),
      technicianIds: [tree.users.TECHNICIAN.id],
    });
    await api(`/api/orgs/${org.id}/appointments/${visit.id}/cancel`, { cookie: manager, body: {} });

    const res = await api<Schedule>(boardOf(org.id, `?from=${at(base, 0)}&to=${at(base, 24)}`), { cookie: manager });
    const tray = ids(res.body.unassignedJobs);
    expect(tray[0]).toBe(emergency.id);
    expect(tray.sort()).toEqual([pending.id, emergency.id, afterCancel.id, stalled.id].sort());
    for (const absent of [scheduled, completed, canceledJob, deleted]) expect(tray).not.toContain(absent.id);
    expect(res.body.unassignedJobs.find((job) => job.id === afterCancel.id)).toMatchObject({
      label: `J-${afterCancel.number}`,
      status: "PENDING",
      technicianIds: [],
    });
  });

  it("shows today in the org's time zone by default, reads days in it, and spans at most 14 days", async () => {
    const org = await createOrg({ timeZone: "Pacific/Auckland" });
    const manager = await member(org.id, "ORG_ADMIN");
    const today = instantToZonedLocal(new Date(), "Pacific/Auckland").slice(0, 10);

    const res = await api<Schedule>(boardOf(org.id), { cookie: manager.cookie });
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe("Pacific/Auckland");
    expect(instantToZonedLocal(new Date(res.body.from), "Pacific/Auckland")).toBe(`${today}T00:00`);
    expect(instantToZonedLocal(new Date(res.body.to), "Pacific/Auckland")).toBe(`${nextDay(today)}T00:00`);

    // Days are whole days in the org's zone (NZDT, +13:00, in January); a `to` day counts whole.
    const week = await api<Schedule>(boardOf(org.id, "?from=2031-01-06&to=2031-01-12"), { cookie: manager.cookie });
    expect(week.body).toMatchObject({ from: "2031-01-05T11:00:00.000Z", to: "2031-01-12T11:00:00.000Z" });
    const oneDay = await api<Schedule>(boardOf(org.id, "?from=2031-01-06"), { cookie: manager.cookie });
    expect(oneDay.body).toMatchObject({ from: "2031-01-05T11:00:00.000Z", to: "2031-01-06T11:00:00.000Z" });
    const fourteen = await api(boardOf(org.id, "?from=2031-01-01&to=2031-01-14"), { cookie: manager.cookie });
    expect(fourteen.status).toBe(200);

    for (const query of [
      "?from=2031-01-01&to=2031-01-15",
      `?from=${new Date(Date.UTC(2031, 0, 1)).toISOString()}&to=${new Date(Date.UTC(2031, 0, 15) + HOUR).toISOString()}`,
      "?from=2031-01-06T10:00:00Z&to=2031-01-06T09:00:00Z",
      "?from=2031-01-06T10:00:00Z&to=2031-01-06T10:00:00Z",
      "?from=yesterday",
      "?from=2031-02-30",
      "?to=2031-01-06T10:00",
    ]) {
      const bad = await api(boardOf(org.id, query), { cookie: manager.cookie });
      expectError(bad, 400, "VALIDATION_FAILED");
      expect(bad.body.error.fields, query).toBeDefined();
    }
  });
});
