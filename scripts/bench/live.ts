/**
 * Live delivery: N WebSocket clients (MANAGERs of one org: they see every event of the org, the
 * worst-case fan-out) connect through the Worker's real route with a session cookie and Origin;
 * one more MANAGER makes assignments through the API, one at a time, and each client's receipt
 * of the write's event is timed from just before the API call.
 */
import { WebSocket } from "ws";
import { DEMO_USERS } from "../../db/seed";
import { cookieOf, expect, origin } from "./http";
import { pool, type Summary, sleep, summarize } from "./stats";

/** How long one write waits for every client to receive its event before the next write. */
const DELIVERY_TIMEOUT_MS = 5_000;
/** After a phase, how long late events may still arrive before they count as lost. */
const GRACE_MS = 2_000;
const CONNECT_CONCURRENCY = 25;

/** The event a write must produce, as the clients will see it. */
export type Target = { entity: string; id: string };
export type Write = { name: string; run: (i: number) => Promise<Target> };

/** What the bench keeps of a received frame: when it came and which event it was. */
type Arrival = { t: number; type: string; seq: number; key: string };

/**
 * The room writes every event's envelope in one order (party/org-room.ts `publish`), so the head
 * of the text says which event it is. Reading only the head keeps the receiving thread cheap (a
 * full JSON.parse of every frame at N = 1000 delays the receipts it times) and keeps nothing big
 * alive (holding every frame's text made the clients' garbage collection pause the receipts).
 */
const EVENT_HEAD = /^\{"type":"event","seq":(\d+),"entity":"([^"]+)","action":"[^"]+","id":"([^"]+)"/;

function arrival(t: number, text: string): Arrival {
  const head = EVENT_HEAD.exec(text);
  if (head) return { t, type: "event", seq: Number(head[1]), key: `${head[2]}:${head[3]}` };
  const message = JSON.parse(text) as { type: string; seq?: number; entity?: string; id?: string };
  return { t, type: message.type, seq: message.seq ?? -1, key: `${message.entity}:${message.id}` };
}

class BenchClient {
  readonly log: Arrival[] = [];
  helloSeq = -1;
  private ws: WebSocket | null = null;

  async connect(orgId: string, token: string) {
    // No permessage-deflate offer: the deployed Worker declines it (`no_web_socket_compression` in
    // wrangler.toml), but local dev's entry worker would negotiate it anyway (docs/performance.md).
    const ws = new WebSocket(`${origin().replace(/^http/, "ws")}/parties/org-room/${orgId}`, {
      headers: { Cookie: cookieOf(token), Origin: origin() },
      perMessageDeflate: false,
    });
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no hello within 15 s")), 15_000);
      ws.onmessage = (event) => {
        const t = performance.now();
        const raw = String(event.data);
        if (this.helloSeq < 0) {
          const hello = JSON.parse(raw) as { type: string; seq: number };
          if (hello.type !== "hello") return reject(new Error(`first message was ${raw}`));
          this.helloSeq = hello.seq;
          clearTimeout(timer);
          resolve();
          return;
        }
        this.log.push(arrival(t, raw));
      };
      ws.onerror = () => {
        clearTimeout(timer);
        reject(new Error("WebSocket error"));
      };
      ws.onclose = (event) => {
        clearTimeout(timer);
        reject(new Error(`closed ${event.code} ${event.reason}`));
      };
    });
    ws.onclose = () => {};
  }

  close() {
    this.ws?.close();
  }
}

export type PhaseResult = {
  clients: number;
  writes: number;
  warmupWrites: number;
  connectSeconds: number;
  /** From just before the API call to each client's receipt, over every (client, write) pair. */
  delivery: Summary;
  /** From just before the API call to the FIRST client's receipt, one value per write: the write path. */
  firstClient: Summary;
  /** From just before the API call to the LAST client's receipt, one value per write. */
  lastClient: Summary;
  /** The write's own HTTP round trip (it answers after the publish RPC returns). */
  writeResponse: Summary;
  /**
   * Each measured write in order: when it was made (epoch ms, to line it up with a server-side
   * timeline such as a profile), its HTTP time and its first and last client's receipt (ms from the call).
   */
  perWrite: { at: number; http: number; first: number | null; last: number | null }[];
  /** (client, write) pairs whose event never arrived (within the per-write timeout and the end-of-phase grace). */
  lost: number;
  /** Pairs that arrived, but after the per-write timeout. */
  late: number;
  /** Events a client received twice (same seq). */
  duplicated: number;
  /** Events received after one with a higher seq. */
  outOfOrder: number;
  /** Seqs between the phase's first and last event that a client did not receive (MANAGERs may see all). */
  seqGaps: number;
};

