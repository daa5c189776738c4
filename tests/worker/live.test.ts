/**
 * Live rooms end to end in workerd: the Worker's upgrade authentication, the real OrgRoom Durable
 * Object (hibernating), audience filtering, resume, disconnects and eviction.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import { type Role, users } from "../../db/schema";
import { FANOUT_SLICE, REPLAY_LIMIT } from "../../party/org-room";
import { IDENTITY_HEADER, type LiveEvent } from "../../party/protocol";
import { disconnectUser, publish } from "../../worker/live/publish";
import {
  createOrg,
  createTree,
  grantAccess,
  type LiveClient,
  member,
  openLive,
  refuseLive,
  signIn,
  type TestOrg,
  testDb,
} from "./helpers";

const ROLES: Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];

let eventCounter = 0;
/** A job event with a unique id, so a test can wait for exactly its own event. */
const jobEvent = (org: Pick<TestOrg, "id">, action = "updated"): LiveEvent => ({
  entity: "job",
  action,
  id: `job-${Date.now().toString(36)}-${eventCounter++}`,
  orgId: org.id,
});

/**
 * Publishes an event every connection sees and waits until each client has it. A socket delivers
 * in order, so whatever a client has not received before this marker was never sent to it.
 */
async function settle(org: Pick<TestOrg, "id" | "parentOrgId">, clients: LiveClient[]) {
  const marker = jobEvent(org, "marker");
  await publish(env, org, marker);
  await Promise.all(clients.map((client) => client.event(marker.id)));
}

