/**
 * `npm run bench`: serves the built app on workerd (wrangler dev, bench mode) with a fresh, seeded
 * local D1 and measures
 * 1. the request path: latency percentiles and throughput of a few endpoints, workerd's memory;
 * 2. live delivery: N = 1, 100, 1000 WebSocket clients (MANAGERs of one org) while assignments are
 *    made through the API: latency from the API call to each client, lost / duplicated /
 *    out-of-order events (scripts/bench/live.ts);
 * 3. authorization overhead: an authorized, tenant-scoped list against a bare route running the
 *    same query in the same Worker (scripts/bench/list.ts).
 * Results go to bench/results/<time>.json; docs/performance.md explains the method and the numbers.
 * Numbers, not assertions: compare runs on the same machine.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD } from "../db/seed";
import { mintSessions, origin, PORT, PROXY_BASE, setOrigin } from "./bench/http";
import { compareList } from "./bench/list";
import { chooseWrite, runLive } from "./bench/live";
import { pool, sleep, summarize, table } from "./bench/stats";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? "1,100,1000").split(",").map(Number);
const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const WARMUP_WRITES = 3;
const LIST_REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 500);
const LIST_ROUNDS = 6;
/** The org whose MANAGERs listen and whose list is read: a sub-org (its events also go to the parent room). */
const ORG = "org-polar-north";

const state = mkdtempSync(join(tmpdir(), "refritrak-bench-"));
const sh = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`npx ${args.join(" ")} failed`);
};
const log = (line = "") => console.log(line);

