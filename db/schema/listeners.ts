import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
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
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex("listeners_lb_port_uq").on(t.loadBalancerId, t.portClass, t.port),
    uniqueIndex("listeners_default_pool_uq").on(t.defaultPoolId),
  ],
);
