import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn } from "./ids";
import { projects } from "./projects";
import { eipPools } from "./networks";
import { loadBalancers } from "./load-balancers";

/** EIP type; the guide offers one: Dynamic BGP. */
export type EipType = "dynamic_bgp";

/** An elastic IP: allocated from a pool, bound to at most one load balancer. */
export const eips = pgTable(
  "eips",
  {
    id: idColumn(),
    poolId: text("pool_id")
      .notNull()
      .references(() => eipPools.id),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    address: text("address").notNull(),
    type: text("type").$type<EipType>().notNull().default("dynamic_bgp"),
    /** Bandwidth in Mbit/s. */
    bandwidthMbit: integer("bandwidth_mbit").notNull(),
    /** The load balancer it is bound to; unique: an EIP is bound to at most one load balancer. */
    loadBalancerId: text("load_balancer_id").references(() => loadBalancers.id, { onDelete: "set null" }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex("eips_address_uq").on(t.address),
    uniqueIndex("eips_load_balancer_uq").on(t.loadBalancerId),
    index("eips_pool_idx").on(t.poolId),
  ],
);
