import "server-only";
import { createTRPCRouter } from "../../init";

/** Certificates (guide chapter 6): thin procedures over the services. */
export const certificateRouter = createTRPCRouter({});
