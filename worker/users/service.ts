import type { z } from "@hono/zod-openapi";
import { stringify } from "csv-stringify/sync";
import { and, asc, eq, inArray } from "drizzle-orm";
import { invitations, organizations, sessions, userOrgAccess, users } from "../../db/schema";
import type { Audience } from "../../party/protocol";
import { auditEntry } from "../audit/log";
import { publicUser } from "../auth/service";
import { generateSecureRandomString, hashSecret, type SessionUser } from "../auth/session";
import { requireSeatAvailable } from "../billing/usage";
import { newId } from "../db";
import { badRequest, conflict, forbidden, isConstraintError, notFound } from "../http/errors";
import { disconnectUser, publish } from "../live/publish";
import { sendMail } from "../mail";
import { orgTree, rootIdOf } from "../orgs/reach";
import { actorRef } from "../orgs/service";
import type { OrgScope } from "../policy/guards";
import { ASSIGNABLE_ROLES, can, canAssignRole, canManageUser } from "../policy/permissions";
import type { UserCreateInput, UserListQuery, UserPatchInput } from "./schemas";

const INVITATION_TTL = 7 * 24 * 60 * 60 * 1000;
const STAFF_AUDIENCE: Audience = { roles: ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"] };

type UserWithOrg = ReturnType<typeof publicUser> & {
  orgName: string;
  accessibleOrgIds: string[];
};

/**
 * Which users an org's Users tab holds: its own members, and at the top-level org for a
 * PARENT_ORG_ADMIN, every member of the company with an org label.
 */
async function orgIdsListed(scope: OrgScope) {
  if (scope.org.parentOrgId === null && scope.actor.role === "PARENT_ORG_ADMIN") {
    return (await orgTree(scope.db, scope.org.id)).map((org) => org.id);
  }
  return [scope.org.id];
}

async function withOrgAndAccess(scope: OrgScope, rows: SessionUser[]): Promise<UserWithOrg[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [orgRows, accessRows] = await Promise.all([
    scope.db
      .select({ id: organizations.id, name: organizations.name })
      .from(organizations)
      .where(
        inArray(
          organizations.id,
          rows.map((row) => row.orgId),
        ),
      )
      .all(),
    scope.db.select().from(userOrgAccess).where(inArray(userOrgAccess.userId, ids)).all(),
  ]);
  const orgNames = new Map(orgRows.map((org) => [org.id, org.name]));
  return rows.map((row) => ({
    ...publicUser(row),
    orgName: orgNames.get(row.orgId) ?? "",
    accessibleOrgIds: accessRows.filter((access) => access.userId === row.id).map((access) => access.orgId),
  }));
}

export async function listUsers(scope: OrgScope, query: z.infer<typeof UserListQuery>) {
  const orgIds = await orgIdsListed(scope);
  const listed = query.orgId ? orgIds.filter((id) => id === query.orgId) : orgIds;
  const conditions = [inArray(users.orgId, listed)];
  if (query.role) conditions.push(eq(users.role, query.role));
  const status = query.status ?? "ALL";
  if (status !== "ALL") conditions.push(eq(users.status, status));
  const rows = await scope.db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.name))
    .all();
  return withOrgAndAccess(scope, rows);
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab/CR) as a formula; names are typed by
 * users, so such cells are prefixed with an apostrophe (OWASP "CSV Injection").
 */
const spreadsheetSafe = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** The quarterly role review export (seed: "Regular Role Reviews"). */
export function usersCsv(list: UserWithOrg[]) {
  return stringify(
    list.map((user) =>
      [
        user.name,
        user.email,
        user.role,
        user.orgName,
        user.status,
        user.lastLoginAt ?? "",
        user.certificationNumber ?? "",
        user.certificationType ?? "",
      ].map(spreadsheetSafe),
    ),
    {
      header: true,
      columns: [
        "Name",
        "Email",
        "Role",
        "Organization",
        "Status",
        "Last login",
        "608 certification",
        "Certification type",
      ],
    },
  );
}

