import { createApi } from "../http/app";

/** Filled in by the leaks work. */
export const leaksRoutes = createApi();
