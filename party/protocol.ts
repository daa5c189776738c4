/**
 * The one live-message protocol, parsed with zod on both ends (room and browser).
 *
 * Server → client:
 * - `{ type: "hello", seq, role, orgId }` on connect: `seq` is the room's latest sequence number;
 * - `{ type: "event", seq, entity, action, id, orgId, data, at }` for each write the connection
 *   may see; `seq` increases by one per room (per org), `orgId` is the org the write happened in
 *   (a sub-org's, in its parent's room), `at` is when the room received it (ISO 8601);
 * - `{ type: "resync" }` when a reconnecting client asked for events older than the bounded log:
 *   it must reload what it shows;
 * - `{ type: "error", message }` for a message the room did not understand.
 * Client → server: `{ type: "ping" }`. A client that reconnects with `?since=SEQ` in the URL gets
 * every event after SEQ that it may see, in order, right after `hello` (or `resync`).
 */
import { z } from "zod";

export const ROLE = z.enum(["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"]);

/** Who a connection belongs to, decided by the Worker and kept in connection state. */
export const Identity = z.object({ userId: z.string(), role: ROLE, orgId: z.string() });
export type Identity = z.infer<typeof Identity>;

/** Who may see an event: everyone in the org, or only some users/roles. */
export const Audience = z.object({
  roles: z.array(ROLE).optional(),
  userIds: z.array(z.string()).optional(),
});
export type Audience = z.infer<typeof Audience>;

export const ENTITIES = [
  "user",
  "org",
  "job",
  "appointment",
  "project",
  "cylinder",
  "transfer",
  "leak",
  "unit",
  "customer",
  "location",
  "territory",
  "lead",
] as const;

/** What the Worker publishes after a write commits. */
export const LiveEvent = z.object({
  entity: z.enum(ENTITIES),
  action: z.string(),
  id: z.string(),
  orgId: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type LiveEvent = z.infer<typeof LiveEvent>;

export const EventMessage = LiveEvent.extend({
  type: z.literal("event"),
  seq: z.number().int().positive(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type EventMessage = z.infer<typeof EventMessage>;

export const ServerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), role: ROLE, orgId: z.string(), seq: z.number() }),
  EventMessage,
  z.object({ type: z.literal("resync") }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export const ClientMessage = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") })]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** The query parameter a reconnecting client sends with the last `seq` it saw. */
export const SINCE_PARAM = "since";

/** The header the Worker sets, after stripping any client-sent copy, to carry the identity. */
export const IDENTITY_HEADER = "x-refritrak-identity";
