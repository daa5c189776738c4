/**
 * The org's technicians, for the job pages: names for the ids a job summary carries, and the
 * people a dispatcher can put on an appointment (the appointments service decides who is valid).
 */
import type { OrgScope } from "../../../worker/policy/guards";
import { listUsers } from "../../../worker/users/service";

async function technicians(scope: OrgScope) {
  const list = await listUsers(scope, { role: "TECHNICIAN", status: "ALL" });
  // A parent org's Users tab lists the whole company; an appointment belongs to this org's people.
  return list.filter((user) => user.orgId === scope.org.id || user.accessibleOrgIds.includes(scope.org.id));
}

/** Names by id for the given technician ids (deactivated people keep their name). */
export async function technicianNames(scope: OrgScope, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const wanted = new Set(ids);
  return new Map(
    (await technicians(scope)).filter((user) => wanted.has(user.id)).map((user) => [user.id, user.name] as const),
  );
}

/** Active technicians who can be put on an appointment here, by name. */
export async function technicianChoices(scope: OrgScope) {
  return (await technicians(scope))
    .filter((user) => user.status === "ACTIVE")
    .map((user) => ({ id: user.id, name: user.name, certificationType: user.certificationType }));
}
