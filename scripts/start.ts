/**
 * `npm start`: migrate and seed the local D1, build, and serve the whole app on workerd at
 * http://localhost:8787. Every step runs on the project's own Node through npm scripts.
 */
import { spawn, spawnSync } from "node:child_process";
import { DEMO_PASSWORD, DEMO_USERS } from "../db/seed";

const port = process.env.PORT ?? "8787";
const run = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("npx", ["tsx", "scripts/seed.ts"]);
run("npx", ["react-router", "build"]);

const server = spawn("npx", ["wrangler", "dev", "--port", port, "--ip", "127.0.0.1"], {
  stdio: ["inherit", "pipe", "inherit"],
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false" },
});
let announced = false;
server.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!announced && chunk.toString().includes("Ready on")) {
    announced = true;
    console.log(`\nRefriTrak is running on http://localhost:${port}`);
    console.log(`Demo logins (password for every user: ${DEMO_PASSWORD}):`);
    for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(28)} ${user.role}`);
  }
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
