import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { freshBase, insertJob, member, schedule } from "./appointment-fixtures";
import { createTree, createUnitAtSite, getPage, postForm, signIn, signInEveryRole, type Tree } from "./helpers";
import { sqlAll, sqlCount } from "./support";

let tree: Tree;
let cookies: Record<Role, string>;

beforeAll(async () => {
  tree = await createTree();
  cookies = await signInEveryRole(tree);
});

const org = () => tree.subA.id;
const page = (rest = "") => `/o/${org()}${rest}`;

const jobRow = async (id: string) => (await sqlAll("SELECT * FROM jobs WHERE id = ?", id))[0];

/** A job at a fresh site (one R-410A unit) with a technician of the branch scheduled on it. */
async function assignedJob(certification: "UNIVERSAL" | null = "UNIVERSAL") {
  const { job, unit } = await insertJob(org(), tree.users.MANAGER.id);
  const tech = await member(org(), "TECHNICIAN", certification);
  const base = freshBase();
  const appointment = await schedule(org(), cookies.MANAGER, {
    jobId: job.id,
    startsAt: new Date(base).toISOString(),
    technicianIds: [tech.user.id],
  });
  return { job, unit, tech, appointment, base };
}

describe("jobs list", () => {
  it("opens for STAFF and technicians, refuses SALES (403), hides other branches' lists (404)", async () => {
    for (const role of ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN"] as const) {
      const res = await getPage(page("/jobs"), cookies[role]);
      expect(res.status, role).toBe(200);
      expect(res.html).toContain("<h1");
    }
    expect((await getPage(page("/jobs"), cookies.SALES)).status).toBe(403);
    expect((await getPage(page("/jobs"), await signIn(tree.sibling.MANAGER.id))).status).toBe(404);
    expect((await getPage(page("/jobs"), await signIn(tree.outsiders.MANAGER.id))).status).toBe(404);
  });

  it("shows a technician only the jobs they are assigned to, with their next visit", async () => {
    const mine = await assignedJob();
    const other = await insertJob(org(), tree.users.MANAGER.id);
    const techHtml = (await getPage(page("/jobs"), mine.tech.cookie)).html;
    expect(techHtml).toContain(`/o/${org()}/jobs/${mine.job.id}`);
    expect(techHtml).not.toContain(`/o/${org()}/jobs/${other.job.id}`);
    expect(techHtml).toContain("You");
    const managerHtml = (await getPage(page("/jobs"), cookies.MANAGER)).html;
    expect(managerHtml).toContain(`/o/${org()}/jobs/${mine.job.id}`);
    expect(managerHtml).toContain(`/o/${org()}/jobs/${other.job.id}`);
    expect(managerHtml).toContain(mine.tech.user.name);
  });

  it("filters by status and priority from the URL, and finds a job by its number", async () => {
    const urgent = await insertJob(org(), tree.users.MANAGER.id, { priority: "EMERGENCY" });
    const done = await insertJob(org(), tree.users.MANAGER.id, { status: "COMPLETED" });
    const open = (await getPage(page("/jobs"), cookies.MANAGER)).html;
    expect(open).toContain(urgent.job.id);
    expect(open).not.toContain(done.job.id);
    const completed = (await getPage(page("/jobs?status=COMPLETED"), cookies.MANAGER)).html;
    expect(completed).toContain(done.job.id);
    expect(completed).not.toContain(urgent.job.id);
    const emergency = (await getPage(page("/jobs?priority=EMERGENCY&status=ALL"), cookies.MANAGER)).html;
    expect(emergency).toContain(urgent.job.id);
    expect(emergency).not.toContain(done.job.id);
    const byNumber = (await getPage(page(`/jobs?q=J-${urgent.job.number}`), cookies.MANAGER)).html;
    expect(byNumber).toContain(urgent.job.id);
    expect(byNumber).not.toContain(done.job.id);
    // Unreadable filters are ignored, not a crash.
    expect((await getPage(page("/jobs?status=NOPE&priority=x"), cookies.MANAGER)).status).toBe(200);
  });
});

