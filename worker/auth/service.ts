import type { z } from "@hono/zod-openapi";
import { and, eq, gt, isNull } from "drizzle-orm";
import { invitations, organizations, sessions, users } from "../../db/schema";
import { auditEntry } from "../audit/log";
import { type Db, newId } from "../db";
import { conflict, HttpError, isConstraintError, notFound } from "../http/errors";
import { DEFAULT_EPA_CONFIG } from "../orgs/epa";
import { type RequestScope, reachOf } from "../policy/guards";
import { hashPassword, verifyPassword } from "./password";
import type { LoginInput, SignupInput } from "./schemas";
import { createSession, hashSecret, type SessionResult, type SessionUser } from "./session";
import { assertNotThrottled, clearLoginFailures, recordLoginFailure } from "./throttle";

/** Compared against when the email is unknown, so timing does not reveal which accounts exist. */
let dummyHash: Promise<string> | undefined;

export function publicUser(user: SessionUser) {
  return {
    id: user.id,
    orgId: user.orgId,
    role: user.role,
    status: user.status,
    name: user.name,
    email: user.email,
    timeZone: user.timeZone,
    certificationNumber: user.certificationNumber,
    certificationType: user.certificationType,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
export type PublicUser = ReturnType<typeof publicUser>;

const emailTaken = () =>
  conflict("An account with this email already exists.", "EMAIL_TAKEN", { email: ["Already registered."] });

/** Sign-up creates a top-level FREE org and its first user, a PARENT_ORG_ADMIN. */
export async function signup(db: Db, input: z.infer<typeof SignupInput>) {
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
  if (existing) throw emailTaken();
  const orgId = newId();
  const userId = newId();
  const now = new Date();
  const org = {
    id: orgId,
    parentOrgId: null,
    name: input.organizationName,
    plan: "FREE" as const,
    epaConfig: DEFAULT_EPA_CONFIG,
    createdAt: now,
  };
  const user = {
    id: userId,
    orgId,
    role: "PARENT_ORG_ADMIN" as const,
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    lastLoginAt: now,
    createdAt: now,
  };
  const actor = { id: userId, name: input.name };
  try {
    await db.batch([
      db.insert(organizations).values(org),
      db.insert(users).values(user),
      auditEntry(db, { orgId, actor, action: "org.create", entityType: "organization", entityId: orgId, after: org }),
      auditEntry(db, { orgId, actor, action: "user.signup", entityType: "user", entityId: userId, after: user }),
    ]);
  } catch (error) {
    if (isConstraintError(error, "users.email")) throw emailTaken();
    throw error;
  }
  const created = await db.select().from(users).where(eq(users.id, userId)).get();
  if (!created) throw new Error("user vanished after sign-up");
  const { token, session } = await createSession(db, userId);
  return { user: created, token, session };
}

export async function login(db: Db, input: z.infer<typeof LoginInput>, ip: string) {
  await assertNotThrottled(db, input.email, ip);
  const user = await db.select().from(users).where(eq(users.email, input.email)).get();
  dummyHash ??= hashPassword("not-a-real-password");
  let valid = false;
  if (user?.passwordHash) valid = await verifyPassword(user.passwordHash, input.password);
  else await verifyPassword(await dummyHash, input.password);
  if (!user || !valid) {
    await recordLoginFailure(db, input.email, ip);
    throw new HttpError(401, "INVALID_CREDENTIALS", "Email or password is incorrect.");
  }
  if (user.status !== "ACTIVE") {
    throw new HttpError(403, "ACCOUNT_DEACTIVATED", "This account has been deactivated. Ask your administrator.");
  }
  await clearLoginFailures(db, input.email);
  const now = new Date();
  await db.batch([
    db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id)),
    auditEntry(db, {
      orgId: user.orgId,
      actor: { id: user.id, name: user.name },
      action: "auth.login",
      entityType: "user",
      entityId: user.id,
    }),
  ]);
  const { token, session } = await createSession(db, user.id);
  return { user: { ...user, lastLoginAt: now }, token, session };
}

/** Ends this session only; other devices stay signed in. */
export async function logout(db: Db, auth: SessionResult | null) {
  if (!auth) return;
  await db.batch([
    db.delete(sessions).where(eq(sessions.id, auth.session.id)),
    auditEntry(db, {
      orgId: auth.user.orgId,
      actor: { id: auth.user.id, name: auth.user.name },
      action: "auth.logout",
      entityType: "user",
      entityId: auth.user.id,
    }),
  ]);
}

/** The user and the orgs they reach: read along with the session when it was (`reachOf`). */
export async function me(scope: RequestScope, user: SessionUser) {
  return { user: publicUser(user), orgs: (await reachOf(scope, user)).orgs };
}

async function findOpenInvitation(db: Db, token: string) {
  const row = await db
    .select({ invitation: invitations, user: users, org: organizations })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(
      and(
        eq(invitations.tokenHash, hashSecret(token)),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .get();
  if (row?.user.status !== "ACTIVE") throw notFound("Invitation (it may have expired or been used)");
  return row;
}

export async function getInvitation(db: Db, token: string) {
  const { invitation, user, org } = await findOpenInvitation(db, token);
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    organization: { id: org.id, name: org.name },
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

/** Accepting sets the password and signs the user in. */
export async function acceptInvitation(db: Db, token: string, password: string) {
  const { invitation, user } = await findOpenInvitation(db, token);
  const now = new Date();
  const actor = { id: user.id, name: user.name };
  await db.batch([
    db
      .update(users)
      .set({ passwordHash: await hashPassword(password), lastLoginAt: now })
      .where(eq(users.id, user.id)),
    db.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, invitation.id)),
    auditEntry(db, {
      orgId: invitation.orgId,
      actor,
      action: "invitation.accept",
      entityType: "user",
      entityId: user.id,
    }),
  ]);
  const { token: sessionToken, session } = await createSession(db, user.id);
  return { user: { ...user, lastLoginAt: now }, token: sessionToken, session };
}
