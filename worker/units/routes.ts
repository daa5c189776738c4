import { createApi } from "../http/app";

/** Filled in by the units work. */
export const unitsRoutes = createApi();