describe("new job form", () => {
  it("is offered to STAFF only, with the customer, location and units of the org", async () => {
    const unit = await createUnitAtSite(org());
    const form = (await getPage(page(`/jobs?new=1&locationId=${unit.locationId}`), cookies.MANAGER)).html;
    expect(form).toContain("New job");
    expect(form).toContain('name="customerId"');
    expect(form).toContain('name="description"');
    const tech = (await getPage(page("/jobs?new=1"), cookies.TECHNICIAN)).html;
    expect(tech).not.toContain('name="customerId"');
  });

  it("creates the job with its units and goes to its page; a technician's POST is refused", async () => {
    // In the sibling branch (by the company's admin): numbers there are the service's own, clear of the fixtures'.
    const branch = tree.subB.id;
    const admin = cookies.PARENT_ORG_ADMIN;
    const unit = await createUnitAtSite(branch);
    const [location] = await sqlAll("SELECT customer_id FROM locations WHERE id = ?", unit.locationId);
    const fields = {
      customerId: String(location?.customer_id),
      locationId: unit.locationId,
      unitIds: [unit.id],
      description: "Ice on the evaporator coil",
      priority: "HIGH",
    };
    const refused = await postForm(`/o/${branch}/jobs`, await signIn(tree.sibling.TECHNICIAN.id), fields);
    expect(refused.status).toBe(403);
    expect(await sqlCount("SELECT count(*) AS n FROM jobs WHERE description = ?", fields.description)).toBe(0);

    const created = await postForm(`/o/${branch}/jobs?new=1`, admin, fields);
    expect(created.status).toBe(302);
    const id = /\/jobs\/([^?]+)\?created=1$/.exec(created.location ?? "")?.[1] ?? "";
    const row = await jobRow(id);
    expect(row).toMatchObject({ org_id: branch, status: "PENDING", priority: "HIGH", description: fields.description });
    expect(await sqlCount("SELECT count(*) AS n FROM job_units WHERE job_id = ? AND unit_id = ?", id, unit.id)).toBe(1);

    const html = (await getPage(created.location ?? "", admin)).html;
    expect(html).toContain(`J-${row?.number}`);
    expect(html).toContain("Job created.");
    expect(html).toContain(`/o/${branch}/units/${unit.id}`);
    expect(html).toContain("Add appointment");
  });

  it("answers bad input with the form's errors (400) and writes nothing", async () => {
    const unit = await createUnitAtSite(org());
    const before = await sqlCount("SELECT count(*) AS n FROM jobs WHERE org_id = ?", org());
    const missing = await postForm(page("/jobs?new=1"), cookies.MANAGER, {
      locationId: unit.locationId,
      description: "",
    });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('aria-invalid="true"');
    const foreign = await createUnitAtSite(tree.subB.id);
    const [site] = await sqlAll("SELECT customer_id FROM locations WHERE id = ?", foreign.locationId);
    const otherOrg = await postForm(page("/jobs?new=1"), cookies.MANAGER, {
      customerId: String(site?.customer_id),
      locationId: foreign.locationId,
      description: "Not ours",
    });
    expect(otherOrg.status).toBeGreaterThanOrEqual(400);
    expect(otherOrg.status).toBeLessThan(500);
    const tooLong = await postForm(page("/jobs?new=1"), cookies.MANAGER, {
      customerId: "x",
      locationId: unit.locationId,
      description: "x".repeat(2001),
      priority: "SOON",
    });
    expect(tooLong.status).toBe(400);
    expect(await sqlCount("SELECT count(*) AS n FROM jobs WHERE org_id = ?", org())).toBe(before);
  });
});