/**
 * Connects clients up to `counts[k]` (keeping the earlier ones), then makes `writes` measured
 * writes (after `warmup` unmeasured ones) and analyses what every connected client received.
 */
export async function runLive(options: {
  orgId: string;
  tokens: string[];
  counts: number[];
  writes: number;
  warmup: number;
  write: Write;
  log: (line: string) => void;
}): Promise<PhaseResult[]> {
  const clients: BenchClient[] = [];
  const results: PhaseResult[] = [];
  let writeIndex = 0;
  try {
    for (const count of options.counts) {
      const connectStart = performance.now();
      const added = count - clients.length;
      const fresh = Array.from({ length: Math.max(0, added) }, () => new BenchClient());
      await pool(fresh.length, CONNECT_CONCURRENCY, async (i) => {
        const token = options.tokens[clients.length + i];
        if (!token) throw new Error("not enough minted sessions");
        await fresh[i]?.connect(options.orgId, token);
      });
      clients.push(...fresh);
      const connectSeconds = (performance.now() - connectStart) / 1000;
      options.log(`  ${count} clients connected in ${connectSeconds.toFixed(1)} s`);

      const phaseStart = performance.now();
      const delivery: number[] = [];
      const firstClient: number[] = [];
      const perWrite: PhaseResult["perWrite"] = [];
      const lastClient: number[] = [];
      const writeResponse: number[] = [];
      const received = new Map<BenchClient, Map<string, number>>(clients.map((c) => [c, new Map()]));
      const scanned = new Map<BenchClient, number>(clients.map((c) => [c, c.log.length]));
      let late = 0;
      const targets: { key: string; t0: number }[] = [];

      for (let w = 0; w < options.warmup + options.writes; w++) {
        const measured = w >= options.warmup;
        const t0 = performance.now();
        const target = await options.write.run(writeIndex++);
        const t1 = performance.now();
        const key = `${target.entity}:${target.id}`;
        // The wait loop runs on the thread that receives the frames: it must stay cheap, or it
        // delays the receipts it measures.
        const pending = new Set(clients);
        const deadline = t0 + DELIVERY_TIMEOUT_MS;
        let first = Number.POSITIVE_INFINITY;
        let last = 0;
        while (pending.size > 0 && performance.now() < deadline) {
          for (const client of pending) {
            const seen = received.get(client) as Map<string, number>;
            let index = scanned.get(client) ?? 0;
            for (; index < client.log.length; index++) {
              const arrival = client.log[index] as Arrival;
              if (!seen.has(key) && arrival.key === key) {
                seen.set(key, arrival.t);
              }
            }
            scanned.set(client, index);
            const t = seen.get(key);
            if (t !== undefined && t >= t0) {
              pending.delete(client);
              if (measured) delivery.push(t - t0);
              first = Math.min(first, t - t0);
              last = Math.max(last, t - t0);
            }
          }
          if (pending.size > 0) await sleep(1);
        }
        if (measured) {
          writeResponse.push(t1 - t0);
          if (pending.size === 0) lastClient.push(last);
          if (Number.isFinite(first)) firstClient.push(first);
          const round = (ms: number) => Math.round(ms * 10) / 10;
          perWrite.push({
            at: Math.round(performance.timeOrigin + t0),
            http: round(t1 - t0),
            first: Number.isFinite(first) ? round(first) : null,
            last: pending.size === 0 ? round(last) : null,
          });
          targets.push({ key, t0 });
        }
      }

      // Late arrivals, then what each client received during the phase, by seq.
      await sleep(GRACE_MS);
      let lost = 0;
      let duplicated = 0;
      let outOfOrder = 0;
      let seqGaps = 0;
      const perClientSeqs = clients.map((client) =>
        client.log.filter((arrival) => arrival.t >= phaseStart && arrival.type === "event"),
      );
      let minSeq = Number.POSITIVE_INFINITY;
      let maxSeq = Number.NEGATIVE_INFINITY;
      for (const events of perClientSeqs) {
        for (const event of events) {
          minSeq = Math.min(minSeq, event.seq);
          maxSeq = Math.max(maxSeq, event.seq);
        }
      }
      clients.forEach((client, c) => {
        const events = perClientSeqs[c] ?? [];
        const firstAt = new Map<string, number>();
        for (const arrival of client.log) {
          if (arrival.t >= phaseStart && !firstAt.has(arrival.key)) firstAt.set(arrival.key, arrival.t);
        }
        for (const { key, t0 } of targets) {
          const t = firstAt.get(key);
          if (t === undefined) lost++;
          else if (t - t0 > DELIVERY_TIMEOUT_MS) late++;
        }
        const seen = new Set<number>();
        let highest = 0;
        for (const event of events) {
          if (seen.has(event.seq)) duplicated++;
          else if (event.seq < highest) outOfOrder++;
          seen.add(event.seq);
          highest = Math.max(highest, event.seq);
        }
        for (let seq = minSeq; seq <= maxSeq; seq++) if (!seen.has(seq)) seqGaps++;
      });

      const result: PhaseResult = {
        clients: count,
        writes: options.writes,
        warmupWrites: options.warmup,
        connectSeconds: Math.round(connectSeconds * 10) / 10,
        delivery: summarize(delivery),
        firstClient: summarize(firstClient),
        lastClient: summarize(lastClient),
        writeResponse: summarize(writeResponse),
        perWrite,
        lost,
        late,
        duplicated,
        outOfOrder,
        seqGaps,
      };
      options.log(
        `  N=${count}: delivery p50 ${result.delivery.p50} ms, p99 ${result.delivery.p99} ms, max ${result.delivery.max} ms; lost ${lost}, late ${late}, duplicated ${duplicated}, out of order ${outOfOrder}, seq gaps ${seqGaps}`,
      );
      results.push(result);
    }
  } finally {
    for (const client of clients) client.close();
  }
  return results;
}

