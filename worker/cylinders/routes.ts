import { createApi } from "../http/app";

/** Filled in by the cylinders work. */
export const cylindersRoutes = createApi();
