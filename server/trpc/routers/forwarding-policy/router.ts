import "server-only";
import { createTRPCRouter } from "../../init";

/** Forwarding policies of HTTP/HTTPS listeners (guide 3.8.1): thin procedures over the services. */
export const forwardingPolicyRouter = createTRPCRouter({});