describe("job page", () => {
  it("answers 404 to a technician for a job not theirs, 403 to SALES, 404 to other orgs", async () => {
    const { job } = await insertJob(org(), tree.users.MANAGER.id);
    const path = page(`/jobs/${job.id}`);
    expect((await getPage(path, cookies.MANAGER)).status).toBe(200);
    expect((await getPage(path, cookies.TECHNICIAN)).status).toBe(404);
    expect((await getPage(path, cookies.SALES)).status).toBe(403);
    expect((await getPage(path, await signIn(tree.sibling.ORG_ADMIN.id))).status).toBe(404);
    expect((await getPage(path, await signIn(tree.outsiders.PARENT_ORG_ADMIN.id))).status).toBe(404);
    expect((await getPage(page("/jobs/no-such-job"), cookies.MANAGER)).status).toBe(404);
    // Writes as well: a note by a technician who is not on the job changes nothing.
    const note = await postForm(path, cookies.TECHNICIAN, { intent: "note", body: "Not my job" });
    expect(note.status).toBe(404);
    expect(await sqlCount("SELECT count(*) AS n FROM job_notes WHERE job_id = ?", job.id)).toBe(0);
  });

  it("schedules an appointment from the day and time in the org's zone, with the warnings it got", async () => {
    const { job } = await insertJob(org(), tree.users.MANAGER.id);
    const uncertified = await member(org(), "TECHNICIAN", null);
    const path = page(`/jobs/${job.id}`);
    const panel = (await getPage(`${path}?panel=appointment`, cookies.MANAGER)).html;
    expect(panel).toContain("Add an appointment");
    expect(panel).toContain(uncertified.user.name);
    expect(panel).toContain('value="120" selected=""');

    const done = await postForm(`${path}?panel=appointment`, cookies.MANAGER, {
      intent: "appointment",
      date: "2032-06-10",
      time: "09:30",
      durationMinutes: "120",
      technicianIds: [uncertified.user.id],
      note: "Bring the ladder",
    });
    expect(done.status).toBe(302);
    const [appointment] = await sqlAll("SELECT * FROM appointments WHERE job_id = ?", job.id);
    // 09:30 in America/New_York (the test org's zone) in June is 13:30 UTC (EDT).
    expect(new Date(Number(appointment?.starts_at)).toISOString()).toBe("2032-06-10T13:30:00.000Z");
    expect(appointment?.duration_minutes).toBe(120);
    expect((await jobRow(job.id))?.status).toBe("SCHEDULED");

    const html = (await getPage(done.location ?? "", cookies.MANAGER)).html;
    expect(html).toContain("Appointment scheduled for");
    expect(html).toContain("saved with the warnings below");
    expect(html).toContain("Certification:");
    expect(html).toContain("Bring the ladder");
    expect(html).toContain(uncertified.user.name);
    // On the manager's page after a reload as well; the technician is not asked to resolve it.
    expect((await getPage(path, cookies.MANAGER)).html).toContain("Certification:");
    expect((await getPage(path, uncertified.cookie)).html).not.toContain("Certification:");
  });

  it("refuses a bad appointment (no technician, no time) with its field errors and writes nothing", async () => {
    const { job } = await insertJob(org(), tree.users.MANAGER.id);
    const path = page(`/jobs/${job.id}?panel=appointment`);
    const res = await postForm(path, cookies.MANAGER, { intent: "appointment", date: "2032-13-40", time: "" });
    expect(res.status).toBe(400);
    expect(res.html).toContain("Choose the start time.");
    const noTech = await postForm(path, cookies.MANAGER, { intent: "appointment", date: "2032-03-10", time: "09:00" });
    expect(noTech.status).toBe(400);
    expect(noTech.html).toContain("Choose at least one technician.");
    const refused = await postForm(path, cookies.TECHNICIAN, {
      intent: "appointment",
      date: "2032-03-10",
      time: "09:00",
    });
    expect(refused.status).toBe(403);
    expect(await sqlCount("SELECT count(*) AS n FROM appointments WHERE job_id = ?", job.id)).toBe(0);
  });

  it("gives the assigned technician on-my-way, start and complete; the job follows", async () => {
    const { job, tech, appointment } = await assignedJob();
    const path = page(`/jobs/${job.id}`);
    const first = await getPage(path, tech.cookie);
    expect(first.status).toBe(200);
    expect(first.html).toContain("On my way");
    expect(first.html).toContain("Start visit");
    expect(first.html).not.toContain("Add appointment");
    expect(first.html).not.toContain("Cancel job");

    const onTheWay = await postForm(path, tech.cookie, { intent: "en-route", appointmentId: appointment.id });
    expect(onTheWay.location).toContain("en-route=1");
    const started = await postForm(path, tech.cookie, { intent: "start", appointmentId: appointment.id });
    expect(started.status).toBe(302);
    expect((await jobRow(job.id))?.status).toBe("IN_PROGRESS");
    expect((await getPage(path, tech.cookie)).html).toContain("Complete visit");

    // A manager cannot work a technician's appointment.
    const managerStart = await postForm(path, cookies.MANAGER, {
      intent: "complete-visit",
      appointmentId: appointment.id,
    });
    expect(managerStart.status).toBe(403);

    const panel = await getPage(`${path}?panel=complete-visit&appointment=${appointment.id}`, tech.cookie);
    expect(panel.html).toContain("The job is done");
    const completed = await postForm(`${path}?panel=complete-visit&appointment=${appointment.id}`, tech.cookie, {
      intent: "complete-visit",
      appointmentId: appointment.id,
      jobComplete: "true",
      note: "Replaced the TXV",
    });
    expect(completed.status).toBe(302);
    expect((await jobRow(job.id))?.status).toBe("COMPLETED");
    const [visit] = await sqlAll("SELECT status, completion_note FROM appointments WHERE id = ?", appointment.id);
    expect(visit).toMatchObject({ status: "COMPLETED", completion_note: "Replaced the TXV" });
  });

  it("keeps the job open when the technician says a return visit is needed", async () => {
    const { job, tech, appointment } = await assignedJob();
    const path = page(`/jobs/${job.id}`);
    await postForm(path, tech.cookie, { intent: "start", appointmentId: appointment.id });
    const res = await postForm(path, tech.cookie, { intent: "complete-visit", appointmentId: appointment.id });
    expect(res.status).toBe(302);
    expect((await jobRow(job.id))?.status).toBe("PENDING");
  });

  it("adds notes with their author (technicians on their own jobs), refuses an empty one", async () => {
    const { job, tech } = await assignedJob();
    const path = page(`/jobs/${job.id}`);
    const added = await postForm(path, tech.cookie, { intent: "note", body: "Gate code 4471" });
    expect(added.status).toBe(302);
    const html = (await getPage(path, cookies.MANAGER)).html;
    expect(html).toContain("Gate code 4471");
    expect(html).toContain(tech.user.name);
    const empty = await postForm(path, tech.cookie, { intent: "note", body: "" });
    expect(empty.status).toBe(400);
    expect(await sqlCount("SELECT count(*) AS n FROM job_notes WHERE job_id = ?", job.id)).toBe(1);
    const audit = await sqlCount(
      "SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'job.note'",
      job.id,
    );
    expect(audit).toBe(1);
  });

  it("lets a manager cancel an appointment, edit, complete, cancel with a reason and reopen", async () => {
    const { job, appointment } = await assignedJob();
    const path = page(`/jobs/${job.id}`);
    const cancelVisit = await postForm(
      `${path}?panel=cancel-appointment&appointment=${appointment.id}`,
      cookies.MANAGER,
      {
        intent: "cancel-appointment",
        appointmentId: appointment.id,
        reason: "Customer closed",
      },
    );
    expect(cancelVisit.status).toBe(302);
    expect((await jobRow(job.id))?.status).toBe("PENDING");

    const edited = await postForm(`${path}?panel=edit`, cookies.MANAGER, {
      intent: "edit",
      description: "Walk-in cooler: replace door gasket",
      priority: "LOW",
      projectId: "",
    });
    expect(edited.status).toBe(302);
    expect(await jobRow(job.id)).toMatchObject({ description: "Walk-in cooler: replace door gasket", priority: "LOW" });

    const noReason = await postForm(`${path}?panel=cancel`, cookies.MANAGER, { intent: "cancel" });
    expect(noReason.status).toBe(400);
    expect((await jobRow(job.id))?.status).toBe("PENDING");
    const canceled = await postForm(`${path}?panel=cancel`, cookies.MANAGER, {
      intent: "cancel",
      cancelReason: "Customer went with another contractor",
    });
    expect(canceled.status).toBe(302);
    expect(await jobRow(job.id)).toMatchObject({
      status: "CANCELED",
      cancel_reason: "Customer went with another contractor",
    });
    expect((await getPage(path, cookies.MANAGER)).html).toContain("Reopen job");

    expect((await postForm(path, cookies.MANAGER, { intent: "reopen" })).status).toBe(302);
    expect((await jobRow(job.id))?.status).toBe("PENDING");
    expect((await postForm(path, cookies.MANAGER, { intent: "complete" })).status).toBe(302);
    expect((await jobRow(job.id))?.status).toBe("COMPLETED");
  });

  it("runs actions by intent: unknown 400, a manager's delete 403, an admin's delete after confirming", async () => {
    const { job } = await insertJob(org(), tree.users.MANAGER.id);
    const path = page(`/jobs/${job.id}`);
    expect((await postForm(path, cookies.ORG_ADMIN, { intent: "explode" })).status).toBe(400);
    expect((await getPage(`${path}?panel=delete`, cookies.MANAGER)).html).not.toContain("Delete job");
    expect((await postForm(path, cookies.MANAGER, { intent: "delete" })).status).toBe(403);
    expect((await jobRow(job.id))?.deleted_at).toBeNull();
    const confirm = (await getPage(`${path}?panel=delete`, cookies.ORG_ADMIN)).html;
    expect(confirm).toContain(`Delete J-${job.number}?`);
    const deleted = await postForm(`${path}?panel=delete`, cookies.ORG_ADMIN, { intent: "delete" });
    expect(deleted.status).toBe(302);
    expect(deleted.location).toBe(page("/jobs?deleted=1"));
    expect((await jobRow(job.id))?.deleted_at).not.toBeNull();
    expect((await getPage(path, cookies.ORG_ADMIN)).status).toBe(404);
  });

  it("links its transfers and offers Record transfer prefilled with the job", async () => {
    const { job, unit, tech } = await assignedJob();
    const path = page(`/jobs/${job.id}`);
    const html = (await getPage(path, tech.cookie)).html;
    const href = `/o/${org()}/transfers/new?jobId=${job.id}&amp;unitId=${unit.id}`;
    expect(html).toContain(href);
    const form = (await getPage(`/o/${org()}/transfers/new?jobId=${job.id}&unitId=${unit.id}`, tech.cookie)).html;
    expect(form).toContain(`<input type="hidden" name="jobId" value="${job.id}"/>`);
    expect(form).toContain(`J-${job.number}`);
    // A job the user may not see is not offered.
    const other = await insertJob(org(), tree.users.MANAGER.id);
    const unrelated = (await getPage(`/o/${org()}/transfers/new?jobId=${other.job.id}`, tech.cookie)).html;
    expect(unrelated).not.toContain(`name="jobId" value="${other.job.id}"`);
    expect(unrelated).not.toContain(`J-${other.job.number}`);
  });
});