/** A user in reach of this org's Users tab, or 404. */
async function findUser(scope: OrgScope, userId: string) {
  const row = await scope.db.select().from(users).where(eq(users.id, userId)).get();
  if (!row || !(await orgIdsListed(scope)).includes(row.orgId)) throw notFound("User");
  return row;
}

export async function getUser(scope: OrgScope, userId: string) {
  const [user] = await withOrgAndAccess(scope, [await findUser(scope, userId)]);
  if (!user) throw notFound("User");
  return { ...user, assignableRoles: canManageUser(scope.actor, user) ? [...ASSIGNABLE_ROLES[scope.actor.role]] : [] };
}

/** Adding a user creates an invitation; the link is returned to the admin and mailed. */
export async function createUser(scope: OrgScope, input: z.infer<typeof UserCreateInput>, appOrigin: string) {
  const { db, org } = scope;
  if (!canAssignRole(scope.actor.role, input.role)) {
    throw forbidden(`You cannot add a user with the role ${input.role}.`);
  }
  const taken = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
  if (taken) throw emailTaken();
  await requireSeatAvailable(db, org);
  const now = new Date();
  const user: SessionUser = {
    id: newId(),
    orgId: org.id,
    role: input.role,
    status: "ACTIVE",
    name: input.name,
    email: input.email,
    passwordHash: null,
    timeZone: input.timeZone ?? org.timeZone,
    certificationNumber: input.certificationNumber ?? null,
    certificationType: input.certificationType ?? null,
    lastLoginAt: null,
    createdAt: now,
  };
  const token = generateSecureRandomString(30);
  const expiresAt = new Date(now.getTime() + INVITATION_TTL);
  try {
    await db.batch([
      db.insert(users).values(user),
      db.insert(invitations).values({
        id: newId(),
        tokenHash: hashSecret(token),
        userId: user.id,
        orgId: org.id,
        invitedById: scope.user.id,
        expiresAt,
        createdAt: now,
      }),
      auditEntry(db, {
        orgId: org.id,
        actor: actorRef(scope),
        action: "user.invite",
        entityType: "user",
        entityId: user.id,
        after: publicUser(user),
      }),
    ]);
  } catch (error) {
    // Two invitations racing for one address: the unique index decides.
    if (isConstraintError(error, "users.email")) throw emailTaken();
    throw error;
  }
  const url = `${appOrigin}/invite/${token}`;
  await sendMail(scope.env, {
    to: user.email,
    subject: `${scope.user.name} invited you to ${org.name} on RefriTrak`,
    text: `Set your password to join ${org.name} as ${input.role}:\n${url}\nThe link expires on ${expiresAt.toUTCString()}.`,
  });
  await publish(scope.env, org, { entity: "user", action: "created", id: user.id, orgId: org.id }, STAFF_AUDIENCE);
  const [created] = await withOrgAndAccess(scope, [user]);
  if (!created) throw notFound("User");
  return { user: created, invitation: { url, expiresAt: expiresAt.toISOString() } };
}

/**
 * Edits a user the actor may manage. Role changes and org-access changes bite on the next request
 * (the role is read per request) and on open live connections, which are closed at once.
 */
