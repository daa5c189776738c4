import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import {
  Audience,
  ClientMessage,
  type EventMessage,
  IDENTITY_HEADER,
  Identity,
  LiveEvent,
  type ServerMessage,
  SINCE_PARAM,
} from "./protocol";

/** Events kept for reconnecting clients; an older gap is answered with `resync`. */
export const REPLAY_LIMIT = 500;
/**
 * How many sockets one turn of a fan-out sends to. Between turns the room yields, so the frames
 * already queued go out (and are read) while the rest are still being queued.
 */
export const FANOUT_SLICE = 50;

/** No audience means the whole org; otherwise any listed role or any listed user sees it. */
const inAudience = (identity: Identity, audience: Audience) =>
  (!audience.roles && !audience.userIds) ||
  (audience.roles?.includes(identity.role) ?? false) ||
  (audience.userIds?.includes(identity.userId) ?? false);

/**
 * The identity the Worker put on the upgrade request, or null. Never throws: a malformed header
 * must not become an exception whose stack PartyServer would send to the client.
 */
function readIdentity(request: Request): Identity | null {
  try {
    const parsed = Identity.safeParse(JSON.parse(request.headers.get(IDENTITY_HEADER) ?? "null"));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `?since=SEQ` on the upgrade request: the last event a reconnecting client saw. */
function readSince(request: Request): number | null {
  const raw = new URL(request.url).searchParams.get(SINCE_PARAM);
  if (raw === null || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

type Visibility = { audience: Audience; relayed: boolean };

const NON_ASCII = /[\u0080-\uffff]/;
const EVERY_NON_ASCII = /[\u0080-\uffff]/g;

/**
 * JSON with every non-ASCII character escaped (`\u2014` for an em dash): the same value to any
 * JSON parser, but a one-byte string. `send` converts its text to UTF-8 once per socket, and for a
 * two-byte string (one dash in a location's name makes the whole frame one) that conversion goes
 * character by character: at N = 1000 it was ~4% of the room's thread. The escaped text is copied
 * through bytes because V8 keeps `replace`'s result two-byte when its input was.
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!NON_ASCII.test(json)) return json;
  const escaped = json.replace(EVERY_NON_ASCII, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return new TextDecoder().decode(new TextEncoder().encode(escaped));
}

/**
 * One room per organization. The Worker has already authenticated the connection; the room keeps
 * the identity in connection state (survives hibernation), numbers every event (per room, kept in
 * the room's SQLite storage with a bounded log for catch-up) and sends each connection only the
 * events its role and user may see.
 *
 * Errors inside hooks are caught here: PartyServer's own fallback sends `err.stack` to the client.
 */
export class OrgRoom extends Server<Env> {
  static options = { hibernate: true };

  /** The latest seq; read from storage when the room (re)starts, e.g. after hibernation. */
  private latest = 0;
  /**
   * Identities by socket. PartyServer's connection iterator deserializes every socket's attachment
   * on every pass; a publish to a thousand sockets reads this map instead. Filled on connect, and
   * once from the connections' state after the room wakes from hibernation.
   */
  private identities = new WeakMap<WebSocket, Identity>();

  private ready = false;

  onStart() {
    this.prepare();
  }

  /**
   * The event log and the latest seq, once per wake-up. Synchronous (SQLite storage), so nothing
   * interleaves. The Worker calls `publish` and `disconnectUser` on the stub directly (one RPC,
   * not PartyServer's `getServerByName`, which makes a `setName` RPC first only to run `onStart`),
   * so those prepare the room themselves.
   */
  private prepare() {
    if (this.ready) return;
    this.sql`DROP TABLE IF EXISTS events`;
    this.sql`CREATE TABLE IF NOT EXISTS event_log (
      seq INTEGER PRIMARY KEY, message TEXT NOT NULL, audience TEXT NOT NULL, relayed INTEGER NOT NULL)`;
    const [row] = this.sql<{ seq: number | null }>`SELECT MAX(seq) AS seq FROM event_log`;
    // The log always keeps its newest rows, so its MAX is the room's latest seq.
    this.latest = row?.seq ?? 0;
    this.ready = true;
  }

  /** Refuses upgrades that did not come through the Worker's authentication, before accepting. */
  async fetch(request: Request): Promise<Response> {
    const upgrade = request.headers.get("Upgrade")?.toLowerCase() === "websocket";
    if (upgrade && !readIdentity(request)) {
      return Response.json({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } }, { status: 401 });
    }
    return super.fetch(request);
  }

  /**
   * Whether a connection may see an event. A sub-org's event relayed to the parent room feeds the
   * multi-org dashboard, so only PARENT_ORG_ADMINs (who reach every sub-org) get it; a parent-org
   * MANAGER must not see branches they cannot reach.
   */
  private visibleTo(identity: Identity, { audience, relayed }: Visibility) {
    if (relayed && identity.role !== "PARENT_ORG_ADMIN") return false;
    return inAudience(identity, audience);
  }

  private identityOf(connection: Connection): Identity | null {
    const cached = this.identities.get(connection);
    if (cached) return cached;
    const parsed = Identity.safeParse(connection.state);
    if (!parsed.success) return null;
    this.identities.set(connection, parsed.data);
    return parsed.data;
  }

  /**
   * The open sockets with their identities, as of the last connect, close or disconnect, each of
   * which drops it; a room that wakes from hibernation starts without it. Rebuilding reads every
   * socket's state from workerd (at N = 1000, ~4 ms of each publish), so publishes between
   * membership changes reuse it. A socket that closes before its close event reaches the room is
   * still listed; its send fails quietly (sendRaw) and the close event drops the list.
   */
  private members: [WebSocket, Identity][] | null = null;

  /** The open sockets with their identities, reading attachments only for sockets not seen yet. */
  private audience(): [WebSocket, Identity][] {
    if (this.members) return this.members;
    const sockets = this.ctx.getWebSockets();
    if (sockets.some((socket) => !this.identities.has(socket))) {
      for (const connection of this.getConnections()) this.identityOf(connection);
    }
    const members: [WebSocket, Identity][] = [];
    for (const socket of sockets) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      const identity = this.identities.get(socket);
      if (identity) members.push([socket, identity]);
    }
    this.members = members;
    return members;
  }

  private sendRaw(connection: WebSocket, text: string) {
    try {
      connection.send(text);
    } catch {
      // The socket is closing; the client will ask for what it missed when it reconnects.
    }
  }

  private send(connection: Connection, message: ServerMessage) {
    this.sendRaw(connection, JSON.stringify(message));
  }

  getConnectionTags(_connection: Connection, ctx: ConnectionContext): string[] {
    const identity = readIdentity(ctx.request);
    return identity ? [`user:${identity.userId}`] : [];
  }

  onConnect(connection: Connection, ctx: ConnectionContext) {
    const identity = readIdentity(ctx.request);
    if (!identity) {
      connection.close(4001, "unauthenticated");
      return;
    }
    try {
      connection.setState(identity);
      this.identities.set(connection, identity);
      this.members = null;
      this.send(connection, { type: "hello", role: identity.role, orgId: this.name, seq: this.latest });
      const since = readSince(ctx.request);
      if (since !== null) this.replay(connection, identity, since);
    } catch (error) {
      console.warn("live connect failed", this.name, error);
      connection.close(1011, "Something went wrong; reconnect.");
    }
  }

  onMessage(connection: Connection, raw: WSMessage) {
    if (!this.identityOf(connection)) return connection.close(4001, "unauthenticated");
    try {
      ClientMessage.parse(JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw)));
    } catch {
      this.send(connection, { type: "error", message: "Unknown message." });
    }
    // `ping` needs no answer: receiving it keeps the connection alive through proxies.
  }

  /** Sends what a reconnecting client missed after `since`, in order, or tells it to resync. */
  private replay(connection: Connection, identity: Identity, since: number) {
    if (since === this.latest) return;
    const [oldestRow] = this.sql<{ seq: number | null }>`SELECT MIN(seq) AS seq FROM event_log`;
    const oldest = oldestRow?.seq ?? this.latest + 1;
    if (since > this.latest || since + 1 < oldest) return this.send(connection, { type: "resync" });
    const rows = this.sql<{ message: string; audience: string; relayed: number }>`
      SELECT message, audience, relayed FROM event_log WHERE seq > ${since} ORDER BY seq`;
    for (const row of rows) {
      const visibility = { audience: JSON.parse(row.audience) as Audience, relayed: row.relayed === 1 };
      if (this.visibleTo(identity, visibility)) this.sendRaw(connection, row.message);
    }
  }

  /**
   * Called by the Worker after a write commits. `sourceOrgId` is the org the write happened in
   * (defaults to this room's org). Answers the event's seq.
   */
  async publish(event: LiveEvent, audience: Audience = {}, sourceOrgId?: string): Promise<number> {
    this.prepare();
    const parsed = LiveEvent.parse(event);
    const visibility: Visibility = {
      audience: Audience.parse(audience),
      relayed: sourceOrgId !== undefined && sourceOrgId !== this.name,
    };
    const seq = this.latest + 1;
    const message: EventMessage = {
      type: "event",
      seq,
      entity: parsed.entity,
      action: parsed.action,
      id: parsed.id,
      orgId: parsed.orgId,
      data: parsed.data ?? {},
      at: new Date().toISOString(),
    };
    const text = asciiJson(message);
    this.sql`INSERT INTO event_log (seq, message, audience, relayed)
      VALUES (${seq}, ${text}, ${JSON.stringify(visibility.audience)}, ${visibility.relayed ? 1 : 0})`;
    this.sql`DELETE FROM event_log WHERE seq <= ${seq - REPLAY_LIMIT}`;
    this.latest = seq;
    // Who gets it is decided now, with its seq: a socket that connects later learns the seq from
    // its hello, and one that reconnects with ?since gets it by catch-up, never twice.
    const recipients: WebSocket[] = [];
    for (const [socket, identity] of this.audience()) {
      if (this.visibleTo(identity, visibility)) recipients.push(socket);
    }
    // One fan-out at a time, in seq order, so that however the slices of overlapping publishes
    // interleave, every socket gets the events in order.
    const fanout = this.fanout.then(() => this.sendInSlices(recipients, text));
    this.fanout = fanout.catch(() => undefined);
    await fanout;
    return seq;
  }

  /** The fan-out queue: each publish's sends start when the previous one's are done. */
  private fanout: Promise<void> = Promise.resolve();

  private async sendInSlices(sockets: WebSocket[], text: string) {
    for (let start = 0; start < sockets.length; start += FANOUT_SLICE) {
      if (start > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      const end = Math.min(start + FANOUT_SLICE, sockets.length);
      for (let i = start; i < end; i++) this.sendRaw(sockets[i] as WebSocket, text);
    }
  }

  /**
   * Closes a user's connections at once (role change, deactivation). The tag narrows the search;
   * the identity in state decides, since tags share a namespace with client-chosen connection ids.
   */
  async disconnectUser(userId: string, reason: string): Promise<number> {
    this.prepare();
    let closed = 0;
    for (const connection of this.getConnections(`user:${userId}`)) {
      const identity = this.identityOf(connection);
      if (!identity || identity.userId !== userId) continue;
      connection.close(4003, reason);
      closed++;
    }
    if (closed > 0) this.members = null;
    return closed;
  }

  onClose() {
    this.members = null;
  }

  onError(connection: Connection, error: unknown) {
    this.members = null;
    console.warn("live connection error", this.name, connection.id, error);
  }

  /**
   * PartyServer's `sql()` does `throw this.onException(e)`, and the default returns undefined, so
   * a failed query would throw `undefined`. Rethrow the real error instead.
   */
  onException(error: unknown): void {
    throw error instanceof Error ? error : new Error(String(error));
  }
}