describe("projects pages", () => {
  it("are for STAFF only: technicians and SALES 403, other orgs 404", async () => {
    expect((await getPage(page("/projects"), cookies.MANAGER)).status).toBe(200);
    expect((await getPage(page("/projects"), cookies.TECHNICIAN)).status).toBe(403);
    expect((await getPage(page("/projects"), cookies.SALES)).status).toBe(403);
    expect((await getPage(page("/projects"), await signIn(tree.outsiders.MANAGER.id))).status).toBe(404);
  });

  it("create a project, add a job in it from the prefilled form, roll its status up, cancel and reopen it", async () => {
    const bad = await postForm(page("/projects?new=1"), cookies.MANAGER, { name: "", dueDate: "2031-02-30" });
    expect(bad.status).toBe(400);
    const created = await postForm(page("/projects?new=1"), cookies.MANAGER, {
      name: "Dock retrofit",
      description: "Move the dock units to R-454B",
      dueDate: "2031-06-30",
    });
    expect(created.status).toBe(302);
    const projectId = /\/projects\/([^?]+)\?created=1$/.exec(created.location ?? "")?.[1] ?? "";
    const path = page(`/projects/${projectId}`);
    const first = (await getPage(path, cookies.MANAGER)).html;
    expect(first).toContain("Dock retrofit");
    expect(first).toContain("No jobs in this project yet.");
    expect(first).toContain(`/o/${org()}/jobs?new=1&amp;projectId=${projectId}`);
    expect((await getPage(path, cookies.TECHNICIAN)).status).toBe(403);

    const form = (await getPage(page(`/jobs?new=1&projectId=${projectId}`), cookies.MANAGER)).html;
    expect(form).toContain(`<option value="${projectId}" selected="">`);

    const { job } = await insertJob(org(), tree.users.MANAGER.id, { projectId });
    const list = (await getPage(page("/projects"), cookies.MANAGER)).html;
    expect(list).toContain("Dock retrofit");
    expect(list).toContain("0 of 1 job done");
    await postForm(page(`/jobs/${job.id}`), cookies.MANAGER, { intent: "complete" });
    const rolled = (await getPage(path, cookies.MANAGER)).html;
    expect(rolled).toContain(job.id);
    expect((await sqlAll("SELECT status FROM projects WHERE id = ?", projectId))[0]?.status).toBe("COMPLETED");

    const edited = await postForm(`${path}?panel=edit`, cookies.MANAGER, {
      intent: "edit",
      name: "Dock retrofit 2031",
      description: "",
      customerId: "",
      dueDate: "",
    });
    expect(edited.status).toBe(302);
    expect((await sqlAll("SELECT name, due_date, description FROM projects WHERE id = ?", projectId))[0]).toEqual({
      name: "Dock retrofit 2031",
      due_date: null,
      description: null,
    });
    expect((await postForm(`${path}?panel=cancel`, cookies.MANAGER, { intent: "cancel" })).status).toBe(302);
    expect((await sqlAll("SELECT status FROM projects WHERE id = ?", projectId))[0]?.status).toBe("CANCELED");
    expect((await getPage(path, cookies.MANAGER)).html).toContain("Reopen project");
    expect((await postForm(path, cookies.MANAGER, { intent: "reopen" })).status).toBe(302);
    expect((await sqlAll("SELECT status FROM projects WHERE id = ?", projectId))[0]?.status).toBe("COMPLETED");
    expect((await postForm(path, cookies.TECHNICIAN, { intent: "cancel" })).status).toBe(403);
  });
});
