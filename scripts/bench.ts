/**
 * `npm run bench`: serves the built app on workerd with a fresh, seeded local D1 and measures the
 * request path (latency percentiles, throughput) and workerd's resident memory. Numbers, not
 * assertions: compare runs on the same machine.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD } from "../db/seed";

const PORT = Number(process.env.BENCH_PORT ?? 8797);
const BASE = `http://127.0.0.1:${PORT}`;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const state = mkdtempSync(join(tmpdir(), "refritrak-bench-"));
const sh = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`npx ${args.join(" ")} failed`);
};

let server: ChildProcess | undefined;
try {
  sh(["react-router", "build"]);
  sh(["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  sh(["tsx", "scripts/seed.ts"], { REFRITRAK_STATE_DIR: state });
  server = spawn("npx", ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--persist-to", state], {
    detached: true,
    stdio: "ignore",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  await waitForServer();

  const cookie = await login("owner@polar.test");
  const targets: [string, string][] = [
    ["GET /api/me", "/api/me"],
    ["GET /api/orgs/:orgId/users (company)", "/api/orgs/org-polar/users"],
    ["GET /api/orgs/:orgId/audit-log", "/api/orgs/org-polar/audit-log"],
    ["SSR dashboard /o/:orgId", "/o/org-polar"],
    ["SSR users tab", "/o/org-polar/organization/users"],
  ];
  console.log(`\n${REQUESTS} requests each, ${CONCURRENCY} at a time\n`);
  console.log(
    `${"target".padEnd(40)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"req/s".padStart(8)}`,
  );
  for (const [name, path] of targets) {
    const result = await measure(path, cookie);
    console.log(
      `${name.padEnd(40)} ${result.p50.toFixed(1).padStart(8)} ${result.p95.toFixed(1).padStart(8)} ${result.p99.toFixed(1).padStart(8)} ${result.rps.toFixed(0).padStart(8)}`,
    );
  }
  console.log(`\nworkerd resident memory after the run: ${workerdRssMb()} MiB`);
} finally {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
  rmSync(state, { recursive: true, force: true });
}

async function waitForServer() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${BASE}/login`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error("wrangler dev did not answer within 60 s");
}

async function login(email: string) {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE },
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
        const res = await fetch(`${BASE}${path}`, { headers: { Cookie: cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
  return { p50: pct(50), p95: pct(95), p99: pct(99), rps: times.length / elapsed };
}

function workerdRssMb() {
  try {
    const pids = execFileSync("pgrep", ["-f", `workerd.*${PORT}|workerd serve`])
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
