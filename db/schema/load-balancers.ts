import { boolean, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { regions } from "./regions";
import { projects } from "./projects";
import { subnets, vpcs } from "./networks";
import { logStreams } from "./access-logs";

/** Network type of a load balancer (guide 2.1): public when an EIP is bound, private otherwise. */
export type NetworkType = "public" | "private";

/** Provisioning status shown in the list. */
export type LoadBalancerStatus = "running" | "stopped";

/**
 * A load balancer: a private IP (VIP) in a subnet, optionally an EIP (see `eips.loadBalancerId`).
 * Its network type is derived, not stored: binding an EIP makes a private load balancer public.
 */
export const loadBalancers = pgTable(
  "load_balancers",
  {
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    vpcId: text("vpc_id")
      .notNull()
      .references(() => vpcs.id),
    subnetId: text("subnet_id")
      .notNull()
      .references(() => subnets.id),
    privateIp: text("private_ip").notNull(),
    status: text("status").$type<LoadBalancerStatus>().notNull().default("running"),
    /** Configure Access Log (guide chapter 7): records of this load balancer's HTTP/HTTPS requests go to `accessLogStreamId`. */
    accessLogEnabled: boolean("access_log_enabled").notNull().default(false),
    /** The log stream (and through it the log group) access logs go to; kept when logging is disabled. */
    accessLogStreamId: text("access_log_stream_id").references(() => logStreams.id),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    // Globally unique: every VIP is bound on this host, whatever VPC or region it belongs to.
    uniqueIndex("load_balancers_private_ip_uq").on(t.privateIp),
    index("load_balancers_project_idx").on(t.projectId),
  ],
);

/** A tag of a load balancer (guide table 2-2): unique key per load balancer. */
export const loadBalancerTags = pgTable(
  "load_balancer_tags",
  {
    loadBalancerId: text("load_balancer_id")
      .notNull()
      .references(() => loadBalancers.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.loadBalancerId, t.key] })],
);
