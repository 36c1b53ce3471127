/**
 * The snapshot: the whole data-plane configuration the console compiles and the engine applies
 * atomically. Plain data only (it crosses a process boundary as JSON), versioned and content-hashed.
 * The engine imports nothing from app/, server/ or db/; the console's compiler produces exactly this.
 */

/** Frontend protocol of a listener. */
export type ListenerProtocol = "TCP" | "UDP" | "HTTP" | "HTTPS";

/** Backend protocol of a backend server group. */
export type PoolProtocol = "TCP" | "UDP" | "HTTP";

/** Load balancing algorithm: weighted round robin, weighted least connections, source IP hash. */
export type Algorithm = "ROUND_ROBIN" | "LEAST_CONNECTIONS" | "SOURCE_IP";

/** Sticky session type: source IP address (L4), load balancer cookie, application cookie (L7). */
export type StickySessionType = "SOURCE_IP" | "HTTP_COOKIE" | "APP_COOKIE";

/**
 * How a TCP/UDP group passes the client's address to its members (Transfer Client IP Address):
 * the client's address as the source address of the engine's backend connection (IP_TRANSPARENT), or a
 * PROXY protocol header (HAProxy's doc/proxy-protocol.txt) v1 (TCP only) or v2 (TCP; UDP with DGRAM).
 */
export type ClientIpTransport = "TRANSPARENT" | "PROXY_V1" | "PROXY_V2";

/** X-Forwarded-For handling: append the client to the chain, replace the client's chain by the client, remove it. */
export type XForwardedForMode = "APPEND" | "REPLACE" | "REMOVE";

/** Where an HTTP/HTTPS listener takes the real client address from, for trusted peers only. */
export type RealIpHeader = "NONE" | "X_FORWARDED_FOR" | "X_REAL_IP" | "PROXY_PROTOCOL";

/** Health check protocol; UDP listeners probe with UDP. */
export type HealthCheckProtocol = "TCP" | "HTTP" | "UDP";

/** One complete configuration, applied as a unit. */
export interface Snapshot {
  /**
   * Identity of the configuration source (the console's database). Versions only compare within one
   * epoch: a snapshot from another epoch (database switched or restored) replaces the held one whatever
   * its version.
   */
  epoch: string;
  /** Monotonically increasing within an epoch; the engine ignores a same-epoch snapshot that is not newer. */
  version: number;
  /**
   * sha256 (hex) of the canonical JSON of `listeners` and `pools` (and `addressLimits`, `certificates`,
   * `accessLogGroups` when not empty); equal hash = nothing to change.
   */
  hash: string;
  /** ISO time the console compiled it. */
  createdAt: string;
  listeners: SnapshotListener[];
  pools: SnapshotPool[];
  /**
   * Bandwidth limits of addresses (a public load balancer's EIP), one per address: traffic sent to
   * clients through that address, by all listeners bound on it, shares the limit. Addresses not listed
   * (private IPs) are unlimited. Absent in snapshots from before limits existed = none.
   */
  addressLimits?: SnapshotAddressLimit[];
  /**
   * The certificates HTTPS listeners use (server, SNI and CA certificates), each once, in id order.
   * Absent = none.
   */
  certificates?: SnapshotCertificate[];
  /**
   * Every log group that exists (guide chapter 7), in id order, with its retention — also those no
   * listener logs into any more (access logging disabled), whose files must still age out. The engine
   * applies each group's limits to its folder and deletes the folders of groups not listed (deleted
   * groups). The console always sends it, [] when there are no log groups. Absent (a snapshot file
   * written by hand, an older console): only the groups of the listeners' `accessLog` are pruned and
   * no folder is deleted.
   */
  accessLogGroups?: SnapshotAccessLogGroup[];
}

/** Retention of one log group's access-log files (all its streams). */
export interface SnapshotAccessLogGroup {
  groupId: string;
  /** Files whose hour ended more than this many days ago are deleted. */
  retentionDays: number;
  /** The group's files are trimmed, oldest hour first, beyond this many bytes. */
  maxBytes: number;
}

/**
 * A certificate as the engine needs it. `certificatePem` is the PEM chain, leaf first (a CA certificate:
 * one or more trusted CA certificates). `privateKeySealed` is the server certificate's private key sealed
 * with AES-256-GCM (`protocol/sealed-secret.ts`): the snapshot, also persisted by the engine, never holds
 * a key in clear; the engine opens it with the secret key (ELB_SECRET_KEY or ELB_SECRET_KEY_FILE).
 */
export interface SnapshotCertificate {
  id: string;
  type: "SERVER" | "CA";
  certificatePem: string;
  /** null for a CA certificate. */
  privateKeySealed: string | null;
  /** The domain a server certificate serves under SNI (exact, or a wildcard "*.example.com"); null = none. */
  domainName: string | null;
}

