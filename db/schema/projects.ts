import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn } from "./ids";

/** Default quota of load balancers per enterprise project (guide 10.2.2.3). */
export const DEFAULT_LOAD_BALANCER_QUOTA = 50;
/** Default quota of listeners per enterprise project, shared by all its load balancers (guide 10.2.2.3). */
export const DEFAULT_LISTENER_QUOTA = 100;

/** An enterprise project: groups resources; carries the quotas. */
export const projects = pgTable(
  "projects",
  {
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    loadBalancerQuota: integer("load_balancer_quota").notNull().default(DEFAULT_LOAD_BALANCER_QUOTA),
    listenerQuota: integer("listener_quota").notNull().default(DEFAULT_LISTENER_QUOTA),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("projects_name_uq").on(t.name)],
);
