import { redirect } from "react-router";
import { logout } from "../../worker/auth/service";
import { blankSessionCookie } from "../../worker/auth/session";
import { requestScope } from "../lib/server";
import type { Route } from "./+types/logout";

/** Logging out is a POST (the user menu's form); a stray GET just goes home. */
export function loader() {
  return redirect("/");
}

export async function action({ context, request }: Route.ActionArgs) {
  const { db, session } = requestScope(context);
  await logout(db, await session.get());
  return redirect("/login", { headers: { "Set-Cookie": blankSessionCookie(request.url) } });
}
