import { data, redirect } from "react-router";
import { organizationTabs } from "../components/organization/tabs";
import { pageOrgScope } from "../lib/server";
import type { Route } from "./+types/organization._index";

/** The section has no page of its own: go to the first tab this user may see. */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await pageOrgScope(context, request, params.orgId);
  const [first] = organizationTabs(scope.actor, scope.org);
  if (!first) {
    throw data(
      { error: { code: "FORBIDDEN", message: "Your role has no organization pages in this organization." } },
      { status: 403 },
    );
  }
  throw redirect(`/o/${scope.org.id}/organization/${first.path}`);
}

export default function OrganizationIndex() {
  return null;
}
