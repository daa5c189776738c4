import { createApi } from "../http/app";

/** Filled in by the customers work. */
export const customersRoutes = createApi();
