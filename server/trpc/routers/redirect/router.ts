import "server-only";
import { createTRPCRouter } from "../../init";

/** Redirects of HTTP listeners (guide 3.8.4): thin procedures over the services. */
export const redirectRouter = createTRPCRouter({});
