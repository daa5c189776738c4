import { createApi } from "../http/app";

export const jobsRoutes = createApi();
