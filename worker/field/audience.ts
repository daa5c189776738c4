/**
 * Who hears about a job, appointment or project (SPEC §4, §7): everyone who sees every
 * appointment, and the technicians assigned to it. Pass the technicians before AND after a
 * change, so one who was just taken off an appointment hears it and drops it from their day.
 */
import type { Audience } from "../../party/protocol";
import { PERMISSIONS, type Role } from "../policy/permissions";

const DISPATCH_ROLES: Role[] = [...PERMISSIONS["appointments:view-all"].roles];

export function fieldAudience(...technicianIds: readonly string[][]): Audience {
  const userIds = [...new Set(technicianIds.flat())];
  return userIds.length > 0 ? { roles: DISPATCH_ROLES, userIds } : { roles: DISPATCH_ROLES };
}

/** Projects have no assignees of their own: only the dispatchers hear about them. */
export const PROJECT_AUDIENCE: Audience = { roles: DISPATCH_ROLES };
