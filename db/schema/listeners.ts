import { boolean, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { certificates } from "./certificates";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { loadBalancers } from "./load-balancers";
import { pools } from "./pools";

/** Frontend protocol of a listener. */
export type ListenerProtocol = "TCP" | "UDP" | "HTTP" | "HTTPS";

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
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex("listeners_lb_port_uq").on(t.loadBalancerId, t.portClass, t.port),
    uniqueIndex("listeners_default_pool_uq").on(t.defaultPoolId),
  ],
);
