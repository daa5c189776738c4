import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.tsx"),
  route("signup", "routes/signup.tsx"),
  route("logout", "routes/logout.tsx"),
  route("invite/:token", "routes/invite.tsx"),
  route("o/:orgId", "routes/org-layout.tsx", [
    index("routes/dashboard.tsx"),
    route("support", "routes/support.tsx"),
    route("organization", "routes/organization.tsx", [
      index("routes/organization._index.tsx"),
      route("users", "routes/organization.users.tsx"),
      route("settings", "routes/organization.settings.tsx"),
      route("sub-orgs", "routes/organization.sub-orgs.tsx"),
      route("billing", "routes/organization.billing.tsx"),
      route("audit-log", "routes/organization.audit-log.tsx"),
    ]),
  ]),
] satisfies RouteConfig;
