import { routePartykitRequest } from "partyserver";
import { IDENTITY_HEADER, type Identity } from "../../party/protocol";
import { HttpError } from "../http/errors";
import { isSameOrigin } from "../http/origin";
import { type RequestScope, reachOf } from "../policy/guards";

/**
 * Authenticates a room connection before it reaches the Durable Object: session cookie, Origin,
 * org reach. Client-sent internal headers are stripped; the trusted identity is added.
 */
export async function routeLive(request: Request, scope: RequestScope): Promise<Response | null> {
  // PartyServer answers an unknown party with console.error and a bare 400; answer it ourselves.
  const [, party] = new URL(request.url).pathname.split("/").filter(Boolean);
  if (party !== ROOM_PARTY) return json(404, "NOT_FOUND", "No such room.");
  const stripped = new Request(request);
  for (const name of [...stripped.headers.keys()]) {
    if (name.startsWith("x-partykit-") || name.startsWith("x-refritrak-")) stripped.headers.delete(name);
  }
  return routePartykitRequest(stripped, scope.env, {
    onBeforeConnect: async (req, lobby) => {
      if (lobby.className !== "OrgRoom") return json(404, "NOT_FOUND", "No such room.");
      if (!isSameOrigin(req)) return json(403, "BAD_ORIGIN", "This connection did not come from RefriTrak.");
      const user = (await scope.session.get())?.user;
      if (!user) return json(401, "UNAUTHENTICATED", "Sign in to continue.");
      const { orgs } = await reachOf(scope, user);
      if (!orgs.some((org) => org.id === lobby.name))
        return json(403, "FORBIDDEN", "You cannot reach this organization.");
      const headers = new Headers(req.headers);
      const identity: Identity = { userId: user.id, role: user.role, orgId: lobby.name };
      headers.set(IDENTITY_HEADER, JSON.stringify(identity));
      return new Request(req, { headers });
    },
    onBeforeRequest: () => json(404, "NOT_FOUND", "Rooms accept WebSocket connections only."),
  });
}

/** `/parties/org-room/<orgId>`: PartyServer's kebab-case name of the OrgRoom binding. */
const ROOM_PARTY = "org-room";

const json = (status: number, code: string, message: string) =>
  Response.json(new HttpError(status as 400, code, message).toBody(), { status });
