import { analyticsRoutes } from "../analytics/routes";
import { appointmentsRoutes } from "../appointments/routes";
import { auditRoutes } from "../audit/routes";
import { authRoutes } from "../auth/routes";
import { billingRoutes } from "../billing/routes";
import { customersRoutes } from "../customers/routes";
import { cylindersRoutes } from "../cylinders/routes";
import { createApi } from "../http/app";
import { unauthenticated } from "../http/errors";
import { jobsRoutes } from "../jobs/routes";
import { leaksRoutes } from "../leaks/routes";
import { orgRoutes } from "../orgs/routes";
import { refrigerantsRoutes } from "../refrigerants/routes";
import { reportsRoutes } from "../reports/routes";
import { salesRoutes } from "../sales/routes";
import { supportRoutes } from "../support/routes";
import { transfersRoutes } from "../transfers/routes";
import { unitsRoutes } from "../units/routes";
import { userRoutes } from "../users/routes";

/** Every JSON route, and the OpenAPI document generated from the zod schemas that validate them. */
export const api = createApi();
// Everything org-scoped needs a session: 401 without one, before the input is validated. Whether
// the session sent is valid is known when the handler's guard reads it (possibly in one D1 batch
// with the handler's query); a request whose input is not valid reads it first (createApi), so an
// expired session still answers 401, not 400.
api.use("/orgs/*", async (c, next) => {
  if (!c.var.session.token) throw unauthenticated();
  await next();
});
api.route("/", authRoutes);
api.route("/", orgRoutes);
api.route("/", userRoutes);
api.route("/", auditRoutes);
api.route("/", supportRoutes);
api.route("/", customersRoutes);
api.route("/", unitsRoutes);
api.route("/", refrigerantsRoutes);
api.route("/", cylindersRoutes);
api.route("/", transfersRoutes);
api.route("/", leaksRoutes);
api.route("/", reportsRoutes);
api.route("/", jobsRoutes);
api.route("/", appointmentsRoutes);
api.route("/", salesRoutes);
api.route("/", billingRoutes);
api.route("/", analyticsRoutes);

api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "RefriTrak API", version: "1.0.0", description: "Refrigerant compliance and field service." },
  // Paths are relative to where this sub-app is mounted; without it clients resolve them under "/".
  servers: [{ url: "/api" }],
});