describe("upgrade authentication", () => {
  it("refuses a connection without a session", async () => {
    const org = await createOrg();
    const res = await refuseLive(org.id);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  });

  it("refuses a forged identity header without a session", async () => {
    const org = await createOrg();
    const identity = { userId: "someone", role: "PARENT_ORG_ADMIN", orgId: org.id };
    const res = await refuseLive(org.id, { headers: { [IDENTITY_HEADER]: JSON.stringify(identity) } });
    expect(res.status).toBe(401);
  });

  it("refuses a wrong or missing Origin", async () => {
    const org = await createOrg();
    const { cookie } = await member(org.id, "MANAGER");
    for (const origin of ["https://evil.example", "http://localhost:8787", null]) {
      const res = await refuseLive(org.id, { cookie, origin });
      expect(res.status, `origin ${origin}`).toBe(403);
      expect(res.body).toMatchObject({ error: { code: "BAD_ORIGIN" } });
    }
  });

  it("refuses an org the user cannot reach", async () => {
    const tree = await createTree();
    const cookie = await signIn(tree.users.MANAGER.id);
    for (const orgId of [tree.other.id, tree.subB.id, tree.parent.id, "no-such-org"]) {
      const res = await refuseLive(orgId, { cookie });
      expect(res.status, orgId).toBe(403);
      expect(res.body).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    const otherAdmin = await signIn(tree.outsiders.PARENT_ORG_ADMIN.id);
    expect((await refuseLive(tree.subA.id, { cookie: otherAdmin })).status).toBe(403);
  });

  it("refuses a deactivated user on the next upgrade", async () => {
    const org = await createOrg();
    const { user, cookie } = await member(org.id, "TECHNICIAN");
    await openLive(org.id, cookie);
    await testDb().update(users).set({ status: "DEACTIVATED" }).where(eq(users.id, user.id));
    const res = await refuseLive(org.id, { cookie });
    expect(res.status).toBe(401);
  });

  it("answers 404 for an unknown party and plain HTTP; the room refuses upgrades that skip the Worker", async () => {
    const org = await createOrg();
    const { cookie } = await member(org.id, "MANAGER");
    const unknown = await exports.default.fetch(`http://localhost/parties/no-such-party/${org.id}`, {
      headers: { Upgrade: "websocket", Origin: "http://localhost", Cookie: cookie },
    });
    expect(unknown.status).toBe(404);
    await unknown.body?.cancel();
    // Straight to the Durable Object, skipping the Worker: refused before accepting, no stack.
    const room = env.OrgRoom.get(env.OrgRoom.idFromName(org.id));
    for (const identity of [null, "{not json", JSON.stringify({ userId: "x", role: "ROOT", orgId: org.id })]) {
      const direct = await room.fetch(`http://localhost/parties/org-room/${org.id}`, {
        headers: { Upgrade: "websocket", ...(identity === null ? {} : { [IDENTITY_HEADER]: identity }) },
      });
      expect(direct.webSocket).toBeNull();
      expect(direct.status).toBe(401);
      expect(await direct.text()).not.toContain("at ");
    }
    const plain = await exports.default.fetch(`http://localhost/parties/org-room/${org.id}`, {
      headers: { Cookie: cookie },
    });
    expect(plain.status).toBe(404);
    await plain.body?.cancel();
  });
});

describe("hello", () => {
  it("greets each of the five roles in their home org", async () => {
    const tree = await createTree();
    for (const role of ROLES) {
      const user = tree.users[role];
      const client = await openLive(user.orgId, await signIn(user.id));
      expect(await client.hello()).toEqual({ type: "hello", role, orgId: user.orgId, seq: expect.any(Number) });
    }
  });

  it("accepts a PARENT_ORG_ADMIN in every sub-org and a granted user in the granted org", async () => {
    const tree = await createTree();
    const cookie = await signIn(tree.users.PARENT_ORG_ADMIN.id);
    for (const org of [tree.subA, tree.subB]) {
      const client = await openLive(org.id, cookie);
      expect(await client.hello()).toMatchObject({ role: "PARENT_ORG_ADMIN", orgId: org.id });
    }
    const roving = tree.users.MANAGER;
    await grantAccess(roving.id, tree.subB.id);
    const client = await openLive(tree.subB.id, await signIn(roving.id));
    expect(await client.hello()).toMatchObject({ role: "MANAGER", orgId: tree.subB.id });
  });

  it("ignores a client-sent identity header", async () => {
    const tree = await createTree();
    const tech = tree.users.TECHNICIAN;
    const forged = { userId: tree.users.PARENT_ORG_ADMIN.id, role: "PARENT_ORG_ADMIN", orgId: tree.subA.id };
    const client = await openLive(tree.subA.id, await signIn(tech.id), {
      headers: { [IDENTITY_HEADER]: JSON.stringify(forged), "x-partykit-room": tree.subB.id },
    });
    expect(await client.hello()).toMatchObject({ role: "TECHNICIAN", orgId: tree.subA.id });
    // The room keeps the Worker's identity: a MANAGER-only event does not reach the technician.
    const managersOnly = jobEvent(tree.subA);
    await publish(env, tree.subA, managersOnly, { roles: ["MANAGER", "PARENT_ORG_ADMIN"] });
    await settle(tree.subA, [client]);
    expect(client.eventIds()).not.toContain(managersOnly.id);
  });
});

describe("publish", () => {
  it("reaches connected clients with increasing seq", async () => {
    const org = await createOrg();
    const a = await openLive(org.id, (await member(org.id, "MANAGER")).cookie);
    const b = await openLive(org.id, (await member(org.id, "TECHNICIAN")).cookie);
    const start = (await a.hello()).seq;
    const first = jobEvent(org, "created");
    const second = jobEvent(org, "updated");
    await publish(env, org, first);
    await publish(env, org, second);
    for (const client of [a, b]) {
      expect((await client.event(first.id)).seq).toBe(start + 1);
      expect(await client.event(second.id)).toEqual({
        type: "event",
        seq: start + 2,
        ...second,
        data: {},
        at: expect.any(String),
      });
    }
    const late = await openLive(org.id, (await member(org.id, "SALES")).cookie);
    expect((await late.hello()).seq).toBe(start + 2);
  });

  it("sends a fan-out wider than one slice to every socket once and in seq order, even when publishes overlap", async () => {
    const org = await createOrg();
    const manager = await member(org.id, "MANAGER");
    // More sockets than two slices, so each fan-out yields between slices while others queue up.
    const clients = await Promise.all(
      Array.from({ length: FANOUT_SLICE * 2 + 5 }, () => openLive(org.id, manager.cookie)),
    );
    const start = (await (clients[0] as LiveClient).hello()).seq;
    const events = Array.from({ length: 5 }, () => jobEvent(org));
    // A client reconnecting while the fan-outs run gets each event once too: by catch-up or by
    // the fan-out, whichever decided first.
    const [, joining] = await Promise.all([
      Promise.all(events.map((event) => publish(env, org, event))),
      openLive(org.id, manager.cookie, { since: start }),
    ]);
    await settle(org, [...clients, joining]);
    const ours = (client: LiveClient) => client.events().filter((m) => m.seq > start && m.seq <= start + 5);
    const order = ours(clients[0] as LiveClient).map((m) => m.id);
    expect([...order].sort()).toEqual(events.map((event) => event.id).sort());
    for (const client of [...clients, joining]) {
      expect(ours(client).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5].map((n) => start + n));
      expect(ours(client).map((m) => m.id)).toEqual(order);
    }
  });

  it("reaches a socket that joined after the last publish, and the rest after one left", async () => {
    const org = await createOrg();
    const manager = await member(org.id, "MANAGER");
    const first = await openLive(org.id, manager.cookie);
    const leaving = await openLive(org.id, manager.cookie);
    const before = jobEvent(org);
    await publish(env, org, before);
    await Promise.all([first, leaving].map((client) => client.event(before.id)));

    // The room keeps its list of sockets between publishes: a join and a leave must each renew it.
    const joined = await openLive(org.id, manager.cookie);
    const afterJoin = jobEvent(org);
    await publish(env, org, afterJoin);
    await Promise.all([first, leaving, joined].map((client) => client.event(afterJoin.id)));

    leaving.close();
    expect((await leaving.closed()).code).toBe(1000);
    const afterLeave = jobEvent(org);
    await publish(env, org, afterLeave);
    await Promise.all([first, joined].map((client) => client.event(afterLeave.id)));
    expect(leaving.eventIds()).not.toContain(afterLeave.id);
    expect(first.eventIds()).toEqual([before.id, afterJoin.id, afterLeave.id]);
    expect(joined.eventIds()).toEqual([afterJoin.id, afterLeave.id]);
  });

  it("sends frames as ASCII JSON that parse back to the exact text, dashes and emoji included", async () => {
    const org = await createOrg();
    const { cookie } = await member(org.id, "MANAGER");
    const res = await exports.default.fetch(`http://localhost/parties/org-room/${org.id}`, {
      headers: { Upgrade: "websocket", Origin: "http://localhost", Cookie: cookie },
    });
    const socket = res.webSocket;
    if (!socket) throw new Error("upgrade refused");
    const frames: string[] = [];
    const event = {
      ...jobEvent(org),
      data: { location: "Lakeside Fresh Market — Maple Grove", note: "Café ✓ 9–11 AM 🧊" },
    };
    const received = new Promise<void>((resolve) => {
      socket.addEventListener("message", (message) => {
        frames.push(String(message.data));
        if (frames.length === 2) resolve();
      });
    });
    socket.accept();
    await publish(env, org, event);
    await received;
    const frame = frames[1] as string;
    expect(frame).toMatch(/^[\x20-\x7e]*$/);
    expect(frame).toContain("\\u2014");
    expect(JSON.parse(frame)).toMatchObject({ type: "event", id: event.id, data: event.data });
    socket.close(1000, "test done");
  });

  it("filters by audience: listed roles and listed users only", async () => {
    const org = await createOrg();
    const manager = await member(org.id, "MANAGER");
    const tech = await member(org.id, "TECHNICIAN");
    const otherTech = await member(org.id, "TECHNICIAN");
    const sales = await member(org.id, "SALES");
    const clients = {
      manager: await openLive(org.id, manager.cookie),
      tech: await openLive(org.id, tech.cookie),
      otherTech: await openLive(org.id, otherTech.cookie),
      sales: await openLive(org.id, sales.cookie),
    };
    const assignment = jobEvent(org, "assigned");
    await publish(env, org, assignment, { roles: ["MANAGER"], userIds: [tech.user.id] });
    await settle(org, Object.values(clients));
    expect(clients.manager.eventIds()).toContain(assignment.id);
    expect(clients.tech.eventIds()).toContain(assignment.id);
    expect(clients.otherTech.eventIds()).not.toContain(assignment.id);
    expect(clients.sales.eventIds()).not.toContain(assignment.id);
  });

  it("relays a sub-org event to the parent room for PARENT_ORG_ADMINs only", async () => {
    const tree = await createTree();
    const parentAdmin = await openLive(tree.parent.id, await signIn(tree.users.PARENT_ORG_ADMIN.id));
    const parentManager = await openLive(tree.parent.id, (await member(tree.parent.id, "MANAGER")).cookie);
    const subManager = await openLive(tree.subA.id, await signIn(tree.users.MANAGER.id));
    const sibling = await openLive(tree.subB.id, await signIn(tree.sibling.MANAGER.id));
    const other = await openLive(tree.other.id, await signIn(tree.outsiders.MANAGER.id));

    const event = jobEvent(tree.subA, "created");
    await publish(env, tree.subA, event);
    expect(await subManager.event(event.id)).toMatchObject({ orgId: tree.subA.id });
    expect(await parentAdmin.event(event.id)).toMatchObject({ orgId: tree.subA.id });

    await settle(tree.parent, [parentAdmin, parentManager]);
    await settle(tree.subB, [sibling]);
    await settle(tree.other, [other]);
    expect(parentManager.eventIds()).not.toContain(event.id);
    expect(sibling.eventIds()).not.toContain(event.id);
    expect(other.eventIds()).not.toContain(event.id);

    // The parent's own events still reach its whole org.
    const own = jobEvent(tree.parent);
    await publish(env, tree.parent, own);
    await parentManager.event(own.id);
    // A reconnecting parent-org manager does not get the relayed event on resume either.
    const resumed = await openLive(tree.parent.id, (await member(tree.parent.id, "MANAGER")).cookie, {
      since: 0,
    });
    await resumed.event(own.id);
    expect(resumed.eventIds()).not.toContain(event.id);
  });
});

