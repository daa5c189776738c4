/**
 * The one live-message protocol, parsed with zod on both ends (room and browser).
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

export const LiveEvent = z.object({
  entity: z.enum(["user", "org", "job", "appointment", "cylinder", "transfer", "leak", "unit", "customer", "location"]),
  action: z.string(),
  id: z.string(),
  orgId: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type LiveEvent = z.infer<typeof LiveEvent>;

export const ServerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), role: ROLE, orgId: z.string(), seq: z.number() }),
  z.object({ type: z.literal("event"), seq: z.number(), event: LiveEvent }),
  z.object({ type: z.literal("reload"), reason: z.string() }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("resume"), since: z.number().int().nonnegative() }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** The header the Worker sets, after stripping any client-sent copy, to carry the identity. */
export const IDENTITY_HEADER = "x-refritrak-identity";
