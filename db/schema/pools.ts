import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { loadBalancers } from "./load-balancers";

/** Backend protocol of a backend server group. */
export type PoolProtocol = "TCP" | "UDP" | "HTTP";
/** Load balancing algorithm. */
export type Algorithm = "ROUND_ROBIN" | "LEAST_CONNECTIONS" | "SOURCE_IP";
/** How a TCP/UDP group passes the client's address when its listener has Transfer Client IP Address on. */
export type ClientIpTransport = "TRANSPARENT" | "PROXY_V1" | "PROXY_V2";
/** Sticky session type. */
export type StickySessionType = "SOURCE_IP" | "HTTP_COOKIE" | "APP_COOKIE";

/** A backend server group ("pool" in code). Sticky session columns are null when stickiness is off. */
export const pools = pgTable("pools", {
  id: idColumn(),
  loadBalancerId: text("load_balancer_id")
    .notNull()
    .references(() => loadBalancers.id),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  protocol: text("protocol").$type<PoolProtocol>().notNull(),
  algorithm: text("algorithm").$type<Algorithm>().notNull(),
  stickySessionType: text("sticky_session_type").$type<StickySessionType>(),
  cookieName: text("cookie_name"),
  stickinessDurationMinutes: integer("stickiness_duration_minutes"),
  /** Transfer Client IP Address method (TCP/UDP groups; UDP: TRANSPARENT or PROXY_V2). */
  clientIpTransport: text("client_ip_transport").$type<ClientIpTransport>().notNull().default("TRANSPARENT"),
  createdAt: createdAtColumn(),
  updatedAt: updatedAtColumn(),
});