/** TLS settings of an HTTPS listener. */
export interface SnapshotListenerTls {
  /** The Server Certificate: served when SNI is off or no SNI certificate matches the client's server name. */
  certificateId: string;
  /** SNI certificates (SNI enabled), each with a domain name; empty = SNI off. */
  sniCertificateIds: string[];
  /** Mutual Authentication: clients must present a certificate signed by this CA certificate; null = off. */
  caCertificateId: string | null;
  /** HTTP/2: offer ALPN "h2" before "http/1.1". */
  http2: boolean;
}

/** Access Control of a listener when enabled (guide 3.6): only these IPv4 addresses/CIDRs get in; [] = nobody. */
export interface SnapshotAccessControl {
  whitelist: string[];
}

/** A redirected HTTP listener (guide 3.8.4): every request gets 301 to https://<host>:<port><path>?<query>. */
export interface SnapshotRedirect {
  /** Port of the target HTTPS listener. */
  port: number;
}

/** URL Matching Rule (table 3-7). */
export type UrlMatchRule = "EXACT" | "PREFIX" | "REGEX";

/**
 * A forwarding policy (guide 3.8.1): Host equal to `domainName` (when set) and path matching `url` by
 * `match` (when set) → `poolId`. The listener's list is in creation order.
 */
export interface SnapshotForwardingPolicy {
  id: string;
  domainName: string | null;
  url: string | null;
  match: UrlMatchRule;
  poolId: string;
}

/** The egress bandwidth of one address (an EIP's "Bandwidth"), 1–2000 Mbit/s. */
export interface SnapshotAddressLimit {
  address: string;
  megabitsPerSecond: number;
}

/** A listener bound on every address of its load balancer (private IP, and EIP when bound). */
export interface SnapshotListener {
  id: string;
  name: string;
  loadBalancerId: string;
  protocol: ListenerProtocol;
  port: number;
  /** Addresses to bind, e.g. ["127.10.0.5", "127.20.0.9"]. */
  bindAddresses: string[];
  /** Backend server group receiving the traffic; null = no group yet (HTTP answers 503, TCP/UDP close). */
  defaultPoolId: string | null;
  /** Idle timeout in seconds; default 300 for TCP (guide), 60 for HTTP keep-alive, 300 for UDP sessions. */
  idleTimeoutSeconds: number;
  /** HTTPS only: certificates, SNI, mutual authentication, HTTP/2. Absent/null for other protocols. */
  tls?: SnapshotListenerTls | null;
  /** Access Control enabled; absent/null = disabled (everyone admitted). */
  accessControl?: SnapshotAccessControl | null;
  /** HTTP only: redirected to an HTTPS listener; everything else but access control is then inactive. */
  redirect?: SnapshotRedirect | null;
  /** HTTP/HTTPS: forwarding policies in creation order; absent = none. Their pools are in `pools`. */
  forwardingPolicies?: SnapshotForwardingPolicy[];
  /**
   * How the listener receives the client's address from a proxy in front (PROXY protocol accept,
   * trusted IPs, real IP header) and, for HTTP/HTTPS, which X-Forwarded-* fields it sends. Absent/null =
   * `DEFAULT_CLIENT_IP`: accept off, nobody trusted, X-Forwarded-For appended, X-Forwarded-Proto sent.
   */
  clientIp?: SnapshotClientIp | null;
  /**
   * Access logging (guide chapter 7) of an HTTP/HTTPS listener whose load balancer has it enabled: every
   * request becomes one table 7-1 record in the log stream's files (and its syslog server). Absent/null = off.
   */
  accessLog?: SnapshotAccessLog | null;
}

/** Where and how a listener's access-log records go; the constant fields of table 7-1 are compiled here once. */
export interface SnapshotAccessLog {
  /** Log stream id: the records' folder and table 7-1's access_log_topic_id. */
  streamId: string;
  /** Log group id (retention applies per group). */
  groupId: string;
  /** tenant_id: the load balancer's project id. */
  tenantId: string;
  /** The load balancer's EIP (eip_address), null when none is bound ("-"). */
  eipAddress: string | null;
  /** Retention of the log group: records older than this many days are deleted. */
  retentionDays: number;
  /** Retention of the log group: its files are trimmed (oldest first) beyond this many bytes. */
  maxBytes: number;
  /** Forward every record to a syslog server too (RFC 5424); null = files only. */
  syslog: SnapshotSyslogTarget | null;
}

/** A syslog server on the standard transport: RFC 5424 messages over UDP (one per datagram) or TCP (RFC 6587 octet counting). */
export interface SnapshotSyslogTarget {
  protocol: "UDP" | "TCP";
  host: string;
  port: number;
}

