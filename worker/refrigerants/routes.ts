import { createApi } from "../http/app";

/** Filled in by the refrigerants work. */
export const refrigerantsRoutes = createApi();
