import type { Database } from "@/db/client";
import { eips, healthMonitors, listeners, loadBalancers, members, pools } from "@/db/schema";

/** Every row the snapshot compiler needs, read in one consistent transaction. */
export interface ConfigRows {
  loadBalancers: (typeof loadBalancers.$inferSelect)[];
  eips: (typeof eips.$inferSelect)[];
  listeners: (typeof listeners.$inferSelect)[];
  pools: (typeof pools.$inferSelect)[];
  members: (typeof members.$inferSelect)[];
  healthMonitors: (typeof healthMonitors.$inferSelect)[];
}

/** Reads the data-plane configuration of all load balancers. */
export async function loadConfigRows(db: Database): Promise<ConfigRows> {
  return db.transaction(async (tx) => ({
    loadBalancers: await tx.select().from(loadBalancers),
    eips: await tx.select().from(eips),
    listeners: await tx.select().from(listeners),
    pools: await tx.select().from(pools),
    members: await tx.select().from(members),
    healthMonitors: await tx.select().from(healthMonitors),
  }));
}