describe("catch-up after reconnect (?since=)", () => {
  it("replays missed events the connection may see", async () => {
    const org = await createOrg();
    const tech = await member(org.id, "TECHNICIAN");
    const first = await openLive(org.id, tech.cookie);
    const since = (await first.hello()).seq;
    first.close();

    const everyone = jobEvent(org);
    const managersOnly = jobEvent(org);
    const forTech = jobEvent(org);
    await publish(env, org, everyone);
    await publish(env, org, managersOnly, { roles: ["MANAGER"] });
    await publish(env, org, forTech, { roles: ["MANAGER"], userIds: [tech.user.id] });

    const again = await openLive(org.id, tech.cookie, { since });
    expect((await again.hello()).seq).toBe(since + 3);
    expect(await again.event(forTech.id)).toMatchObject({ seq: since + 3 });
    expect(again.events()).toEqual([
      { type: "event", seq: since + 1, ...everyone, data: {}, at: expect.any(String) },
      { type: "event", seq: since + 3, ...forTech, data: {}, at: expect.any(String) },
    ]);
  });

  it("replays nothing when nothing was missed", async () => {
    const org = await createOrg();
    await publish(env, org, jobEvent(org));
    const cookie = (await member(org.id, "MANAGER")).cookie;
    const first = await openLive(org.id, cookie);
    const client = await openLive(org.id, cookie, { since: (await first.hello()).seq });
    await settle(org, [client]);
    expect(client.events()).toHaveLength(1);
    expect(client.messages.filter((m) => m.type === "resync")).toEqual([]);
  });

  it("answers resync when since is ahead of the room", async () => {
    const org = await createOrg();
    const client = await openLive(org.id, (await member(org.id, "MANAGER")).cookie, { since: 5 });
    await client.waitFor((m) => m.type === "resync");
  });

  it("answers resync when more was missed than the room keeps", async () => {
    const org = await createOrg();
    const stub = await getServerByName(env.OrgRoom, org.id);
    const total = REPLAY_LIMIT + 2;
    for (let i = 0; i < total; i++) await stub.publish(jobEvent(org), {}, org.id);
    const cookie = (await member(org.id, "MANAGER")).cookie;
    const stale = await openLive(org.id, cookie, { since: 1 });
    expect((await stale.hello()).seq).toBe(total);
    expect(await stale.waitFor((m) => m.type === "resync")).toEqual({ type: "resync" });
    expect(stale.events()).toEqual([]);

    // The oldest kept event is 3: a client at seq 2 can still catch up, in order.
    const recent = await openLive(org.id, cookie, { since: 2 });
    await recent.waitFor((m) => m.type === "event" && m.seq === total);
    expect(recent.events().map((m) => m.seq)).toEqual(Array.from({ length: REPLAY_LIMIT }, (_, i) => i + 3));
  });

  it("answers an error to a malformed message and keeps the socket open", async () => {
    const org = await createOrg();
    const client = await openLive(org.id, (await member(org.id, "MANAGER")).cookie);
    client.sendRaw("{not json");
    expect(await client.waitFor((m) => m.type === "error")).toEqual({ type: "error", message: "Unknown message." });
    await settle(org, [client]);
    expect(client.closeEvent).toBeNull();
  });
});

