import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { buildOrg, buildUser } from "../../db/factories";
import { auditLog, organizations, sessions, users } from "../../db/schema";
import { deactivateAnyUser, grantParentAdmin } from "../../worker/admin/operator";
import { createSession } from "../../worker/auth/session";
import { getDb } from "../../worker/db";

const db = getDb(env.DB);

async function company() {
  const parent = buildOrg({ plan: "PRO" });
  const sub = buildOrg({ parentOrgId: parent.id, plan: "PRO" });
  await db.insert(organizations).values([parent, sub]);
  return { parent, sub };
}

describe("operator: grant-parent-admin", () => {
  it("promotes a sub-org admin to PARENT_ORG_ADMIN of the top-level org, audited", async () => {
    const { parent, sub } = await company();
    const admin = buildUser({ orgId: sub.id, role: "ORG_ADMIN" });
    await db.insert(users).values(admin);

    const result = await grantParentAdmin(db, admin.email.toUpperCase());

    expect(result).toMatchObject({ changed: true, orgId: parent.id });
    const after = await db.select().from(users).where(eq(users.id, admin.id)).get();
    expect(after).toMatchObject({ role: "PARENT_ORG_ADMIN", orgId: parent.id });
    const entry = await db.select().from(auditLog).where(eq(auditLog.entityId, admin.id)).get();
    expect(entry).toMatchObject({
      action: "user.grant-parent-admin",
      actorName: "RefriTrak operator",
      orgId: parent.id,
    });
  });

  it("is idempotent and refuses unknown or deactivated users", async () => {
    const { parent } = await company();
    const owner = buildUser({ orgId: parent.id, role: "PARENT_ORG_ADMIN" });
    const gone = buildUser({ orgId: parent.id, role: "MANAGER", status: "DEACTIVATED" });
    await db.insert(users).values([owner, gone]);

    await expect(grantParentAdmin(db, owner.email)).resolves.toMatchObject({ changed: false });
    await expect(grantParentAdmin(db, "nobody@example.test")).rejects.toThrow(/No user/);
    await expect(grantParentAdmin(db, gone.email)).rejects.toThrow(/deactivated/);
  });
});

describe("operator: deactivate", () => {
  it("deactivates a PARENT_ORG_ADMIN, ends their sessions and audits it", async () => {
    const { parent } = await company();
    const owner = buildUser({ orgId: parent.id, role: "PARENT_ORG_ADMIN" });
    await db.insert(users).values(owner);
    await createSession(db, owner.id);

    await expect(deactivateAnyUser(db, owner.email)).resolves.toMatchObject({ changed: true });

    expect(await db.select().from(users).where(eq(users.id, owner.id)).get()).toMatchObject({ status: "DEACTIVATED" });
    expect(await db.select().from(sessions).where(eq(sessions.userId, owner.id)).all()).toHaveLength(0);
    const entry = await db.select().from(auditLog).where(eq(auditLog.entityId, owner.id)).get();
    expect(entry).toMatchObject({ action: "user.deactivate", actorName: "RefriTrak operator" });
    await expect(deactivateAnyUser(db, owner.email)).resolves.toMatchObject({ changed: false });
  });
});
