import { createApi } from "../http/app";

/** Filled in by the transfers work. */
export const transfersRoutes = createApi();