describe("disconnectUser", () => {
  it("closes that user's sockets with 4003 and leaves others open", async () => {
    const tree = await createTree();
    const tech = tree.users.TECHNICIAN;
    const techCookie = await signIn(tech.id);
    const techClient = await openLive(tree.subA.id, techCookie);
    const techSecondTab = await openLive(tree.subA.id, techCookie);
    const manager = await openLive(tree.subA.id, await signIn(tree.users.MANAGER.id));
    const parentAdmin = await openLive(tree.parent.id, await signIn(tree.users.PARENT_ORG_ADMIN.id));

    await disconnectUser(env, tech.id, [tree.parent.id, tree.subA.id, tree.subB.id], "Your account was deactivated.");
    expect(await techClient.closed()).toEqual({ code: 4003, reason: "Your account was deactivated." });
    expect((await techSecondTab.closed()).code).toBe(4003);

    await settle(tree.subA, [manager, parentAdmin]);
    expect(manager.closeEvent).toBeNull();
    expect(parentAdmin.closeEvent).toBeNull();
  });

  it("does not close a socket whose client-chosen id imitates the user's tag", async () => {
    const org = await createOrg();
    const victim = await member(org.id, "TECHNICIAN");
    const other = await member(org.id, "TECHNICIAN");
    const res = await exports.default.fetch(`http://localhost/parties/org-room/${org.id}?_pk=user:${victim.user.id}`, {
      headers: { Upgrade: "websocket", Origin: "http://localhost", Cookie: other.cookie },
    });
    const socket = res.webSocket;
    if (!socket) throw new Error("upgrade refused");
    socket.accept();
    let closedWith: number | null = null;
    socket.addEventListener("close", (event) => {
      closedWith = event.code;
    });
    const victimClient = await openLive(org.id, victim.cookie);
    await disconnectUser(env, victim.user.id, [org.id], "bye");
    expect((await victimClient.closed()).code).toBe(4003);
    const stillThere = await openLive(org.id, other.cookie);
    await settle(org, [stillThere]);
    expect(closedWith).toBeNull();
    socket.close(1000, "test done");
  });
});

