/**
 * Global setup for the `e2e` vitest project: serves the *built* app on workerd (`wrangler dev`)
 * against a fresh, migrated and seeded D1 in a temp dir, and provides its base URL to the tests
 * (`inject("baseUrl")`). It does not build: `npm run test:e2e` runs `npm run build` first.
 * Env: E2E_PORT (preferred port, default 8790; a free one is used if taken), E2E_KEEP_STATE=1 keeps
 * the temp dir (D1 state and wrangler-dev.log) for debugging.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, type WriteStream } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const ROOT = resolve(import.meta.dirname, "../..");
const require = createRequire(join(ROOT, "package.json"));
// Run the tools on the Node running vitest (the project's Node 24), not whatever `node` is on PATH.
const WRANGLER = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const TSX = require.resolve("tsx/cli");
const READY_TIMEOUT_MS = 60_000;

const serverEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  NO_COLOR: "1",
});

function log(message: string) {
  console.log(`[e2e] ${message}`);
}

function assertBuilt() {
  const missing = ["build/server/index.js", "build/client", ".wrangler/deploy/config.json"].filter(
    (path) => !existsSync(join(ROOT, path)),
  );
  if (missing.length > 0) {
    throw new Error(
      `[e2e] The app is not built (missing ${missing.join(", ")}). Run \`npm run build\` first, ` +
        "or run the suite with `npm run test:e2e`, which builds before testing.",
    );
  }
}

/** Runs a Node CLI to completion; throws with its output if it fails. */
function runNode(label: string, args: string[], env: NodeJS.ProcessEnv) {
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", stdio: "pipe" });
  if (result.status !== 0) {
    throw new Error(
      `[e2e] ${label} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}):\n` +
        `${result.stdout ?? ""}\n${result.stderr ?? ""}`,
    );
  }
  log(`${label} (${Date.now() - started} ms)`);
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** `preferred` if it is free, otherwise a port the OS hands out. */
async function freePort(preferred?: number): Promise<number> {
  if (preferred && (await isPortFree(preferred))) return preferred;
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Is any process of group `pgid` still alive? */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Group already gone.
  }
}

/** SIGTERM the whole process group (wrangler and its workerd children), SIGKILL what lingers. */
async function stopGroup(pgid: number) {
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) {
    log(`server group ${pgid} ignored SIGTERM; sending SIGKILL`);
    signalGroup(pgid, "SIGKILL");
    while (groupAlive(pgid)) await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitUntilReady(baseUrl: string, server: ChildProcess, logFile: string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `[e2e] wrangler dev exited (${server.exitCode ?? server.signalCode}) before serving:\n${tail(logFile)}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/login`, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
      lastError = new Error(`GET /login answered ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `[e2e] wrangler dev did not answer on ${baseUrl} within ${READY_TIMEOUT_MS / 1000} s ` +
      `(last error: ${String(lastError)}):\n${tail(logFile)}`,
  );
}

function tail(file: string, lines = 60): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

export default async function setup(project: TestProject) {
  if (Number(process.versions.node.split(".")[0]) < 22) {
    throw new Error(
      `[e2e] Running on Node ${process.version}; wrangler needs Node >= 22. Run the suite through npm ` +
        "(`npm run test:e2e`), which uses the project's own Node from node_modules/.bin.",
    );
  }
  assertBuilt();
  const started = Date.now();
  const stateDir = mkdtempSync(join(tmpdir(), "refritrak-e2e-"));
  const logFile = join(stateDir, "wrangler-dev.log");
  let pgid: number | undefined;
  let out: WriteStream | undefined;

  // Last resort if vitest exits without running teardown (e.g. Ctrl-C): both calls are synchronous.
  const killOnExit = () => {
    if (pgid) signalGroup(pgid, "SIGKILL");
    if (!process.env.E2E_KEEP_STATE) rmSync(stateDir, { recursive: true, force: true });
  };
  process.once("exit", killOnExit);

  const teardown = async () => {
    process.off("exit", killOnExit);
    if (pgid) await stopGroup(pgid);
    pgid = undefined;
    await new Promise((r) => (out ? out.end(r) : r(undefined)));
    out = undefined;
    if (process.env.E2E_KEEP_STATE) log(`kept state and server log in ${stateDir}`);
    else rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    const persistTo = join(stateDir, "state");
    runNode("migrations applied", [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
      ...serverEnv(),
      CI: "true", // never prompt for confirmation
    });
    // REFRITRAK_STATE_DIR means the same as wrangler's --persist-to (see scripts/seed.ts).
    runNode("demo data seeded", [TSX, "scripts/seed.ts"], { ...serverEnv(), REFRITRAK_STATE_DIR: persistTo });

    const port = await freePort(Number(process.env.E2E_PORT ?? 8790));
    const inspectorPort = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    out = createWriteStream(logFile);
    await new Promise((r) => out?.once("open", r));
    const server = spawn(
      process.execPath,
      [
        WRANGLER,
        "dev",
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--inspector-port",
        String(inspectorPort),
        "--persist-to",
        persistTo,
        "--show-interactive-dev-session=false",
      ],
      { cwd: ROOT, env: serverEnv(), detached: true, stdio: ["ignore", out, out] },
    );
    pgid = server.pid;
    if (!pgid) throw new Error("[e2e] could not start wrangler dev");
    server.unref();

    await waitUntilReady(baseUrl, server, logFile);
    log(`serving ${baseUrl} (state ${stateDir}, ready in ${Date.now() - started} ms)`);
    project.provide("baseUrl", baseUrl);
  } catch (error) {
    await teardown();
    throw error;
  }

  return teardown;
}
