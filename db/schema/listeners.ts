import { boolean, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { certificates } from "./certificates";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { loadBalancers } from "./load-balancers";
import { pools } from "./pools";

/** Frontend protocol of a listener. */
export type ListenerProtocol = "TCP" | "UDP" | "HTTP" | "HTTPS";
/** X-Forwarded-For handling of an HTTP/HTTPS listener: append the client (default), replace the client's chain, remove. */
export type XForwardedForMode = "APPEND" | "REPLACE" | "REMOVE";
/** Where an HTTP/HTTPS listener takes the real client address from when the peer is trusted. */
export type RealIpHeader = "NONE" | "X_FORWARDED_FOR" | "X_REAL_IP" | "PROXY_PROTOCOL";

/**
 * A listener: frontend protocol/port on a load balancer, forwarding to its default backend server group.
 * `portClass` is "UDP" for UDP and "STREAM" for TCP/HTTP/HTTPS: the unique index on (LB, portClass, port)
 * enforces guide 3.2 (ports unique across TCP/HTTP/HTTPS, UDP may share a port with them).
 * A backend server group is the default group of at most one listener (unique `defaultPoolId`): deleting
 * a listener deletes its group with it (guide 3.7), so no other listener may depend on that group.
 */
export const listeners = pgTable(
  "listeners",
  {
    id: idColumn(),
    loadBalancerId: text("load_balancer_id")
      .notNull()
      .references(() => loadBalancers.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    protocol: text("protocol").$type<ListenerProtocol>().notNull(),
    port: integer("port").notNull(),
    portClass: text("port_class").$type<"UDP" | "STREAM">().notNull(),
    defaultPoolId: text("default_pool_id").references(() => pools.id),
    idleTimeoutSeconds: integer("idle_timeout_seconds").notNull().default(300),
    /** HTTPS: the Server Certificate (required for HTTPS, null otherwise). */
    serverCertificateId: text("server_certificate_id").references(() => certificates.id),
    /** HTTPS Advanced Settings: HTTP/2 (ALPN h2 with HTTP/1.1 fallback). */
    http2Enabled: boolean("http2_enabled").notNull().default(false),
    /** HTTPS Advanced Settings: Mutual Authentication is on exactly when a CA Certificate is set. */
    caCertificateId: text("ca_certificate_id").references(() => certificates.id),
    /** HTTPS: SNI on; the certificates are in listener_sni_certificates. */
    sniEnabled: boolean("sni_enabled").notNull().default(false),
    /** Access Control (guide 3.6): disabled admits everyone; enabled admits the whitelist only (empty = nobody). */
    accessControlEnabled: boolean("access_control_enabled").notNull().default(false),
    /** Whitelist: up to 300 IPv4 addresses or CIDR blocks, in the order entered. */
    accessControlWhitelist: jsonb("access_control_whitelist").$type<string[]>().notNull().default([]),
    /** TCP/UDP: Transfer Client IP Address (seed 000); the default group's clientIpTransport says how. */
    transferClientIp: boolean("transfer_client_ip").notNull().default(false),
    /** TCP/HTTP/HTTPS: Proxy Protocol Accept (v1/v2 detected per connection, from trusted peers only). */
    proxyProtocolAccept: boolean("proxy_protocol_accept").notNull().default(false),
    /** Trusted IPs: IPv4/IPv6 addresses and CIDR blocks of proxies in front, in the order entered. */
    trustedIps: jsonb("trusted_ips").$type<string[]>().notNull().default([]),
    /** HTTP/HTTPS: X-Forwarded-For mode. */
    xForwardedForMode: text("x_forwarded_for_mode").$type<XForwardedForMode>().notNull().default("APPEND"),
    /** HTTP/HTTPS: keep a client's X-Forwarded-For chain only when the peer is a trusted IP (else replace). */
    xForwardedForTrustedOnly: boolean("x_forwarded_for_trusted_only").notNull().default(false),
    /** HTTP/HTTPS: send X-Forwarded-Proto / -Port / -Host and X-Real-IP. */
    xForwardedProto: boolean("x_forwarded_proto").notNull().default(true),
    xForwardedPort: boolean("x_forwarded_port").notNull().default(false),
    xForwardedHost: boolean("x_forwarded_host").notNull().default(false),
    xRealIp: boolean("x_real_ip").notNull().default(false),
    /** HTTP/HTTPS: Real IP Header and Real IP Recursive (nginx realip semantics, trusted peers only). */
    realIpHeader: text("real_ip_header").$type<RealIpHeader>().notNull().default("NONE"),
    realIpRecursive: boolean("real_ip_recursive").notNull().default(false),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex("listeners_lb_port_uq").on(t.loadBalancerId, t.portClass, t.port),
    uniqueIndex("listeners_default_pool_uq").on(t.defaultPoolId),
  ],
);