/**
 * The write the clients wait for. Assignments (POST /appointments on a fresh job each time) when
 * the API has them; otherwise a customer edit (PATCH /customers/:id), which every role sees.
 */
export async function chooseWrite(orgId: string, cookie: string, writes: number): Promise<Write> {
  const doc = await expect<{ paths: Record<string, Record<string, unknown>> }>(200, "GET", "/api/openapi.json");
  const customers = await expect<{ customers: { id: string; locationCount: number }[] }>(
    200,
    "GET",
    `/api/orgs/${orgId}/customers`,
    { cookie },
  );
  const withLocation = customers.customers.filter((customer) => customer.locationCount > 0);
  if (withLocation.length === 0) throw new Error(`${orgId} has no customer with a location`);

  const canAssign = doc.paths["/orgs/{orgId}/appointments"]?.post && doc.paths["/orgs/{orgId}/jobs"]?.post;
  if (!canAssign) {
    return {
      name: "PATCH /api/orgs/:orgId/customers/:id (notes)",
      run: async (i) => {
        const customer = withLocation[i % withLocation.length] as { id: string };
        await expect(200, "PATCH", `/api/orgs/${orgId}/customers/${customer.id}`, {
          cookie,
          body: { notes: `bench write ${i}` },
        });
        return { entity: "customer", id: customer.id };
      },
    };
  }

  // One job per assignment, created before the timed writes (not measured); the org's demo technicians.
  const techIds = DEMO_USERS.filter((user) => user.role === "TECHNICIAN" && user.orgId === orgId).map(
    (user) => user.id,
  );
  if (techIds.length === 0) throw new Error(`${orgId} has no demo technician`);
  const detail = await expect<{ locations: { id: string }[] }>(
    200,
    "GET",
    `/api/orgs/${orgId}/customers/${(withLocation[0] as { id: string }).id}`,
    { cookie },
  );
  const customerId = (withLocation[0] as { id: string }).id;
  const locationId = detail.locations[0]?.id as string;
  const jobIds = await pool(writes, 4, async (i) => {
    const job = await expect<{ id: string }>(201, "POST", `/api/orgs/${orgId}/jobs`, {
      cookie,
      body: { customerId, locationId, description: `Bench job ${i + 1}` },
    });
    return job.id;
  });
  // Tomorrow 06:00 UTC onwards, three hours apart: no double bookings, like a dispatcher filling a board.
  const base = new Date();
  base.setUTCDate(base.getUTCDate() + 1);
  base.setUTCHours(6, 0, 0, 0);
  return {
    name: "POST /api/orgs/:orgId/appointments (new assignment of a job to a technician)",
    run: async (i) => {
      const appointment = await expect<{ id: string }>(201, "POST", `/api/orgs/${orgId}/appointments`, {
        cookie,
        body: {
          jobId: jobIds[i],
          startsAt: new Date(base.getTime() + i * 3 * 3_600_000).toISOString(),
          technicianIds: [techIds[i % techIds.length]],
        },
      });
      return { entity: "appointment", id: appointment.id };
    },
  };
}
