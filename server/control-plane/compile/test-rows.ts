import { clientIpOf, DEFAULT_CLIENT_IP_SETTINGS } from "../../services/listener/client-ip.schemas";
import type { ConfigRows } from "../load-config-rows";

/**
 * Configuration rows for compiler tests, as the database returns them: two load balancers (one public,
 * with an EIP), an HTTP listener with a sticky group, health check and two members, and a UDP listener.
 * Every row is valid; a test breaks one and checks the diagnostic.
 */
type Row<K extends keyof ConfigRows> = NonNullable<ConfigRows[K]>[number];

const at = new Date("2024-01-02T03:04:05.000Z");

/** A load balancer row. */
export const loadBalancerRow = (id: string, privateIp: string, extra: Partial<Row<"loadBalancers">> = {}): Row<"loadBalancers"> => ({
  id,
  name: `lb-${id}`,
  description: "",
  regionId: "region-1",
  projectId: "project-1",
  vpcId: "vpc-1",
  subnetId: "subnet-1",
  privateIp,
  status: "running",
  accessLogEnabled: false,
  accessLogStreamId: null,
  createdAt: at,
  updatedAt: at,
  ...extra,
});

/** A listener row. */
export const listenerRow = (id: string, loadBalancerId: string, extra: Partial<Row<"listeners">> = {}): Row<"listeners"> => ({
  id,
  loadBalancerId,
  name: `listener-${id}`,
  description: "",
  protocol: "TCP",
  port: 80,
  portClass: "STREAM",
  defaultPoolId: null,
  idleTimeoutSeconds: 300,
  serverCertificateId: null,
  http2Enabled: false,
  caCertificateId: null,
  sniEnabled: false,
  accessControlEnabled: false,
  accessControlWhitelist: [],
  ...clientIpOf(DEFAULT_CLIENT_IP_SETTINGS),
  createdAt: at,
  updatedAt: at,
  ...extra,
});

/** A backend server group row. */
export const poolRow = (id: string, loadBalancerId: string, extra: Partial<Row<"pools">> = {}): Row<"pools"> => ({
  id,
  loadBalancerId,
  name: `pool-${id}`,
  description: "",
  protocol: "TCP",
  algorithm: "ROUND_ROBIN",
  stickySessionType: null,
  cookieName: null,
  stickinessDurationMinutes: null,
  clientIpTransport: "TRANSPARENT",
  createdAt: at,
  updatedAt: at,
  ...extra,
});

/** A backend server row. */
export const memberRow = (id: string, poolId: string, extra: Partial<Row<"members">> = {}): Row<"members"> => ({
  id,
  poolId,
  name: `member-${id}`,
  address: "127.0.0.1",
  port: 8080,
  weight: 1,
  createdAt: at,
  updatedAt: at,
  ...extra,
});

/** A health check row. */
export const healthMonitorRow = (id: string, poolId: string, extra: Partial<Row<"healthMonitors">> = {}): Row<"healthMonitors"> => ({
  id,
  poolId,
  enabled: true,
  protocol: "TCP",
  domainName: null,
  port: null,
  intervalSeconds: 5,
  timeoutSeconds: 3,
  path: "/",
  maxRetries: 3,
  expectedCodes: [200, 202, 401],
  createdAt: at,
  updatedAt: at,
  ...extra,
});

/** An EIP row. */
export const eipRow = (id: string, address: string, loadBalancerId: string | null, extra: Partial<Row<"eips">> = {}): Row<"eips"> => ({
  id,
  poolId: "eip-pool-1",
  projectId: "project-1",
  address,
  type: "dynamic_bgp",
  bandwidthMbit: 10,
  loadBalancerId,
  createdAt: at,
  ...extra,
});

/** A valid configuration touching every compiler; fresh arrays on every call (tests may change them). */
export function validRows(): ConfigRows {
  return {
    loadBalancers: [loadBalancerRow("lb-b", "127.10.0.6"), loadBalancerRow("lb-a", "127.10.0.5")],
    eips: [eipRow("eip-2", "127.20.0.9", null), eipRow("eip-1", "127.20.0.8", "lb-a", { bandwidthMbit: 20 })],
    listeners: [
      listenerRow("l-udp", "lb-b", { protocol: "UDP", port: 53, portClass: "UDP", defaultPoolId: "p-udp" }),
      listenerRow("l-http", "lb-a", { protocol: "HTTP", port: 8080, defaultPoolId: "p-http", idleTimeoutSeconds: 60 }),
      listenerRow("l-bare", "lb-a", { port: 9000 }),
    ],
    pools: [
      poolRow("p-udp", "lb-b", { protocol: "UDP", algorithm: "SOURCE_IP", stickySessionType: "SOURCE_IP" }),
      poolRow("p-http", "lb-a", { protocol: "HTTP", stickySessionType: "APP_COOKIE", cookieName: "SID", stickinessDurationMinutes: 120 }),
    ],
    members: [
      memberRow("m-2", "p-http", { address: "127.0.0.2", port: 9002, weight: 0 }),
      memberRow("m-1", "p-http", { address: "127.0.0.1", port: 9001, weight: 3 }),
      memberRow("m-3", "p-udp", { address: "127.0.0.3", port: 5353 }),
    ],
    healthMonitors: [
      healthMonitorRow("h-http", "p-http", { protocol: "HTTP", domainName: "www.example.com", path: "/health", intervalSeconds: 2, timeoutSeconds: 7 }),
      healthMonitorRow("h-udp", "p-udp", { protocol: "UDP", enabled: false }),
    ],
    certificates: [],
    listenerSniCertificates: [],
    redirects: [],
    forwardingPolicies: [],
  };
}
