/**
 * Operator commands against the local D1 (the state `npm start` serves):
 *   npm run admin -- grant-parent-admin EMAIL   (the only way to add a PARENT_ORG_ADMIN)
 *   npm run admin -- deactivate EMAIL           (any user, a PARENT_ORG_ADMIN included)
 */
import { getPlatformProxy } from "wrangler";
import { deactivateAnyUser, grantParentAdmin } from "../worker/admin/operator";
import { getDb } from "../worker/db";

const [command, email] = process.argv.slice(2);
const COMMANDS = ["grant-parent-admin", "deactivate"];
if (!command || !COMMANDS.includes(command) || !email) {
  console.error("Usage: npm run admin -- grant-parent-admin EMAIL | deactivate EMAIL");
  process.exit(2);
}

/** Same meaning as wrangler's --persist-to: the state lives in <dir>/v3. */
const persistTo = process.env.REFRITRAK_STATE_DIR;
const proxy = await getPlatformProxy<Env>({
  configPath: "wrangler.toml",
  ...(persistTo ? { persist: { path: `${persistTo}/v3` } } : {}),
});
try {
  const db = getDb(proxy.env.DB);
  if (command === "deactivate") {
    const result = await deactivateAnyUser(db, email);
    console.log(
      result.changed ? `${email} is deactivated; their sessions ended.` : `${email} was already deactivated.`,
    );
  } else {
    const result = await grantParentAdmin(db, email);
    console.log(
      result.changed
        ? `${email} is now a PARENT_ORG_ADMIN of ${result.orgId}.`
        : `${email} already is a PARENT_ORG_ADMIN of ${result.orgId}.`,
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await proxy.dispose();
}
