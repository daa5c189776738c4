import type { CSSProperties, ReactNode } from "react";
import { Link, NavLink, Outlet, redirect, useRouteLoaderData } from "react-router";
import { publicUser } from "../../worker/auth/service";
import { getOrgSettings } from "../../worker/orgs/service";
import { can, PERMISSIONS, type Permission } from "../../worker/policy/permissions";
import { AuthLayout } from "../components/AuthLayout";
import { BrandMark, contrastText } from "../components/BrandMark";
import { errorMessage, errorTitle } from "../components/errors";
import { LiveStatus } from "../components/LiveStatus";
import { OrgSwitcher, pathInOrg } from "../components/OrgSwitcher";
import { ORGANIZATION_PERMISSIONS, type OrgShellData } from "../components/org-shell";
import { UserMenu } from "../components/UserMenu";
import { pageOrgScope } from "../lib/server";
import { LiveEventsContext, useLiveRoom } from "../live";
import type { Route } from "./+types/org-layout";

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.org.name} · RefriTrak` : "RefriTrak" },
];

/**
 * The app shell's data for every page under /o/:orgId: who is signed in, the org in the URL,
 * every org they reach (the switcher) and what they may do here, computed once with `can()`
 * so pages hide what the role cannot do.
 */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId);
  const url = new URL(request.url);
  // The switcher's no-JavaScript path: ?switchOrg=<id> opens the same page in that org.
  const switchTo = url.searchParams.get("switchOrg");
  if (switchTo !== null) {
    const target = scope.orgs.some((org) => org.id === switchTo) ? switchTo : scope.org.id;
    throw redirect(pathInOrg(url.pathname, target));
  }
  const permissions = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) =>
    can(scope.actor, permission, scope.org.id),
  );
  return {
    user: publicUser(scope.user),
    org: await getOrgSettings(scope),
    orgs: scope.orgs,
    permissions,
  };
}

/** Main navigation sections, each shown when the role holds the permission that opens it. */
const SECTIONS: { path: string; label: string; permission: Permission }[] = [
  { path: "schedule", label: "Schedule", permission: "appointments:view-all" },
  { path: "my-day", label: "My day", permission: "appointments:work-own" },
  { path: "jobs", label: "Jobs", permission: "jobs:view" },
  { path: "projects", label: "Projects", permission: "jobs:manage" },
  { path: "customers", label: "Customers", permission: "customers:view" },
  { path: "units", label: "Units", permission: "units:view" },
  { path: "cylinders", label: "Cylinders", permission: "cylinders:view-for-sale" },
  { path: "transfers", label: "Transfers", permission: "transfers:view" },
  { path: "leaks", label: "Leaks", permission: "leaks:view" },
  { path: "compliance", label: "Compliance", permission: "reports:view" },
  // Sales reps work their own leads; admins read everyone's (no role holds both).
  { path: "leads", label: "Leads", permission: "leads:own" },
  { path: "leads", label: "Leads", permission: "leads:view" },
];

function Shell({ data, children }: { data: OrgShellData; children: ReactNode }) {
  const { user, org, orgs, permissions } = data;
  const live = useLiveRoom(org.id);
  const showOrganization = ORGANIZATION_PERMISSIONS.some((permission) => permissions.includes(permission));
  const brandStyle = org.brandColor
    ? ({ "--brand": org.brandColor, "--brand-contrast": contrastText(org.brandColor) } as CSSProperties)
    : undefined;
  return (
    <div className="app-shell" data-testid="app-shell" style={brandStyle}>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to={`/o/${org.id}`} className="brand">
            <BrandMark name={org.name} color={org.brandColor} logoUrl={org.brandLogoUrl} />
            <span className="brand-text">
              <span className="brand-product">RefriTrak</span>
              <span className="brand-org">{org.name}</span>
            </span>
          </Link>
          <nav aria-label="Main" className="main-nav">
            <ul>
              <li>
                <NavLink to={`/o/${org.id}`} end>
                  Dashboard
                </NavLink>
              </li>
              {SECTIONS.filter((section) => permissions.includes(section.permission)).map((section) => (
                <li key={section.path}>
                  <NavLink to={`/o/${org.id}/${section.path}`}>{section.label}</NavLink>
                </li>
              ))}
              {showOrganization ? (
                <li>
                  <NavLink to={`/o/${org.id}/organization`}>Organization</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <OrgSwitcher orgs={orgs} currentOrgId={org.id} />
          <div className="topbar-tools">
            <LiveStatus status={live.status} />
            <UserMenu user={user} orgId={org.id} orgName={org.name} />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="app-main">
        <LiveEventsContext.Provider value={live.subscribe}>{children}</LiveEventsContext.Provider>
      </main>
    </div>
  );
}

export default function OrgLayout({ loaderData }: Route.ComponentProps) {
  return (
    <Shell data={loaderData}>
      <Outlet />
    </Shell>
  );
}

/** Errors of pages inside the shell keep the shell (and its navigation); the shell's own errors stand alone. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const data = useRouteLoaderData<typeof loader>("routes/org-layout");
  const body = (
    <>
      <h1>{errorTitle(error)}</h1>
      <p>{errorMessage(error) ?? "Please try again. If it keeps happening, contact support."}</p>
    </>
  );
  if (!data) {
    return (
      <AuthLayout>
        {body}
        <a className="button button-primary" href="/">
          Back to RefriTrak
        </a>
      </AuthLayout>
    );
  }
  return (
    <Shell data={data}>
      <div className="page page-narrow">
        <div className="card stack">
          {body}
          <Link className="button button-secondary" to={`/o/${data.org.id}`}>
            Back to the dashboard
          </Link>
        </div>
      </div>
    </Shell>
  );
}
