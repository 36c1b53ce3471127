import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners, loadBalancers } from "@/db/schema";
import { loadMetricTopology, type MetricTopology } from "../collector/metric-topology";

/** Names and kinds of what a scrape labels: every listener with its load balancer, every load balancer. */
export interface ScrapeInventory {
  listeners: Map<string, { name: string; protocol: string; loadBalancerId: string }>;
  loadBalancers: Map<string, string>;
  topology: MetricTopology;
}

/** Reads the inventory (three small queries per scrape; Prometheus scrapes every 15–60 s). */
export async function loadScrapeInventory(db: Database): Promise<ScrapeInventory> {
  const listenerRows = await db
    .select({ id: listeners.id, name: listeners.name, protocol: listeners.protocol, loadBalancerId: listeners.loadBalancerId })
    .from(listeners)
    .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId));
  const lbRows = await db.select({ id: loadBalancers.id, name: loadBalancers.name }).from(loadBalancers);
  return {
    listeners: new Map(listenerRows.map((l) => [l.id, { name: l.name, protocol: l.protocol, loadBalancerId: l.loadBalancerId }])),
    loadBalancers: new Map(lbRows.map((lb) => [lb.id, lb.name])),
    topology: await loadMetricTopology(db),
  };
}
