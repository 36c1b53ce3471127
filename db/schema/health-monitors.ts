import { boolean, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { pools } from "./pools";

/** Health check protocol. */
export type HealthCheckProtocol = "TCP" | "HTTP" | "UDP";

/** The health check of a backend server group (guide table 5-1); at most one per pool. */
export const healthMonitors = pgTable(
  "health_monitors",
  {
    id: idColumn(),
    poolId: text("pool_id")
      .notNull()
      .references(() => pools.id, { onDelete: "cascade" }),
    enabled: boolean("enabled").notNull().default(true),
    protocol: text("protocol").$type<HealthCheckProtocol>().notNull(),
    domainName: text("domain_name"),
    port: integer("port"),
    intervalSeconds: integer("interval_seconds").notNull().default(5),
    timeoutSeconds: integer("timeout_seconds").notNull().default(3),
    path: text("path").notNull().default("/"),
    maxRetries: integer("max_retries").notNull().default(3),
    expectedCodes: jsonb("expected_codes").$type<number[]>().notNull().default([200, 202, 401]),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [uniqueIndex("health_monitors_pool_uq").on(t.poolId)],
);