export async function updateUser(scope: OrgScope, userId: string, input: z.infer<typeof UserPatchInput>) {
  const { db } = scope;
  const target = await findUser(scope, userId);
  if (!canManageUser(scope.actor, target)) throw forbidden("You cannot edit this user.");
  if (input.role !== undefined && input.role !== target.role && !canAssignRole(scope.actor.role, input.role)) {
    throw forbidden(`You cannot assign the role ${input.role}.`);
  }
  let accessIds: string[] | undefined;
  if (input.accessibleOrgIds !== undefined) {
    if (!can(scope.actor, "users:grant-org-access"))
      throw forbidden("Only a parent org admin grants access to other orgs.");
    const home = await db.select().from(organizations).where(eq(organizations.id, target.orgId)).get();
    const tree = home ? (await orgTree(db, rootIdOf(home))).map((org) => org.id) : [];
    accessIds = [...new Set(input.accessibleOrgIds)].filter((id) => id !== target.orgId);
    const outside = accessIds.filter((id) => !tree.includes(id));
    if (outside.length > 0) {
      throw badRequest("Some organizations are not part of this company.", {
        accessibleOrgIds: [`Not in this company: ${outside.join(", ")}`],
      });
    }
  }
  const { accessibleOrgIds: _ignored, ...fields } = input;
  // Only what really changes is written, audited and acted on.
  const changes = Object.fromEntries(
    Object.entries(fields).filter(
      ([key, value]) => value !== undefined && value !== target[key as keyof typeof target],
    ),
  );
  const [before] = await withOrgAndAccess(scope, [target]);
  if (accessIds !== undefined && sameSet(accessIds, before?.accessibleOrgIds ?? [])) accessIds = undefined;
  const after = { ...target, ...changes };
  const statements = [
    ...(Object.keys(changes).length > 0 ? [db.update(users).set(changes).where(eq(users.id, target.id))] : []),
    ...(accessIds !== undefined
      ? [
          db.delete(userOrgAccess).where(eq(userOrgAccess.userId, target.id)),
          ...accessIds.map((orgId) => db.insert(userOrgAccess).values({ userId: target.id, orgId })),
        ]
      : []),
  ];
  if (statements.length === 0) return getUser(scope, userId);
  await db.batch([
    auditEntry(db, {
      orgId: target.orgId,
      actor: actorRef(scope),
      action: "user.update",
      entityType: "user",
      entityId: target.id,
      before,
      after: { ...publicUser(after), accessibleOrgIds: accessIds ?? before?.accessibleOrgIds },
    }),
    ...statements,
  ]);
  const roleChanged = "role" in changes;
  if (roleChanged || accessIds !== undefined) {
    await disconnectUser(scope.env, target.id, await allRoomsOf(scope, target), "Your access changed; reconnect.");
  }
  await publish(
    scope.env,
    scope.org,
    { entity: "user", action: "updated", id: target.id, orgId: target.orgId },
    STAFF_AUDIENCE,
  );
  return getUser(scope, userId);
}

/** Deleting a user deactivates the account; history keeps their name. Sessions end at once. */
export async function deactivateUser(scope: OrgScope, userId: string) {
  const { db } = scope;
  const target = await findUser(scope, userId);
  if (!canManageUser(scope.actor, target)) throw forbidden("You cannot deactivate this user.");
  if (target.status === "DEACTIVATED") return getUser(scope, userId);
  await db.batch([
    db.update(users).set({ status: "DEACTIVATED" }).where(eq(users.id, target.id)),
    db.delete(sessions).where(eq(sessions.userId, target.id)),
    auditEntry(db, {
      orgId: target.orgId,
      actor: actorRef(scope),
      action: "user.deactivate",
      entityType: "user",
      entityId: target.id,
      before: { status: target.status },
      after: { status: "DEACTIVATED" },
    }),
  ]);
  await disconnectUser(scope.env, target.id, await allRoomsOf(scope, target), "Your account was deactivated.");
  await publish(
    scope.env,
    scope.org,
    { entity: "user", action: "deactivated", id: target.id, orgId: target.orgId },
    STAFF_AUDIENCE,
  );
  return getUser(scope, userId);
}

const emailTaken = () =>
  conflict("A user with this email already exists.", "EMAIL_TAKEN", { email: ["Already registered."] });

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

async function allRoomsOf(scope: OrgScope, target: SessionUser) {
  const home = await scope.db.select().from(organizations).where(eq(organizations.id, target.orgId)).get();
  return home ? (await orgTree(scope.db, rootIdOf(home))).map((org) => org.id) : [target.orgId];
}