describe("hibernation", () => {
  it("keeps each connection's identity across eviction", async () => {
    const org = await createOrg();
    const manager = await member(org.id, "MANAGER");
    const tech = await member(org.id, "TECHNICIAN");
    const otherTech = await member(org.id, "TECHNICIAN");
    const sales = await member(org.id, "SALES");
    const clients = {
      manager: await openLive(org.id, manager.cookie),
      tech: await openLive(org.id, tech.cookie),
      otherTech: await openLive(org.id, otherTech.cookie),
      sales: await openLive(org.id, sales.cookie),
    };
    const before = jobEvent(org);
    await publish(env, org, before);
    await Promise.all(Object.values(clients).map((client) => client.event(before.id)));

    // Mark the running instance, evict it, and check the next one is a fresh instance.
    const room = env.OrgRoom.get(env.OrgRoom.idFromName(org.id));
    const marked = new WeakSet<object>();
    await runInDurableObject(room, (instance) => void marked.add(instance));
    await evictDurableObject(room);

    const assignment = jobEvent(org, "assigned");
    await publish(env, org, assignment, { roles: ["MANAGER"], userIds: [tech.user.id] });
    await settle(org, Object.values(clients));
    expect(await clients.manager.event(assignment.id)).toMatchObject({ seq: expect.any(Number) });
    expect(clients.tech.eventIds()).toContain(assignment.id);
    expect(clients.otherTech.eventIds()).not.toContain(assignment.id);
    expect(clients.sales.eventIds()).not.toContain(assignment.id);
    // Seq continues from storage, and the sockets still accept messages and tags still work.
    const seqs = clients.manager.events().map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const salesAgain = await openLive(org.id, sales.cookie, { since: (await clients.sales.hello()).seq });
    await salesAgain.event(before.id);
    await disconnectUser(env, tech.user.id, [org.id], "bye");
    expect((await clients.tech.closed()).code).toBe(4003);
    expect(clients.manager.closeEvent).toBeNull();
    expect(await runInDurableObject(room, (instance) => marked.has(instance))).toBe(false);
  });
});
