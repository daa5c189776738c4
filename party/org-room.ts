import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import { Audience, ClientMessage, IDENTITY_HEADER, Identity, LiveEvent, type ServerMessage } from "./protocol";

/** Events kept for reconnecting clients; older gaps are answered with "reload". */
const REPLAY_LIMIT = 200;

/** `sourceOrgId` differs from the room's org when a sub-org's event is relayed to its parent's room. */
type Stored = { seq: number; event: LiveEvent; audience: Audience; sourceOrgId?: string };

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

/**
 * One room per organization. The Worker has already authenticated the connection; the room keeps
 * the identity in connection state (survives hibernation) and filters events by audience.
 *
 * Errors inside hooks are caught here: PartyServer's own fallback sends `err.stack` to the client.
 */
export class OrgRoom extends Server<Env> {
  static options = { hibernate: true };

  onStart() {
    this.sql`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)`;
  }

  /** Refuses upgrades that did not come through the Worker's authentication, before accepting. */
  async fetch(request: Request): Promise<Response> {
    const upgrade = request.headers.get("Upgrade")?.toLowerCase() === "websocket";
    if (upgrade && !readIdentity(request)) {
      return Response.json({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } }, { status: 401 });
    }
    return super.fetch(request);
  }

  private get seq(): number {
    const [row] = this.sql<{ seq: number | null }>`SELECT MAX(seq) AS seq FROM events`;
    return row?.seq ?? 0;
  }

  /**
   * Whether a connection may see a stored event. A sub-org's event relayed to the parent room
   * feeds the multi-org dashboard, so only PARENT_ORG_ADMINs (who reach every sub-org) get it;
   * a parent-org MANAGER must not see branches they cannot reach.
   */
  private visibleTo(identity: Identity, stored: Pick<Stored, "audience" | "sourceOrgId">) {
    const relayed = stored.sourceOrgId !== undefined && stored.sourceOrgId !== this.name;
    if (relayed && identity.role !== "PARENT_ORG_ADMIN") return false;
    return inAudience(identity, stored.audience);
  }

  private send(connection: Connection, message: ServerMessage) {
    try {
      connection.send(JSON.stringify(message));
    } catch {
      // The socket is closing; the client will resume from its last seq when it reconnects.
    }
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
      this.send(connection, { type: "hello", role: identity.role, orgId: this.name, seq: this.seq });
    } catch (error) {
      console.warn("live connect failed", this.name, error);
      connection.close(1011, "Something went wrong; reconnect.");
    }
  }

  onMessage(connection: Connection, raw: WSMessage) {
    const identity = Identity.safeParse(connection.state);
    if (!identity.success) return connection.close(4001, "unauthenticated");
    let message: ClientMessage;
    try {
      message = ClientMessage.parse(JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw)));
    } catch {
      return this.send(connection, { type: "error", message: "Unknown message." });
    }
    if (message.type === "ping") return;
    try {
      this.replay(connection, identity.data, message.since);
    } catch (error) {
      console.warn("live resume failed", this.name, error);
      this.send(connection, { type: "reload", reason: "Could not catch up; reload." });
    }
  }

  /** Sends what a reconnecting client missed after `since`, or tells it to reload. */
  private replay(connection: Connection, identity: Identity, since: number) {
    const current = this.seq;
    const [oldestRow] = this.sql<{ seq: number | null }>`SELECT MIN(seq) AS seq FROM events`;
    const oldest = oldestRow?.seq ?? current + 1;
    if (since > current || (since < current && since + 1 < oldest)) {
      return this.send(connection, { type: "reload", reason: "Too much was missed; reload to catch up." });
    }
    const rows = this.sql<{
      seq: number;
      body: string;
    }>`SELECT seq, body FROM events WHERE seq > ${since} ORDER BY seq`;
    for (const row of rows) {
      const stored = JSON.parse(row.body) as Stored;
      if (this.visibleTo(identity, stored)) this.send(connection, { type: "event", seq: row.seq, event: stored.event });
    }
  }

  /**
   * Called by the Worker after a write commits. `sourceOrgId` is the org the write happened in
   * (defaults to this room's org).
   */
  async publish(event: LiveEvent, audience: Audience = {}, sourceOrgId?: string): Promise<number> {
    const stored: Omit<Stored, "seq"> = {
      event: LiveEvent.parse(event),
      audience: Audience.parse(audience),
      ...(sourceOrgId && sourceOrgId !== this.name ? { sourceOrgId } : {}),
    };
    const seq = this.seq + 1;
    this.sql`INSERT INTO events (seq, body) VALUES (${seq}, ${JSON.stringify({ seq, ...stored })})`;
    this.sql`DELETE FROM events WHERE seq <= ${seq - REPLAY_LIMIT}`;
    for (const connection of this.getConnections()) {
      const identity = Identity.safeParse(connection.state);
      if (identity.success && this.visibleTo(identity.data, stored))
        this.send(connection, { type: "event", seq, event: stored.event });
    }
    return seq;
  }

  /**
   * Closes a user's connections at once (role change, deactivation). The tag narrows the search;
   * the identity in state decides, since tags share a namespace with client-chosen connection ids.
   */
  async disconnectUser(userId: string, reason: string): Promise<number> {
    let closed = 0;
    for (const connection of this.getConnections(`user:${userId}`)) {
      const identity = Identity.safeParse(connection.state);
      if (!identity.success || identity.data.userId !== userId) continue;
      connection.close(4003, reason);
      closed++;
    }
    return closed;
  }

  onError(connection: Connection, error: unknown) {
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
