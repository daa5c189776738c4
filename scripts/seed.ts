/** Seeds the local D1 (the same state `npm start` serves) with the demo tenants. */
import { getPlatformProxy } from "wrangler";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../db/seed";
import { getDb } from "../worker/db";

/** Same meaning as wrangler's --persist-to: the state lives in <dir>/v3. */
const persistTo = process.env.REFRITRAK_STATE_DIR;
const proxy = await getPlatformProxy<Env>({
  configPath: "wrangler.toml",
  ...(persistTo ? { persist: { path: `${persistTo}/v3` } } : {}),
});
try {
  await seedDemo(getDb(proxy.env.DB));
  console.log("\nDemo logins (password for every user: %s)", DEMO_PASSWORD);
  for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(28)} ${user.role}`);
  console.log("");
} finally {
  await proxy.dispose();
}
