import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { subnets } from "./networks";

/**
 * A server of the inventory: a named IPv4 address inside a subnet, offered by Add Backend Servers
 * (guide 4.3: "Select the subnet where the backend servers reside"). Deleted with its subnet; a backend
 * server (member) that was added from it keeps its address, it does not reference this row.
 */
export const servers = pgTable(
  "servers",
  {
    id: idColumn(),
    subnetId: text("subnet_id")
      .notNull()
      .references(() => subnets.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** IPv4 address inside the subnet's CIDR block. */
    address: text("address").notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [uniqueIndex("servers_subnet_address_uq").on(t.subnetId, t.address), index("servers_subnet_idx").on(t.subnetId)],
);
