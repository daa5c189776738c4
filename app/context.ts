import { createContext } from "react-router";
import type { RequestScope } from "../worker/policy/guards";

/** What the Worker hands every loader and action: the same request scope the API uses. */
export const requestScopeContext = createContext<RequestScope>();
