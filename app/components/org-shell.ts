import { useRouteLoaderData } from "react-router";
import type { Permission } from "../../worker/policy/permissions";
import type { loader } from "../routes/org-layout";

/** What the app shell's loader gives every page under /o/:orgId. */
export type OrgShellData = Awaited<ReturnType<typeof loader>>;

/** The shell's data (user, current org, reachable orgs, permissions here); only under /o/:orgId. */
export function useOrgShell(): OrgShellData {
  const data = useRouteLoaderData<typeof loader>("routes/org-layout");
  if (!data) throw new Error("useOrgShell() is only available on pages inside the org layout.");
  return data;
}

/** Whether the signed-in user holds a permission in the current org (computed by `can()` on the server). */
export function useCan(): (permission: Permission) => boolean {
  const { permissions } = useOrgShell();
  return (permission) => permissions.includes(permission);
}

/** Permissions any of which opens the Organization section. */
export const ORGANIZATION_PERMISSIONS: readonly Permission[] = [
  "org:settings",
  "users:view",
  "suborgs:manage",
  "billing:manage",
  "audit:view",
];
