/**
 * Row builders shared by the seed and the tests, so both make data the same way.
 */

import { DEFAULT_EPA_CONFIG } from "../worker/orgs/epa";
import type { organizations, Plan, Role, users } from "./schema";

type OrgRow = typeof organizations.$inferInsert;
type UserRow = typeof users.$inferInsert;

let counter = 0;
const uniqueSuffix = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export function buildOrg(input: Partial<OrgRow> & { name?: string; plan?: Plan } = {}): OrgRow & { id: string } {
  return {
    id: input.id ?? crypto.randomUUID(),
    parentOrgId: null,
    name: input.name ?? `Org ${uniqueSuffix()}`,
    plan: "FREE",
    epaConfig: DEFAULT_EPA_CONFIG,
    timeZone: "America/New_York",
    ...input,
  };
}

export function buildUser(
  input: Partial<UserRow> & { orgId: string; role: Role },
): UserRow & { id: string; email: string } {
  const suffix = uniqueSuffix();
  return {
    id: input.id ?? crypto.randomUUID(),
    name: `${input.role.toLowerCase()} ${suffix}`,
    email: `${input.role.toLowerCase()}.${suffix}@example.test`,
    status: "ACTIVE",
    timeZone: "America/New_York",
    ...input,
  };
}