/**
 * Client IP settings of a listener (issue 10; seeds 001, 003, 004 and guide 10.7).
 * Trust is decided on an address the engine has verified, never on a claimed one: the PROXY header is
 * accepted from a TCP peer in `trustedIps`; X-Forwarded-For / X-Real-IP are believed from a client in
 * `trustedIps` — the TCP peer, or the client a trusted PROXY header named (not the L4 proxy itself).
 */
export interface SnapshotClientIp {
  /**
   * TCP/HTTP/HTTPS: PROXY protocol v1/v2 detected on each connection (HAProxy `accept-proxy`). A peer in
   * `trustedIps` must send a header (its source address then replaces the peer's everywhere downstream:
   * access control, source-IP hash and stickiness, X-Forwarded-For, X-Real-IP, PROXY sent on, logs);
   * an untrusted peer that sends one, or any malformed header, is closed; an untrusted peer without one
   * is an ordinary client.
   */
  proxyProtocolAccept: boolean;
  /** IPv4/IPv6 addresses and CIDR blocks of trusted proxies in front ("Trusted IPs"). */
  trustedIps: string[];
  /** HTTP/HTTPS: X-Forwarded-For mode. */
  xForwardedFor: XForwardedForMode;
  /** HTTP/HTTPS, APPEND: keep the client's chain only when the peer is trusted (else replace it). */
  xForwardedForTrustedOnly: boolean;
  /** HTTP/HTTPS: send X-Forwarded-Proto, X-Forwarded-Port, X-Forwarded-Host, X-Real-IP. */
  xForwardedProto: boolean;
  xForwardedPort: boolean;
  xForwardedHost: boolean;
  xRealIp: boolean;
  /** HTTP/HTTPS: the real client address from this header when the peer is trusted (PROXY_PROTOCOL needs accept). */
  realIpHeader: RealIpHeader;
  /** nginx `real_ip_recursive`: the client is the last address of the chain that is not trusted (else the last one). */
  realIpRecursive: boolean;
}

/** The settings of a listener whose snapshot has no `clientIp`. */
export const DEFAULT_CLIENT_IP: Readonly<SnapshotClientIp> = Object.freeze({
  proxyProtocolAccept: false,
  trustedIps: [],
  xForwardedFor: "APPEND",
  xForwardedForTrustedOnly: false,
  xForwardedProto: true,
  xForwardedPort: false,
  xForwardedHost: false,
  xRealIp: false,
  realIpHeader: "NONE",
  realIpRecursive: false,
});

/** A backend server group with its members, balancing algorithm, stickiness and health check. */
export interface SnapshotPool {
  id: string;
  name: string;
  loadBalancerId: string;
  protocol: PoolProtocol;
  algorithm: Algorithm;
  /** null = sticky sessions disabled. */
  stickySession: SnapshotStickySession | null;
  members: SnapshotMember[];
  /** null = no health check configured, or disabled: every member counts as healthy. */
  healthMonitor: SnapshotHealthMonitor | null;
  /**
   * TCP/UDP groups whose listener has Transfer Client IP Address on: how the client's address reaches the
   * members (every backend connection / UDP session, and the health probes of a PROXY group send a header
   * too: v2 LOCAL, v1 `PROXY UNKNOWN`). Absent/null = off: members see the engine's address.
   */
  transferClientIp?: ClientIpTransport | null;
}

/** Sticky session settings of a pool. */
export interface SnapshotStickySession {
  type: StickySessionType;
  /** Application cookie name (APP_COOKIE only). */
  cookieName: string | null;
  /** Stickiness duration in minutes: L4 1–60, L7 1–1440; default 20. */
  durationMinutes: number;
}

/** A backend server: an IP:port target with a weight 0–100 (0 receives no traffic). */
export interface SnapshotMember {
  id: string;
  name: string;
  address: string;
  port: number;
  weight: number;
}

/** Health check settings (guide table 5-1). */
export interface SnapshotHealthMonitor {
  protocol: HealthCheckProtocol;
  /** Host header for HTTP checks; null = the member's address. */
  domainName: string | null;
  /** null = each member's own port. */
  port: number | null;
  intervalSeconds: number;
  /** Already clamped to ≤ intervalSeconds by the console. */
  timeoutSeconds: number;
  /** HTTP check path, starts with "/". */
  path: string;
  /** Consecutive results needed to flip a member's state (1–10). */
  maxRetries: number;
  /** HTTP status codes that mean healthy; default [200, 202, 401]. */
  expectedCodes: number[];
}

/** Member health as the engine reports it to the console. */
export type MemberHealth = "HEALTHY" | "UNHEALTHY" | "NO_MONITOR";
