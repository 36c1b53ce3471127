import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn } from "./ids";
import { regions } from "./regions";

/** A VPC: the network a load balancer lives in. */
export const vpcs = pgTable(
  "vpcs",
  {
    id: idColumn(),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    name: text("name").notNull(),
    /** CIDR block, e.g. 127.10.0.0/16. */
    cidr: text("cidr").notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("vpcs_region_name_uq").on(t.regionId, t.name)],
);

/** A subnet of a VPC; load balancer private IPs are allocated from it. */
export const subnets = pgTable(
  "subnets",
  {
    id: idColumn(),
    vpcId: text("vpc_id")
      .notNull()
      .references(() => vpcs.id),
    name: text("name").notNull(),
    cidr: text("cidr").notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("subnets_vpc_name_uq").on(t.vpcId, t.name)],
);

/** A pool of public (elastic) IP addresses that EIPs are allocated from. */
export const eipPools = pgTable(
  "eip_pools",
  {
    id: idColumn(),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    name: text("name").notNull(),
    cidr: text("cidr").notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("eip_pools_region_name_uq").on(t.regionId, t.name)],
);

