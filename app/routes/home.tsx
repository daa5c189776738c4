import { redirect } from "react-router";
import { requestScopeContext } from "../context";
import type { Route } from "./+types/home";

export function loader({ context }: Route.LoaderArgs) {
  const scope = context.get(requestScopeContext);
  if (!scope.auth) throw redirect("/login");
  return { name: scope.auth.user.name };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  return <main className="page">Hello {loaderData.name}</main>;
}
