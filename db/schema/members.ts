import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { pools } from "./pools";

/** A backend server ("member" in code): address:port with a weight 0–100. */
export const members = pgTable(
  "members",
  {
    id: idColumn(),
    poolId: text("pool_id")
      .notNull()
      .references(() => pools.id),
    name: text("name").notNull(),
    address: text("address").notNull(),
    port: integer("port").notNull(),
    weight: integer("weight").notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [uniqueIndex("members_pool_addr_port_uq").on(t.poolId, t.address, t.port), index("members_pool_idx").on(t.poolId)],
);
