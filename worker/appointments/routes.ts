import { createApi } from "../http/app";

export const appointmentsRoutes = createApi();
