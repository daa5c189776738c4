import type { Audience, LiveEvent } from "../../party/protocol";

/** An org's room: one RPC per call (the room prepares itself, see OrgRoom.prepare). */
const roomOf = (env: Env, orgId: string) => env.OrgRoom.getByName(orgId);

/**
 * Publishes an event to the org's room, after the write has committed, and to the parent org's
 * room for the multi-org dashboard (where only PARENT_ORG_ADMINs see it). A failed publish never
 * undoes the write.
 */
export async function publish(
  env: Env,
  org: { id: string; parentOrgId: string | null },
  event: LiveEvent,
  audience?: Audience,
) {
  const rooms = org.parentOrgId ? [org.id, org.parentOrgId] : [org.id];
  await Promise.all(
    rooms.map(async (room) => {
      try {
        await roomOf(env, room).publish(event, audience ?? {}, org.id);
      } catch (error) {
        console.warn("live publish failed", room, error);
      }
    }),
  );
}

/** Closes a user's open live connections in every room they might hold one in. */
export async function disconnectUser(env: Env, userId: string, orgIds: string[], reason: string) {
  await Promise.all(
    orgIds.map(async (room) => {
      try {
        await roomOf(env, room).disconnectUser(userId, reason);
      } catch (error) {
        console.warn("live disconnect failed", room, error);
      }
    }),
  );
}
