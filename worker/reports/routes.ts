import { createApi } from "../http/app";

/** Filled in by the reports work. */
export const reportsRoutes = createApi();
