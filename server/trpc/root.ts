import "server-only";
import { createCallerFactory, createTRPCRouter } from "./init";
import { loadBalancerRouter } from "./routers/load-balancer/router";
import { scopeRouter } from "./routers/scope/router";
import { vpcRouter } from "./routers/vpc/router";
import { subnetRouter } from "./routers/subnet/router";
import { eipPoolRouter } from "./routers/eip-pool/router";
import { eipRouter } from "./routers/eip/router";
import { regionRouter } from "./routers/region/router";
import { projectRouter } from "./routers/project/router";
import { userRouter } from "./routers/user/router";
import { traceRouter } from "./routers/trace/router";
import { engineRouter } from "./routers/engine/router";
import { listenerRouter } from "./routers/listener/router";
import { poolRouter } from "./routers/pool/router";
import { memberRouter } from "./routers/member/router";
import { healthMonitorRouter } from "./routers/health-monitor/router";
import { serverRouter } from "./routers/server/router";
import { certificateRouter } from "./routers/certificate/router";
import { redirectRouter } from "./routers/redirect/router";
import { forwardingPolicyRouter } from "./routers/forwarding-policy/router";
import { clientIpTestRouter } from "./routers/client-ip-test/router";
import { metricsRouter } from "./routers/metrics/router";
import { alarmRuleRouter } from "./routers/alarm-rule/router";
import { logGroupRouter } from "./routers/log-group/router";
import { logStreamRouter } from "./routers/log-stream/router";
import { accessLogRouter } from "./routers/access-log/router";

/** The console API: one flat router per resource. */
export const appRouter = createTRPCRouter({
  scope: scopeRouter,
  loadBalancer: loadBalancerRouter,
  vpc: vpcRouter,
  subnet: subnetRouter,
  eipPool: eipPoolRouter,
  eip: eipRouter,
  region: regionRouter,
  project: projectRouter,
  user: userRouter,
  trace: traceRouter,
  engine: engineRouter,
  listener: listenerRouter,
  pool: poolRouter,
  member: memberRouter,
  healthMonitor: healthMonitorRouter,
  server: serverRouter,
  certificate: certificateRouter,
  redirect: redirectRouter,
  forwardingPolicy: forwardingPolicyRouter,
  clientIpTest: clientIpTestRouter,
  metrics: metricsRouter,
  alarmRule: alarmRuleRouter,
  logGroup: logGroupRouter,
  logStream: logStreamRouter,
  accessLog: accessLogRouter,
});

/** Type of the API, imported by the client. */
export type AppRouter = typeof appRouter;

/** Server-side caller (tests, server components). */
export const createCaller = createCallerFactory(appRouter);
