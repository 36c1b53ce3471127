import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { healthMonitors, listeners, members, pools } from "@/db/schema";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import type { HealthCount } from "./minute-accumulator";

/** What the collector needs of the configuration: which load balancer each listener and checked server belongs to. */
export interface MetricTopology {
  /** Every listener: its load balancer, and whether it is HTTP/HTTPS (has the L7 metrics). */
  listeners: Map<string, { loadBalancerId: string; layer7: boolean }>;
  /** Backend servers whose group has an enabled health check, by member id → load balancer id. */
  checkedMembers: Map<string, string>;
}

/** Reads the topology from the database (two small queries; cached by the collector until the configuration changes). */
export async function loadMetricTopology(db: Database): Promise<MetricTopology> {
  const listenerRows = await db.select({ id: listeners.id, loadBalancerId: listeners.loadBalancerId, protocol: listeners.protocol }).from(listeners);
  const memberRows = await db
    .select({ id: members.id, loadBalancerId: pools.loadBalancerId })
    .from(members)
    .innerJoin(pools, eq(pools.id, members.poolId))
    .innerJoin(healthMonitors, eq(healthMonitors.poolId, pools.id))
    .where(eq(healthMonitors.enabled, true));
  return {
    listeners: new Map(listenerRows.map((l) => [l.id, { loadBalancerId: l.loadBalancerId, layer7: l.protocol === "HTTP" || l.protocol === "HTTPS" }])),
    checkedMembers: new Map(memberRows.map((m) => [m.id, m.loadBalancerId])),
  };
}

/**
 * m9/ma at one moment: per load balancer, its health-checked servers the engine last reported HEALTHY or
 * UNHEALTHY. A server without a report yet, or reported NO_MONITOR, is neither. Every load balancer with
 * a checked server has an entry (0/0 when none was reported yet).
 */
export function countHealth(topology: MetricTopology, health: ReadonlyMap<string, MemberHealthReport>): Map<string, HealthCount> {
  const counts = new Map<string, HealthCount>();
  for (const [memberId, loadBalancerId] of topology.checkedMembers) {
    const count = counts.get(loadBalancerId) ?? { healthy: 0, unhealthy: 0 };
    const status = health.get(memberId)?.status;
    if (status === "HEALTHY") count.healthy += 1;
    else if (status === "UNHEALTHY") count.unhealthy += 1;
    counts.set(loadBalancerId, count);
  }
  return counts;
}
