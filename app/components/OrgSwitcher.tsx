import { useEffect, useId, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import type { ReachableOrg } from "../../worker/orgs/reach";

/** "Polar Mechanical (parent)" for a top-level org with branches in the list, else the name. */
export function orgOptionLabel(org: Pick<ReachableOrg, "id" | "name" | "parentOrgId">, orgs: readonly ReachableOrg[]) {
  const hasChildren = orgs.some((other) => other.parentOrgId === org.id);
  return org.parentOrgId === null && hasChildren ? `${org.name} (parent)` : org.name;
}

/** The same page under another org: `/o/a/organization/users` → `/o/b/organization/users`. */
export function pathInOrg(pathname: string, orgId: string) {
  const rest = pathname.replace(/^\/o\/[^/]+/, "");
  return `/o/${encodeURIComponent(orgId)}${rest}`;
}

/**
 * The global org switcher: every org the user reaches; choosing one opens the same page there,
 * so the whole app re-scopes (the current org is always in the URL). Without JavaScript the
 * small form submits `?switchOrg=` and the shell's loader redirects.
 */
export function OrgSwitcher({ orgs, currentOrgId }: { orgs: readonly ReachableOrg[]; currentOrgId: string }) {
  const navigate = useNavigate();
  const location = useLocation();
  const id = useId();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (orgs.length < 2) return null;
  return (
    <form className="org-switcher" method="get" action={location.pathname}>
      <label htmlFor={id} className="org-switcher-label">
        Organization
      </label>
      <select
        id={id}
        name="switchOrg"
        aria-label="Organization"
        value={currentOrgId}
        onChange={(event) => {
          const next = event.currentTarget.value;
          if (next !== currentOrgId) navigate(pathInOrg(location.pathname, next));
        }}
      >
        {orgs.map((org) => (
          <option key={org.id} value={org.id}>
            {orgOptionLabel(org, orgs)}
          </option>
        ))}
      </select>
      {hydrated ? null : (
        <button type="submit" className="button button-small button-secondary">
          Switch
        </button>
      )}
    </form>
  );
}
