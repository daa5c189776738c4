/**
 * Shared test factories and request helpers for the workerd tests.
 *
 * D1 and Durable Object storage are shared by every test in a file, so each helper creates fresh,
 * uniquely named rows (no fixed ids or emails) and tests never depend on what else is stored.
 */
import { env, exports } from "cloudflare:workers";
import { onTestFinished } from "vitest";
import { buildOrg, buildUser } from "../../db/factories";
import {
  type CertificationType,
  customers,
  locations,
  organizations,
  type Role,
  units,
  userOrgAccess,
  users,
} from "../../db/schema";
import { ClientMessage, ServerMessage } from "../../party/protocol";
import { hashPassword } from "../../worker/auth/password";
import { createSession, SESSION_COOKIE } from "../../worker/auth/session";
import { getDb } from "../../worker/db";

export const ORIGIN = "http://localhost";

export type TestOrg = typeof organizations.$inferSelect;
export type TestUser = typeof users.$inferSelect;
/** The four roles that belong to one org (PARENT_ORG_ADMIN spans the tree). */
export type OrgRole = Exclude<Role, "PARENT_ORG_ADMIN">;
export const ORG_ROLES: readonly OrgRole[] = ["ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];

export const testDb = () => getDb(env.DB);

/** Inserts an organization; FREE and top-level unless overridden. */
export async function createOrg(overrides: Partial<typeof organizations.$inferInsert> = {}): Promise<TestOrg> {
  return testDb().insert(organizations).values(buildOrg(overrides)).returning().get();
}

/**
 * Inserts an active user. Without `password` the hash is null (scrypt is slow); with one, it is
 * hashed for real so the user can log in through the API.
 */
export async function createUser(
  input: Partial<typeof users.$inferInsert> & { orgId: string; role: Role; password?: string },
): Promise<TestUser> {
  const { password, ...overrides } = input;
  const passwordHash = password === undefined ? (overrides.passwordHash ?? null) : await hashPassword(password);
  return testDb()
    .insert(users)
    .values(buildUser({ ...overrides, passwordHash }))
    .returning()
    .get();
}

/** Starts a session for the user and returns the `Cookie` header value that carries it. */
/** A fresh user of the org with this role (and 608 certification type), signed in. */
export async function member(orgId: string, role: Role, certificationType: CertificationType | null = null) {
  const user = await createUser({ orgId, role, certificationType });
  return { user, cookie: await signIn(user.id) };
}

export async function signIn(userId: string): Promise<string> {
  const { token } = await createSession(testDb(), userId);
  return `${SESSION_COOKIE}=${token}`;
}

/** Adds an org to the user's `accessibleOrgIds`. */
export async function grantAccess(userId: string, orgId: string): Promise<void> {
  await testDb().insert(userOrgAccess).values({ userId, orgId });
}

async function createStaff(orgId: string): Promise<Record<OrgRole, TestUser>> {
  const [ORG_ADMIN, MANAGER, TECHNICIAN, SALES] = await Promise.all(
    ORG_ROLES.map((role) => createUser({ orgId, role })),
  );
  if (!ORG_ADMIN || !MANAGER || !TECHNICIAN || !SALES) throw new Error("createStaff: a user was not created");
  return { ORG_ADMIN, MANAGER, TECHNICIAN, SALES };
}

export type Tree = Awaited<ReturnType<typeof createTree>>;

/**
 * A company for role x tenancy matrices:
 * - `parent`: a PRO top-level org with sub-orgs `subA` and `subB`;
 * - `users`: one user per role, the PARENT_ORG_ADMIN at home in `parent`, the others in `subA`;
 * - `sibling`: the four org roles at home in `subB` (for cross-branch denials);
 * - `other`: an unrelated FREE company, with `outsiders`: one user per role at home there.
 */
export async function createTree() {
  const parent = await createOrg({ plan: "PRO" });
  const [subA, subB, other] = await Promise.all([
    createOrg({ parentOrgId: parent.id, plan: "PRO" }),
    createOrg({ parentOrgId: parent.id, plan: "PRO" }),
    createOrg({ plan: "FREE" }),
  ]);
  if (!subA || !subB || !other) throw new Error("createTree: an org was not created");
  const [parentAdmin, subAStaff, subBStaff, otherAdmin, otherStaff] = await Promise.all([
    createUser({ orgId: parent.id, role: "PARENT_ORG_ADMIN" }),
    createStaff(subA.id),
    createStaff(subB.id),
    createUser({ orgId: other.id, role: "PARENT_ORG_ADMIN" }),
    createStaff(other.id),
  ]);
  return {
    parent,
    subA,
    subB,
    other,
    users: { PARENT_ORG_ADMIN: parentAdmin, ...subAStaff } as Record<Role, TestUser>,
    sibling: subBStaff,
    outsiders: { PARENT_ORG_ADMIN: otherAdmin, ...otherStaff } as Record<Role, TestUser>,
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type ApiOptions = {
  /** Defaults to POST when there is a body, GET otherwise. */
  method?: string;
  /** A `Cookie` header value, e.g. from `signIn`. */
  cookie?: string;
  /** Sent as JSON (a string is sent as is). */
  body?: unknown;
  /** Defaults to this app's origin on unsafe methods and to none on safe ones; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
  /** Reconnect as a client that last saw this seq (`?since=`). */
  since?: number;
};

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted with toMatchObject; callers may narrow T.
export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

/** Calls the Worker in-process and always consumes the response body (JSON parsed when JSON). */
// biome-ignore lint/suspicious/noExplicitAny: see ApiResponse.
export async function api<T = any>(path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const method = (options.method ?? (options.body === undefined ? "GET" : "POST")).toUpperCase();
  const headers = new Headers(options.headers);
  const origin = options.origin === undefined ? (SAFE_METHODS.has(method) ? null : ORIGIN) : options.origin;
  if (origin !== null) headers.set("Origin", origin);
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const res = await exports.default.fetch(`${ORIGIN}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if (res.headers.get("Content-Type")?.includes("json") && text !== "") parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** The first `rt_session=...` pair of a response's Set-Cookie, ready to send back as `Cookie`. */
export function sessionCookieOf(headers: Headers): string | null {
  const cookie = headers.getSetCookie().find((value) => value.startsWith(`${SESSION_COOKIE}=`));
  return cookie?.split(";")[0] ?? null;
}

export type LiveOptions = {
  cookie?: string;
  /** Defaults to this app's origin; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
  /** Reconnect as a client that last saw this seq (`?since=`). */
  since?: number;
};

/**
 * Opens a WebSocket to `/parties/org-room/<orgId>` through the Worker. An accepted socket is
 * closed when the test finishes (call inside a test, not in beforeAll).
 */
export async function connectLive(orgId: string, options: LiveOptions = {}): Promise<LiveClient | ApiResponse> {
  const headers = new Headers(options.headers);
  headers.set("Upgrade", "websocket");
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  if (origin !== null) headers.set("Origin", origin);
  if (options.cookie) headers.set("Cookie", options.cookie);
  const query = options.since === undefined ? "" : `?since=${options.since}`;
  const res = await exports.default.fetch(`${ORIGIN}/parties/org-room/${orgId}${query}`, { headers });
  if (!res.webSocket) {
    const text = await res.text();
    const body = res.headers.get("Content-Type")?.includes("json") && text !== "" ? JSON.parse(text) : text;
    return { status: res.status, body, headers: res.headers };
  }
  const client = new LiveClient(res.webSocket);
  onTestFinished(() => client.close());
  return client;
}

/** Like `connectLive`, but fails unless the room accepted the socket and said hello. */
export async function openLive(orgId: string, cookie: string, options: Omit<LiveOptions, "cookie"> = {}) {
  const result = await connectLive(orgId, { ...options, cookie });
  if (!(result instanceof LiveClient)) {
    throw new Error(`live upgrade refused: ${result.status} ${JSON.stringify(result.body)}`);
  }
  await result.hello();
  return result;
}

/** Like `connectLive`, but fails if the socket was accepted; returns the refusal's status and body. */
export async function refuseLive(orgId: string, options: LiveOptions = {}): Promise<ApiResponse> {
  const result = await connectLive(orgId, options);
  if (result instanceof LiveClient) throw new Error(`live upgrade to ${orgId} was accepted`);
  return result;
}

type Close = { code: number; reason: string };

/** The test end of a room socket: records every server message and the close. */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  closeEvent: Close | null = null;
  private listeners = new Set<() => void>();

  constructor(private readonly socket: WebSocket) {
    socket.accept();
    socket.addEventListener("message", (event) => {
      this.messages.push(ServerMessage.parse(JSON.parse(String(event.data))));
      this.notify();
    });
    socket.addEventListener("close", (event) => {
      this.closeEvent = { code: event.code, reason: event.reason };
      this.notify();
    });
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  /** Resolves once `check` returns a value, re-checking after every message and on close. */
  private until<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      const listener = () => void attempt();
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      attempt();
    });
  }

  /** The first message received (ever) that matches. */
  waitFor<T extends ServerMessage>(predicate: (message: ServerMessage) => message is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  waitFor(predicate: (message: ServerMessage) => boolean, timeoutMs = 3000) {
    return this.until(() => this.messages.find(predicate), "a matching live message", timeoutMs);
  }

  hello() {
    return this.waitFor((m): m is Extract<ServerMessage, { type: "hello" }> => m.type === "hello");
  }

  /** The event with this entity id, once it arrives. */
  event(id: string, timeoutMs?: number) {
    return this.waitFor(
      (m): m is Extract<ServerMessage, { type: "event" }> => m.type === "event" && m.id === id,
      timeoutMs,
    );
  }

  /** Every event received so far, in order. */
  events() {
    return this.messages.flatMap((m) => (m.type === "event" ? [m] : []));
  }

  /** Ids of the events received so far, in order. */
  eventIds() {
    return this.events().map((m) => m.id);
  }

  send(message: ClientMessage) {
    this.socket.send(JSON.stringify(ClientMessage.parse(message)));
  }

  /** Sends a frame as is, for malformed-input tests. */
  sendRaw(data: string | ArrayBuffer) {
    this.socket.send(data);
  }

  /** Resolves with the close code and reason once the server closes the socket. */
  closed(timeoutMs = 3000) {
    return this.until(() => this.closeEvent ?? undefined, "the socket to close", timeoutMs);
  }

  close() {
    if (this.closeEvent) return;
    try {
      this.socket.close(1000, "test done");
    } catch {
      // already closing
    }
  }
}

/**
 * A unit with a customer and location of its own (Cold Storage Co, "Warehouse 4", 4 Dock Rd,
 * Joliet, IL 60431): a covered R-410A comfort-cooling unit of 20 lb unless overridden.
 */
export async function createUnitAtSite(orgId: string, overrides: Partial<typeof units.$inferInsert> = {}) {
  const db = testDb();
  const customer = await db
    .insert(customers)
    .values({ id: crypto.randomUUID(), orgId, name: "Cold Storage Co" })
    .returning()
    .get();
  const location = await db
    .insert(locations)
    .values({
      id: crypto.randomUUID(),
      orgId,
      customerId: customer.id,
      name: "Warehouse 4",
      street: "4 Dock Rd",
      city: "Joliet",
      state: "IL",
      zip: "60431",
    })
    .returning()
    .get();
  return db
    .insert(units)
    .values({
      id: crypto.randomUUID(),
      orgId,
      locationId: location.id,
      name: `RTU-${crypto.randomUUID().slice(0, 6)}`,
      manufacturer: "Carrier",
      model: "48FC",
      serial: `SN-${crypto.randomUUID().slice(0, 8)}`,
      category: "COMFORT_COOLING",
      refrigerant: "R-410A",
      fullChargeLb: 20,
      fullChargeMethod: "MANUFACTURER",
      ...overrides,
    })
    .returning()
    .get();
}

/** A page as the browser gets it: status, redirect target, HTML. */
export type PageResponse = { status: number; location: string | null; html: string };

export async function getPage(path: string, cookie: string): Promise<PageResponse> {
  const res = await api(path, { cookie });
  return { status: res.status, location: res.headers.get("Location"), html: String(res.body) };
}

/** Submits a page's form as the browser does without JavaScript (a document POST); no redirect followed. */
export async function postForm(
  path: string,
  cookie: string,
  fields: Record<string, string | readonly string[]>,
): Promise<PageResponse> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  const res = await exports.default.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN },
    body,
    redirect: "manual",
  });
  return { status: res.status, location: res.headers.get("Location"), html: await res.text() };
}

/** A session cookie for each role's user of a tree (`createTree().users`). */
export async function signInEveryRole(tree: Pick<Tree, "users">): Promise<Record<Role, string>> {
  const roles = Object.keys(tree.users) as Role[];
  const signed = await Promise.all(roles.map((role) => signIn(tree.users[role].id)));
  return Object.fromEntries(roles.map((role, i) => [role, signed[i]])) as Record<Role, string>;
}
