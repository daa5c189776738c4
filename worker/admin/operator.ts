import { eq } from "drizzle-orm";
import { sessions, users } from "../../db/schema";
import { auditEntry } from "../audit/log";
import type { Db } from "../db";
import { getOrg, rootIdOf } from "../orgs/reach";

/**
 * Operator-only: makes an existing user a PARENT_ORG_ADMIN of their company's top-level org.
 * No API route does this (seed: additional PARENT_ORG_ADMINs are granted by the operator).
 */
export async function grantParentAdmin(db: Db, email: string) {
  const user = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
  if (!user) throw new Error(`No user with email ${email}.`);
  if (user.status !== "ACTIVE") throw new Error(`${email} is deactivated.`);
  const home = await getOrg(db, user.orgId);
  if (!home) throw new Error(`${email} has no organization.`);
  const rootId = rootIdOf(home);
  if (user.role === "PARENT_ORG_ADMIN" && user.orgId === rootId) return { user, changed: false, orgId: rootId };
  await db.batch([
    db.update(users).set({ role: "PARENT_ORG_ADMIN", orgId: rootId }).where(eq(users.id, user.id)),
    auditEntry(db, {
      orgId: rootId,
      actor: { id: "operator", name: "RefriTrak operator" },
      action: "user.grant-parent-admin",
      entityType: "user",
      entityId: user.id,
      before: { role: user.role, orgId: user.orgId },
      after: { role: "PARENT_ORG_ADMIN", orgId: rootId },
    }),
  ]);
  return { user, changed: true, orgId: rootId };
}

/**
 * Operator-only: deactivates any user, a PARENT_ORG_ADMIN included (nobody in the app may), and
 * ends their sessions. History keeps their name.
 */
export async function deactivateAnyUser(db: Db, email: string) {
  const user = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
  if (!user) throw new Error(`No user with email ${email}.`);
  if (user.status === "DEACTIVATED") return { user, changed: false };
  await db.batch([
    db.update(users).set({ status: "DEACTIVATED" }).where(eq(users.id, user.id)),
    db.delete(sessions).where(eq(sessions.userId, user.id)),
    auditEntry(db, {
      orgId: user.orgId,
      actor: { id: "operator", name: "RefriTrak operator" },
      action: "user.deactivate",
      entityType: "user",
      entityId: user.id,
      before: { status: user.status },
      after: { status: "DEACTIVATED" },
    }),
  ]);
  return { user, changed: true };
}
