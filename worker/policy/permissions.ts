/**
 * The one permission registry (SPEC §4, from the user's roles document). Server guards and the UI
 * both read it; nothing else decides what a role may do.
 */
import type { Role } from "../../db/schema";

export type { Role };

const ALL: readonly Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"];
const ADMINS: readonly Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN"];
const STAFF: readonly Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER"];
const FIELD: readonly Role[] = ["PARENT_ORG_ADMIN", "ORG_ADMIN", "MANAGER", "TECHNICIAN"];

type Rule = {
  roles: readonly Role[];
  /**
   * Administrative powers that an ORG_ADMIN or MANAGER holds over their home org only; orgs they
   * reach through `accessibleOrgIds` give them operational access, not these.
   */
  homeOrgOnly?: true;
  description: string;
};

export const PERMISSIONS = {
  "suborgs:manage": { roles: ["PARENT_ORG_ADMIN"], description: "Create, configure and archive sub-organizations" },
  "billing:manage": { roles: ["PARENT_ORG_ADMIN"], description: "Billing and subscription page" },
  "dashboard:multi-org": { roles: ["PARENT_ORG_ADMIN"], description: "Multi-org dashboard" },
  "org:settings": { roles: ADMINS, homeOrgOnly: true, description: "Org name, EIN, brand, EPA config" },
  "users:view": { roles: STAFF, homeOrgOnly: true, description: "List users" },
  "users:manage": {
    roles: STAFF,
    homeOrgOnly: true,
    description: "Add, edit and deactivate users whose role the actor may assign",
  },
  "users:grant-org-access": { roles: ["PARENT_ORG_ADMIN"], description: "Grant accessibleOrgIds" },
  "territories:assign": { roles: ["PARENT_ORG_ADMIN"], description: "Assign sales territories" },
  "customers:view": { roles: ALL, description: "View customers and locations" },
  "customers:edit": { roles: STAFF, description: "Create and edit customers and locations" },
  "customers:delete": { roles: ADMINS, description: "Delete customers and locations" },
  "units:view": { roles: FIELD, description: "See units, their service history and leak rates" },
  "units:edit": { roles: FIELD, description: "Create and edit units" },
  "units:decommission": { roles: STAFF, description: "Decommission units" },
  "records:delete": { roles: ADMINS, description: "Delete units, cylinders and jobs" },
  "cylinders:view-all": { roles: FIELD, description: "See every cylinder (SALES sees FOR_SALE only)" },
  "cylinders:view-for-sale": { roles: ALL, description: "See cylinders marked FOR_SALE" },
  "cylinders:edit": { roles: STAFF, description: "Create and edit cylinders, mark FOR_SALE" },
  "cylinders:move": { roles: FIELD, description: "Move cylinders between holders" },
  "transfers:view": { roles: FIELD, description: "See refrigerant transfers" },
  "transfers:record": { roles: FIELD, description: "Record refrigerant transfers" },
  "transfers:review": { roles: STAFF, description: "Approve or reject transfers" },
  "transfers:void": { roles: ADMINS, description: "Void a transfer with a reason" },
  "leaks:view": { roles: FIELD, description: "See leaks and repair deadlines" },
  "leaks:report": { roles: FIELD, description: "Report leaks, record repairs and verification tests" },
  "leaks:plan": { roles: STAFF, description: "Retrofit/retirement plans; close or retire a leak case" },
  "jobnotes:create": { roles: FIELD, description: "Create job notes" },
  "jobs:view": { roles: FIELD, description: "See jobs (a technician: the jobs they are assigned to)" },
  "jobs:manage": { roles: STAFF, description: "Create jobs, appointments, projects; assign technicians" },
  "appointments:view-all": { roles: STAFF, description: "See every appointment" },
  "appointments:work-own": { roles: ["TECHNICIAN"], description: "Start and complete own appointments" },
  "techtools:use": { roles: FIELD, description: "The technician interface" },
  "reports:view": { roles: STAFF, description: "Reports, analytics, compliance" },
  "leads:view": { roles: ADMINS, description: "View leads and opportunities" },
  "leads:own": { roles: ["SALES"], description: "Work own leads and opportunities" },
  "sales:view": { roles: [...ADMINS, "SALES"], description: "Sales inventory and territories (SALES: their own)" },
  "audit:view": { roles: ADMINS, homeOrgOnly: true, description: "Read the audit log" },
  "support:create": { roles: ALL, description: "Send a support request" },
} as const satisfies Record<string, Rule>;

export type Permission = keyof typeof PERMISSIONS;

/** Who may assign which role (seed: "Changing User Roles"). */
export const ASSIGNABLE_ROLES: Record<Role, readonly Role[]> = {
  PARENT_ORG_ADMIN: ["ORG_ADMIN", "MANAGER", "TECHNICIAN", "SALES"],
  ORG_ADMIN: ["MANAGER", "TECHNICIAN", "SALES"],
  MANAGER: ["TECHNICIAN"],
  TECHNICIAN: [],
  SALES: [],
};

export type Actor = { id: string; role: Role; orgId: string };

/**
 * The single permission check. `orgId`, when given, is the org the action is on; the caller has
 * already established that the actor reaches it.
 */
export function can(actor: Pick<Actor, "role" | "orgId">, permission: Permission, orgId?: string): boolean {
  const rule: Rule = PERMISSIONS[permission];
  if (!rule.roles.includes(actor.role)) return false;
  if (rule.homeOrgOnly && actor.role !== "PARENT_ORG_ADMIN" && orgId !== undefined && orgId !== actor.orgId) {
    return false;
  }
  return true;
}

export const canAssignRole = (actorRole: Role, role: Role) => ASSIGNABLE_ROLES[actorRole].includes(role);

/** An actor edits or deactivates only users whose current role it may assign, never itself. */
export const canManageUser = (actor: Pick<Actor, "id" | "role">, target: { id: string; role: Role }) =>
  actor.id !== target.id && canAssignRole(actor.role, target.role);

export const ROLE_LABELS: Record<Role, string> = {
  PARENT_ORG_ADMIN: "Parent org admin",
  ORG_ADMIN: "Org admin",
  MANAGER: "Manager",
  TECHNICIAN: "Technician",
  SALES: "Sales",
};
