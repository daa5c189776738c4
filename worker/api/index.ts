import { authRoutes } from "../auth/routes";
import { createApi } from "../http/app";

/** Every JSON route, and the OpenAPI document generated from the zod schemas that validate them. */
export const api = createApi();
api.route("/", authRoutes);

api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "RefriTrak API", version: "1.0.0", description: "Refrigerant compliance and field service." },
});
