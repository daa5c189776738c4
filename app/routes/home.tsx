import { redirect } from "react-router";
import { reachOf } from "../../worker/policy/guards";
import { requestScope } from "../lib/server";
import type { Route } from "./+types/home";

/** Signed out: the login page. Signed in: the home org's dashboard (or the first org still reached). */
export async function loader({ context }: Route.LoaderArgs) {
  const scope = requestScope(context);
  const auth = await scope.session.get();
  if (!auth) throw redirect("/login");
  const { orgs } = await reachOf(scope, auth.user);
  const orgId = orgs.some((org) => org.id === auth.user.orgId) ? auth.user.orgId : (orgs[0]?.id ?? auth.user.orgId);
  throw redirect(`/o/${orgId}`);
}
