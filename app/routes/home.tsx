import { redirect } from "react-router";
import { reachableOrgs } from "../../worker/orgs/reach";
import { requestScope } from "../lib/server";
import type { Route } from "./+types/home";

/** Signed out: the login page. Signed in: the home org's dashboard (or the first org still reached). */
export async function loader({ context }: Route.LoaderArgs) {
  const { db, auth } = requestScope(context);
  if (!auth) throw redirect("/login");
  const orgs = await reachableOrgs(db, auth.user);
  const orgId = orgs.some((org) => org.id === auth.user.orgId) ? auth.user.orgId : (orgs[0]?.id ?? auth.user.orgId);
  throw redirect(`/o/${orgId}`);
}
