import { createCallerFactory, createTRPCRouter } from "./init";
import { loadBalancerRouter } from "./routers/load-balancer/router";
import { scopeRouter } from "./routers/scope/router";

/** The console API: one flat router per resource. */
export const appRouter = createTRPCRouter({
  scope: scopeRouter,
  loadBalancer: loadBalancerRouter,
});

/** Type of the API, imported by the client. */
export type AppRouter = typeof appRouter;

/** Server-side caller (tests, server components). */
export const createCaller = createCallerFactory(appRouter);
