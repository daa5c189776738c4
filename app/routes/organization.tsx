import { Link, NavLink, Outlet, useParams, useRouteLoaderData } from "react-router";
import { errorMessage, errorTitle } from "../components/errors";
import { type OrganizationTab, organizationTabs } from "../components/organization/tabs";
import { pageOrgScope } from "../lib/server";
import "../organization.css";
import type { Route } from "./+types/organization";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId);
  return {
    org: { id: scope.org.id, name: scope.org.name },
    tabs: organizationTabs(scope.actor, scope.org),
  };
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Organization · ${loaderData.org.name} · RefriTrak` : "Organization · RefriTrak" }];
}

function Section({
  orgId,
  orgName,
  tabs,
  children,
}: {
  orgId: string;
  orgName?: string;
  tabs: OrganizationTab[];
  children: React.ReactNode;
}) {
  return (
    <div className="page org-section">
      <header className="page-header">
        <div>
          {orgName ? <p className="eyebrow">{orgName}</p> : null}
          <h1 className="page-title">Organization</h1>
        </div>
      </header>
      {tabs.length > 0 ? (
        <nav aria-label="Organization" className="tabs">
          <ul>
            {tabs.map((tab) => (
              <li key={tab.path}>
                <NavLink to={`/o/${orgId}/organization/${tab.path}`}>{tab.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {children}
    </div>
  );
}

export default function OrganizationLayout({ loaderData }: Route.ComponentProps) {
  const { org, tabs } = loaderData;
  return (
    <Section orgId={org.id} orgName={org.name} tabs={tabs}>
      <Outlet />
    </Section>
  );
}

/** A tab's error (403, 404…) keeps the section's heading and tabs, so the user can go elsewhere. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const data = useRouteLoaderData<typeof loader>("routes/organization");
  const params = useParams();
  const orgId = data?.org.id ?? params.orgId ?? "";
  return (
    <Section orgId={orgId} orgName={data?.org.name} tabs={data?.tabs ?? []}>
      <div className="card stack" role="alert">
        <h2>{errorTitle(error)}</h2>
        <p>{errorMessage(error) ?? "Please try again. If it keeps happening, contact support."}</p>
        <p>
          <Link className="button button-secondary" to={`/o/${orgId}`}>
            Back to the dashboard
          </Link>
        </p>
      </div>
    </Section>
  );
}