let server: ChildProcess | undefined;
try {
  sh(["react-router", "build"]);
  sh(["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  sh(["tsx", "scripts/seed.ts"], { REFRITRAK_STATE_DIR: state });
  // Serve a private copy of the build: another `npm run build` in this tree would otherwise make
  // wrangler reload the Worker mid-run ("Your worker restarted mid-request").
  cpSync("build", join(state, "build"), { recursive: true });
  const config = join(state, "build", "server", "wrangler.json");
  // Locally, Miniflare's log collector runs as another worker in the same workerd, on the same
  // thread as the Worker, is fed every invocation's trace, and in this wrangler throws on the
  // batches it persists ("Cannot perform I/O on behalf of a different request", several a second
  // under the bench). On Cloudflare, logs are collected outside the Worker's process, so the bench
  // turns it off: `[observability]` in its copy of the config, and wrangler's own switch for local
  // observability (`X_LOCAL_OBSERVABILITY`, on by default whatever the config says) below.
  const built = JSON.parse(readFileSync(config, "utf8")) as Record<string, unknown>;
  writeFileSync(config, JSON.stringify({ ...built, observability: { enabled: false } }));
  const serverLog = join(state, "wrangler.log");
  const logFd = openSync(serverLog, "w");
  server = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--config",
      config,
      "--port",
      String(PORT),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      state,
      "--var",
      "BENCH_MODE:1",
    ],
    {
      detached: true,
      stdio: ["ignore", logFd, logFd],
      // The debug log is where wrangler reports the Worker's own address (see workerAddress).
      env: {
        ...process.env,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_LOG: "debug",
        X_LOCAL_OBSERVABILITY: "false",
      },
    },
  );
  await waitForServer();
  setOrigin(await workerAddress(serverLog));
  log(`\nthe Worker's own address: ${origin()} (wrangler's dev proxy at ${PROXY_BASE} is bypassed)`);
  const startedAt = new Date();
  const loadAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
  log(`\nload average at start: ${loadAtStart.join(" ")} (${cpus().length} CPUs)`);
  const speedAtStart = calibrate();
  log(`CPU calibration: ${speedAtStart} ms for a fixed workload on one core (lower is faster)`);

  // 1. Request path.
  const cookie = await login("owner@polar.test");
  const targets: [string, string][] = [
    ["GET /api/me", "/api/me"],
    ["GET /api/orgs/:orgId/users (company)", "/api/orgs/org-polar/users"],
    ["GET /api/orgs/:orgId/audit-log", "/api/orgs/org-polar/audit-log"],
    ["SSR dashboard /o/:orgId", "/o/org-polar"],
    ["SSR users tab", "/o/org-polar/organization/users"],
  ];
  log(`\n1. Request path: ${REQUESTS} requests each, ${CONCURRENCY} at a time\n`);
  const requestPath: Record<string, unknown>[] = [];
  for (const [name, path] of targets) {
    const result = await measure(path, cookie);
    requestPath.push({ target: name, ...result });
  }
  log(
    table(
      ["target", "p50 ms", "p95 ms", "p99 ms", "req/s"],
      requestPath.map((r) => [String(r.target), Number(r.p50), Number(r.p95), Number(r.p99), Number(r.rps)]),
    ),
  );

  // 2. Authorization overhead (before the live part, so no socket is open).
  const [writer] = await mintSessions(ORG, "MANAGER", 1);
  if (!writer) throw new Error("no writer session");
  const writerCookie = `rt_session=${writer.token}`;
  log(
    `\n2. Authorized vs bare list: ${LIST_ROUNDS} alternating rounds of ${LIST_REQUESTS} requests, ${CONCURRENCY} at a time\n`,
  );
  const list = await compareList({
    authorizedPath: `/api/orgs/${ORG}/customers`,
    barePath: `/api/bench/orgs/${ORG}/customers`,
    cookie: writerCookie,
    requests: LIST_REQUESTS,
    rounds: LIST_ROUNDS,
    concurrency: CONCURRENCY,
  });
  log(
    table(
      ["endpoint", "req/s", "p50 ms", "p99 ms", "max ms"],
      [
        [
          "GET /api/orgs/:orgId/customers (MANAGER session)",
          list.authorized.rps,
          list.authorized.p50,
          list.authorized.p99,
          list.authorized.max,
        ],
        ["GET /api/bench/orgs/:orgId/customers (bare)", list.bare.rps, list.bare.p50, list.bare.p99, list.bare.max],
      ],
    ),
  );
  log(
    `authorized / bare throughput: ${(list.ratio * 100).toFixed(1)}% overall, per round ${list.roundRatios.join(", ")} (target >= 70%)`,
  );

  // 3. Live delivery.
  const maxClients = Math.max(...CLIENT_COUNTS);
  log(`\n3. Live delivery: ${CLIENT_COUNTS.join(", ")} MANAGER clients of ${ORG}, ${WRITES} writes each\n`);
  const mintStart = performance.now();
  const minted = (
    await pool(Math.ceil(maxClients / 250), 1, (i) => mintSessions(ORG, "MANAGER", Math.min(250, maxClients - i * 250)))
  ).flat();
  log(
    `  minted ${minted.length} MANAGER users and sessions in ${((performance.now() - mintStart) / 1000).toFixed(1)} s`,
  );
  const totalWrites = CLIENT_COUNTS.length * (WRITES + WARMUP_WRITES);
  const write = await chooseWrite(ORG, writerCookie, totalWrites);
  log(`  write: ${write.name}`);
  const live = await runLive({
    orgId: ORG,
    tokens: minted.map((m) => m.token),
    counts: CLIENT_COUNTS,
    writes: WRITES,
    warmup: WARMUP_WRITES,
    write,
    log,
  });
  log("");
  log(
    table(
      [
        "N",
        "p50 ms",
        "p99 ms",
        "max ms",
        "first p50 ms",
        "all-N p99 ms",
        "write p50 ms",
        "lost",
        "dup",
        "out of order",
        "gaps",
      ],
      live.map((r) => [
        r.clients,
        r.delivery.p50,
        r.delivery.p99,
        r.delivery.max,
        r.firstClient.p50,
        r.lastClient.p99,
        r.writeResponse.p50,
        r.lost,
        r.duplicated,
        r.outOfOrder,
        r.seqGaps,
      ]),
    ),
  );
  const at1000 = live.find((r) => r.clients === 1000);
  if (at1000) {
    const ok = at1000.delivery.p99 <= 100 && at1000.lost === 0;
    log(`target p99 <= 100 ms at N = 1000 with nothing lost: ${ok ? "met" : "MISSED"}`);
  }
  log(`\nworkerd resident memory after the run: ${workerdRssMb()} MiB`);

  const results = {
    startedAt: startedAt.toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100),
      /** ms for calibrate()'s fixed workload, at the start and the end (the shared box's speed varies). */
      calibrationMs: { start: speedAtStart, end: calibrate() },
      node: process.version,
      commit: git(["rev-parse", "--short", "HEAD"]),
      dirty: git(["status", "--porcelain", "--", "worker", "party", "scripts", "app", "db"]) !== "",
    },
    server: "wrangler dev (workerd, local D1 and Durable Objects) serving the production build, BENCH_MODE=1",
    requestPath: { requests: REQUESTS, concurrency: CONCURRENCY, targets: requestPath },
    list: {
      authorizedEndpoint: `GET /api/orgs/${ORG}/customers with a MANAGER session`,
      bareEndpoint: `GET /api/bench/orgs/${ORG}/customers, same service call, no session`,
      concurrency: CONCURRENCY,
      rounds: LIST_ROUNDS,
      requestsPerRound: LIST_REQUESTS,
      ...list,
      target: ">= 0.70",
    },
    live: {
      org: ORG,
      clientRole: "MANAGER",
      write: write.name,
      writesPerN: WRITES,
      warmupWritesPerN: WARMUP_WRITES,
      phases: live,
      target: "delivery p99 <= 100 ms at N = 1000, lost = 0",
    },
    workerdRssMiB: workerdRssMb(),
  };
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/${startedAt.toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${file}`);
} finally {
  await stopServer();
  rmSync(state, { recursive: true, force: true });
}

async function waitForServer() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${PROXY_BASE}/login`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {}
    await sleep(300);
  }
  throw new Error("wrangler dev did not answer within 60 s");
}

