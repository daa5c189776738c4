import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import {
  type Audience,
  ClientMessage,
  IDENTITY_HEADER,
  Identity,
  type LiveEvent,
  type ServerMessage,
} from "./protocol";

/** Events kept for reconnecting clients; older gaps are answered with "reload". */
const REPLAY_LIMIT = 200;

type Stored = { seq: number; event: LiveEvent; audience: Audience };

/** No audience means the whole org; otherwise any listed role or any listed user sees it. */
const visibleTo = (identity: Identity, audience: Audience) =>
  (!audience.roles && !audience.userIds) ||
  (audience.roles?.includes(identity.role) ?? false) ||
  (audience.userIds?.includes(identity.userId) ?? false);

/**
 * One room per organization. The Worker has already authenticated the connection; the room keeps
 * the identity in connection state (survives hibernation) and filters events by audience.
 */
export class OrgRoom extends Server<Env> {
  static options = { hibernate: true };

  onStart() {
    this.sql`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)`;
  }

  private get seq(): number {
    const [row] = this.sql<{ seq: number | null }>`SELECT MAX(seq) AS seq FROM events`;
    return row?.seq ?? 0;
  }

  private send(connection: Connection, message: ServerMessage) {
    connection.send(JSON.stringify(message));
  }

  onConnect(connection: Connection, ctx: ConnectionContext) {
    const parsed = Identity.safeParse(JSON.parse(ctx.request.headers.get(IDENTITY_HEADER) ?? "null"));
    if (!parsed.success) {
      connection.close(4001, "unauthenticated");
      return;
    }
    connection.setState(parsed.data);
    this.send(connection, { type: "hello", role: parsed.data.role, orgId: this.name, seq: this.seq });
  }

  getConnectionTags(_connection: Connection, ctx: ConnectionContext): string[] {
    const parsed = Identity.safeParse(JSON.parse(ctx.request.headers.get(IDENTITY_HEADER) ?? "null"));
    return parsed.success ? [`user:${parsed.data.userId}`] : [];
  }

  onMessage(connection: Connection, raw: WSMessage) {
    const identity = Identity.safeParse(connection.state);
    if (!identity.success) return connection.close(4001, "unauthenticated");
    let message: ClientMessage;
    try {
      message = ClientMessage.parse(JSON.parse(String(raw)));
    } catch {
      return this.send(connection, { type: "error", message: "Unknown message." });
    }
    if (message.type === "ping") return;
    const current = this.seq;
    const [oldestRow] = this.sql<{ seq: number | null }>`SELECT MIN(seq) AS seq FROM events`;
    const oldest = oldestRow?.seq ?? current + 1;
    if (message.since > current || (message.since < current && message.since + 1 < oldest)) {
      return this.send(connection, { type: "reload", reason: "Too much was missed; reload to catch up." });
    }
    const rows = this.sql<{
      seq: number;
      body: string;
    }>`SELECT seq, body FROM events WHERE seq > ${message.since} ORDER BY seq`;
    for (const row of rows) {
      const stored = JSON.parse(row.body) as Stored;
      if (visibleTo(identity.data, stored.audience))
        this.send(connection, { type: "event", seq: row.seq, event: stored.event });
    }
  }

  /** Called by the Worker after a write commits. */
  async publish(event: LiveEvent, audience: Audience = {}): Promise<number> {
    const seq = this.seq + 1;
    const stored: Stored = { seq, event, audience };
    this.sql`INSERT INTO events (seq, body) VALUES (${seq}, ${JSON.stringify(stored)})`;
    this.sql`DELETE FROM events WHERE seq <= ${seq - REPLAY_LIMIT}`;
    for (const connection of this.getConnections<Identity>()) {
      const identity = Identity.safeParse(connection.state);
      if (identity.success && visibleTo(identity.data, audience)) this.send(connection, { type: "event", seq, event });
    }
    return seq;
  }

  /** Closes a user's connections at once (role change, deactivation). */
  async disconnectUser(userId: string, reason: string): Promise<number> {
    let closed = 0;
    for (const connection of this.getConnections(`user:${userId}`)) {
      connection.close(4003, reason);
      closed++;
    }
    return closed;
  }
}
