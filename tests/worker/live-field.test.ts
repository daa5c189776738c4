/**
 * Live field operations end to end in workerd: real API writes (jobs, appointments), real rooms,
 * real WebSockets. What each connection receives is decided by the room from the audience the
 * service chose: a technician only their own assignments, SALES never a job, nothing ever crosses
 * to another org; events arrive in seq order and a reconnect with `?since=` catches up.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import type { EventMessage } from "../../party/protocol";
import type { Appointment } from "../../worker/field/shapes";
import { publish } from "../../worker/live/publish";
import { api, createTree, createUnitAtSite, type LiveClient, member, openLive, signIn, type TestOrg } from "./helpers";
import { sqlAll } from "./support";

const HOUR = 60 * 60 * 1000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

/** A marker every connection of the org may see: once it arrives, everything before it has too. */
async function settle(org: Pick<TestOrg, "id" | "parentOrgId">, clients: LiveClient[]) {
  const id = `marker-${crypto.randomUUID()}`;
  await publish(env, org, { entity: "org", action: "marker", id, orgId: org.id });
  await Promise.all(clients.map((client) => client.event(id)));
}

/** A job at a site of the org, created through the API by `cookie` (a manager). */
async function createJob(orgId: string, cookie: string) {
  const unit = await createUnitAtSite(orgId);
  const [site] = await sqlAll("SELECT customer_id FROM locations WHERE id = ?", unit.locationId);
  const res = await api(`/api/orgs/${orgId}/jobs`, {
    method: "POST",
    cookie,
    body: { customerId: site?.customer_id, locationId: unit.locationId, unitIds: [unit.id], description: "No cooling" },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; label: string };
}

async function assign(orgId: string, cookie: string, jobId: string, technicianIds: string[], hours = 2) {
  const res = await api<Appointment>(`/api/orgs/${orgId}/appointments`, {
    method: "POST",
    cookie,
    body: { jobId, startsAt: inHours(hours), technicianIds },
  });
  expect(res.status).toBe(201);
  return res.body;
}

const appointmentEvents = (client: LiveClient) => client.events().filter((event) => event.entity === "appointment");
const jobEvents = (client: LiveClient) => client.events().filter((event) => event.entity === "job");

async function branch() {
  const tree = await createTree();
  const org = tree.subA;
  const manager = await member(org.id, "MANAGER");
  const tech = await member(org.id, "TECHNICIAN");
  const otherTech = await member(org.id, "TECHNICIAN");
  const sales = await member(org.id, "SALES");
  return { tree, org, manager, tech, otherTech, sales };
}

describe("per-role filtering of field operations", () => {
  it("sends an assignment to the managers and the assigned technician only; SALES never gets a job", async () => {
    const { org, manager, tech, otherTech, sales } = await branch();
    const secondManager = await member(org.id, "MANAGER");
    const clients = {
      manager: await openLive(org.id, manager.cookie),
      secondManager: await openLive(org.id, secondManager.cookie),
      tech: await openLive(org.id, tech.cookie),
      otherTech: await openLive(org.id, otherTech.cookie),
      sales: await openLive(org.id, sales.cookie),
    };

    const job = await createJob(org.id, manager.cookie);
    const appointment = await assign(org.id, manager.cookie, job.id, [tech.user.id]);
    await settle(org, Object.values(clients));

    for (const client of [clients.manager, clients.secondManager, clients.tech]) {
      const event = await client.event(appointment.id);
      expect(event).toMatchObject({ type: "event", entity: "appointment", action: "created", orgId: org.id });
      const data = event.data as { appointment: Appointment };
      expect(data.appointment.technicians.map((t) => t.id)).toEqual([tech.user.id]);
      expect(data.appointment.job.id).toBe(job.id);
    }
    expect(clients.otherTech.eventIds()).not.toContain(appointment.id);
    expect(appointmentEvents(clients.otherTech)).toEqual([]);
    expect(jobEvents(clients.otherTech)).toEqual([]);
    expect(appointmentEvents(clients.sales)).toEqual([]);
    expect(jobEvents(clients.sales)).toEqual([]);
    // The job's creation reached the managers (not yet anyone's assignment); its move to
    // SCHEDULED reached the assigned technician too.
    expect(jobEvents(clients.secondManager).map((event) => event.id)).toContain(job.id);
    expect(jobEvents(clients.tech).every((event) => event.id === job.id)).toBe(true);
  });

  it("tells a technician taken off an appointment, and never tells them about it again", async () => {
    const { org, manager, tech, otherTech } = await branch();
    const clients = {
      tech: await openLive(org.id, tech.cookie),
      otherTech: await openLive(org.id, otherTech.cookie),
    };
    const job = await createJob(org.id, manager.cookie);
    const appointment = await assign(org.id, manager.cookie, job.id, [tech.user.id]);
    await clients.tech.event(appointment.id);

    const moved = await api(`/api/orgs/${org.id}/appointments/${appointment.id}`, {
      method: "PATCH",
      cookie: manager.cookie,
      body: { technicianIds: [otherTech.user.id] },
    });
    expect(moved.status).toBe(200);
    const handover = await clients.otherTech.waitFor(
      (m) => m.type === "event" && m.id === appointment.id && m.action === "updated",
    );
    const dropped = await clients.tech.waitFor(
      (m) => m.type === "event" && m.id === appointment.id && m.action === "updated",
    );
    for (const event of [handover, dropped] as EventMessage[]) {
      expect((event.data as { appointment: Appointment }).appointment.technicians.map((t) => t.id)).toEqual([
        otherTech.user.id,
      ]);
    }

    // Later changes reach only the technician now assigned.
    const rescheduled = await api(`/api/orgs/${org.id}/appointments/${appointment.id}`, {
      method: "PATCH",
      cookie: manager.cookie,
      body: { startsAt: inHours(5) },
    });
    expect(rescheduled.status).toBe(200);
    await settle(org, Object.values(clients));
    expect(appointmentEvents(clients.tech).map((event) => event.action)).toEqual(["created", "updated"]);
    expect(appointmentEvents(clients.otherTech).map((event) => event.action)).toEqual(["updated", "updated"]);
  });

  it("sends an assignment with its job as the API shows them (one batch of reads, no column mixed up)", async () => {
    const { org, manager, tech } = await branch();
    const board = await openLive(org.id, manager.cookie);
    const unit = await createUnitAtSite(org.id);
    const [site] = await sqlAll(
      `SELECT l.customer_id, c.name AS customer_name, l.name AS location_name
       FROM locations l JOIN customers c ON c.id = l.customer_id WHERE l.id = ?`,
      unit.locationId,
    );
    const project = await api<{ id: string; name: string }>(`/api/orgs/${org.id}/projects`, {
      cookie: manager.cookie,
      body: { name: "Cold room rebuild" },
    });
    expect(project.status).toBe(201);
    const made = await api<{ id: string }>(`/api/orgs/${org.id}/jobs`, {
      cookie: manager.cookie,
      body: {
        customerId: site?.customer_id,
        locationId: unit.locationId,
        unitIds: [unit.id],
        projectId: project.body.id,
        description: "No cooling",
      },
    });
    expect(made.status).toBe(201);
    const appointment = await assign(org.id, manager.cookie, made.body.id, [tech.user.id]);
    const event = (await board.event(appointment.id)) as EventMessage;
    const data = event.data as { appointment: Appointment; job: Record<string, unknown> };
    expect(data.appointment).toEqual(appointment);
    expect(data.appointment.job).toMatchObject({
      customerName: site?.customer_name,
      locationName: site?.location_name,
    });
    expect(data.appointment.technicians).toEqual([
      { id: tech.user.id, name: tech.user.name, certificationType: tech.user.certificationType ?? null },
    ]);
    expect(data.job).toMatchObject({
      id: made.body.id,
      status: "SCHEDULED",
      customer: { id: site?.customer_id, name: site?.customer_name },
      location: { id: unit.locationId, name: site?.location_name },
      project: { id: project.body.id, name: "Cold room rebuild" },
      unitIds: [unit.id],
      technicianIds: [tech.user.id],
      nextAppointmentAt: appointment.startsAt,
    });
    const detail = await api<Record<string, unknown>>(`/api/orgs/${org.id}/jobs/${made.body.id}`, {
      cookie: manager.cookie,
    });
    expect(detail.body).toMatchObject(data.job);
  });

  it("lets the managers see a technician start the job", async () => {
    const { org, manager, tech } = await branch();
    const board = await openLive(org.id, manager.cookie);
    const job = await createJob(org.id, manager.cookie);
    const appointment = await assign(org.id, manager.cookie, job.id, [tech.user.id], 0);
    const started = await api(`/api/orgs/${org.id}/appointments/${appointment.id}/start`, {
      method: "POST",
      cookie: tech.cookie,
      body: {},
    });
    expect(started.status).toBe(200);
    const event = await board.waitFor((m) => m.type === "event" && m.id === appointment.id && m.action === "started");
    // One frame: the appointment, and the job it moved to IN_PROGRESS.
    expect((event as EventMessage).data).toMatchObject({
      appointment: { status: "IN_PROGRESS", job: { status: "IN_PROGRESS" } },
      job: { id: job.id, status: "IN_PROGRESS" },
    });
  });
});

describe("a job with several visits", () => {
  it("tells the technician of another visit that the job started, in a job event of its own", async () => {
    const { org, manager, tech, otherTech } = await branch();
    const job = await createJob(org.id, manager.cookie);
    const first = await assign(org.id, manager.cookie, job.id, [tech.user.id], 0);
    await assign(org.id, manager.cookie, job.id, [otherTech.user.id], 26);
    const other = await openLive(org.id, otherTech.cookie);

    const started = await api(`/api/orgs/${org.id}/appointments/${first.id}/start`, {
      method: "POST",
      cookie: tech.cookie,
      body: {},
    });
    expect(started.status).toBe(200);
    const event = await other.waitFor((m) => m.type === "event" && m.entity === "job" && m.id === job.id);
    expect((event as EventMessage).data).toMatchObject({ job: { status: "IN_PROGRESS" } });
    await settle(org, [other]);
    // The first visit itself is not theirs.
    expect(other.eventIds()).not.toContain(first.id);
  });
});

describe("tenant isolation", () => {
  it("never sends an event to another org; the parent room gets it tagged for PARENT_ORG_ADMINs only", async () => {
    const { tree, org, manager, tech } = await branch();
    const siblingManager = await member(tree.subB.id, "MANAGER");
    const parentManager = await member(tree.parent.id, "MANAGER");
    const otherManager = await member(tree.other.id, "MANAGER");
    const clients = {
      sibling: await openLive(tree.subB.id, siblingManager.cookie),
      parentManager: await openLive(tree.parent.id, parentManager.cookie),
      parentAdmin: await openLive(tree.parent.id, await signIn(tree.users.PARENT_ORG_ADMIN.id)),
      other: await openLive(tree.other.id, otherManager.cookie),
    };

    const job = await createJob(org.id, manager.cookie);
    const appointment = await assign(org.id, manager.cookie, job.id, [tech.user.id]);
    const relayed = await clients.parentAdmin.event(appointment.id);
    expect(relayed).toMatchObject({ entity: "appointment", orgId: org.id });

    await settle(tree.subB, [clients.sibling]);
    await settle(tree.parent, [clients.parentManager, clients.parentAdmin]);
    await settle(tree.other, [clients.other]);
    for (const client of [clients.sibling, clients.parentManager, clients.other]) {
      expect(client.eventIds()).not.toContain(appointment.id);
      expect(client.eventIds()).not.toContain(job.id);
    }
  });
});

describe("order and catch-up", () => {
  it("numbers events in order and replays what a reconnecting technician missed, only theirs", async () => {
    const { org, manager, tech, otherTech } = await branch();
    const first = await openLive(org.id, tech.cookie);
    const since = (await first.hello()).seq;
    first.close();

    const mine: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = await createJob(org.id, manager.cookie);
      mine.push((await assign(org.id, manager.cookie, job.id, [tech.user.id], 2 + i * 3)).id);
    }
    const theirs = await assign(org.id, manager.cookie, (await createJob(org.id, manager.cookie)).id, [
      otherTech.user.id,
    ]);

    const again = await openLive(org.id, tech.cookie, { since });
    await again.event(mine[2] as string);
    await settle(org, [again]);
    const seqs = again.events().map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBeGreaterThan(since);
    expect(appointmentEvents(again).map((event) => event.id)).toEqual(mine);
    expect(again.eventIds()).not.toContain(theirs.id);
  });

  it("keeps delivering after the room hibernates and is evicted", async () => {
    const { org, manager, tech } = await branch();
    const phone = await openLive(org.id, tech.cookie);
    const before = (await phone.hello()).seq;
    await evictDurableObject(await getServerByName(env.OrgRoom, org.id));

    const job = await createJob(org.id, manager.cookie);
    const appointment = await assign(org.id, manager.cookie, job.id, [tech.user.id]);
    const event = await phone.event(appointment.id);
    expect(event.seq).toBeGreaterThan(before);
  });
});