/** Stops wrangler's whole process group (npx, wrangler, workerd) and checks nothing is left. */
async function stopServer() {
  const pgid = server?.pid;
  if (!pgid) return;
  const alive = () => {
    try {
      return (
        execFileSync("ps", ["-o", "pid=", "-g", String(pgid)])
          .toString()
          .trim() !== ""
      );
    } catch {
      return false; // ps exits 1 when the group is empty.
    }
  };
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {}
  for (let i = 0; i < 50 && alive(); i++) await sleep(100);
  if (alive()) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {}
    await sleep(500);
  }
  log(alive() ? `WARNING: processes of group ${pgid} are still running` : `server process group ${pgid} stopped`);
}

/**
 * `wrangler dev` answers on PORT through its dev proxy: a Durable Object that forwards every
 * request, and pumps every WebSocket, in JavaScript, to the Worker's own address (Miniflare's
 * entry, in the same workerd as the Worker). Production has no such hop, so the bench talks to
 * that address, which wrangler's debug log reports as `proxyData.userWorkerUrl`.
 */
async function workerAddress(serverLog: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = /"userWorkerUrl":\{"protocol":"(https?:)","hostname":"([^"]+)","port":"(\d+)"\}/.exec(
      readFileSync(serverLog, "utf8"),
    );
    if (found) {
      const url = `${found[1]}//${found[2]}:${found[3]}`;
      const res = await fetch(`${url}/login`);
      await res.arrayBuffer();
      if (res.ok) return url;
    }
    await sleep(300);
  }
  throw new Error(`wrangler did not report the Worker's address (see ${serverLog})`);
}

async function login(email: string) {
  const res = await fetch(`${origin()}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: origin() },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  await res.arrayBuffer();
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`login failed: ${res.status}`);
  return cookie;
}

async function measure(path: string, cookie: string) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const t0 = performance.now();
        const res = await fetch(`${origin()}${path}`, { headers: { Cookie: cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const { p50, p95, p99 } = summarize(times);
  return { p50, p95, p99, rps: Math.round(times.length / elapsed) };
}

/**
 * How fast one core of this machine is right now: the best of three runs of a fixed workload
 * (JSON round trips of an event-sized object, the kind of work the Worker does). The box is shared
 * and its speed drifts during a day, so runs are only comparable with this figure alongside.
 */
function calibrate() {
  const event = {
    type: "event",
    items: Array.from({ length: 20 }, (_, i) => ({ id: `id-${i}`, name: `Item ${i}`, n: i, at: new Date(0) })),
  };
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    let count = 0;
    for (let i = 0; i < 5000; i++)
      count += (JSON.parse(JSON.stringify({ ...event, seq: i })) as typeof event).items.length;
    if (count !== 100_000) throw new Error("calibration miscounted");
    best = Math.min(best, performance.now() - t0);
  }
  return Math.round(best * 10) / 10;
}

function git(args: string[]) {
  try {
    return execFileSync("git", args).toString().trim();
  } catch {
    return "unknown";
  }
}

function workerdRssMb() {
  try {
    const pids = execFileSync("pgrep", ["-g", String(server?.pid), "workerd"])
      .toString()
      .trim()
      .split("\n");
    let kb = 0;
    for (const pid of pids) {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    }
    return (kb / 1024).toFixed(0);
  } catch {
    return "unknown";
  }
}
