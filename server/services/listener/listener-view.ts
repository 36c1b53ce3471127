import "server-only";
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { healthMonitors, listeners, loadBalancers, pools, type Algorithm, type HealthCheckProtocol, type PoolProtocol } from "@/db/schema";
import type { ListenerProtocol } from "@/db/schema/listeners";
import type { ClientIpTransport } from "@/db/schema/pools";
import type { Scope } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";
import { loadListenerDetails, type ListenerDetails } from "./listener-details";

/** A listener as the Listeners tab and the listener details page show it. */
export interface ListenerView extends ListenerDetails {
  id: string;
  loadBalancerId: string;
  name: string;
  description: string;
  protocol: ListenerProtocol;
  port: number;
  /** Its default backend server group, or null; `clientIpTransport` says how Transfer Client IP Address reaches its members. */
  pool: { id: string; name: string; protocol: PoolProtocol; algorithm: Algorithm; clientIpTransport: ClientIpTransport } | null;
  /** The group's health check: null = none configured. */
  healthCheck: { enabled: boolean; protocol: HealthCheckProtocol } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Loads listener views of the current project, by load balancer and/or id, in port order. */
export async function queryListenerViews(db: Database, scope: Scope, filter: { loadBalancerId?: string; id?: string }): Promise<ListenerView[]> {
  const clauses: SQL[] = [loadBalancerInScope(scope)];
  if (filter.loadBalancerId) clauses.push(eq(listeners.loadBalancerId, filter.loadBalancerId));
  if (filter.id) clauses.push(eq(listeners.id, filter.id));
  const rows = await db
    .select({ listener: listeners, pool: pools })
    .from(listeners)
    .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId))
    .leftJoin(pools, eq(pools.id, listeners.defaultPoolId))
    .where(and(...clauses))
    .orderBy(asc(listeners.port), asc(listeners.protocol), asc(listeners.id));
  const poolIds = rows.flatMap((r) => (r.pool ? [r.pool.id] : []));
  const monitors = poolIds.length ? await db.select().from(healthMonitors).where(inArray(healthMonitors.poolId, poolIds)) : [];
  const details = await loadListenerDetails(
    db,
    rows.map((r) => r.listener),
  );
  return rows.map(({ listener, pool }) => {
    const monitor = pool ? monitors.find((m) => m.poolId === pool.id) : undefined;
    return {
      id: listener.id,
      loadBalancerId: listener.loadBalancerId,
      name: listener.name,
      description: listener.description,
      protocol: listener.protocol,
      port: listener.port,
      pool: pool ? { id: pool.id, name: pool.name, protocol: pool.protocol, algorithm: pool.algorithm, clientIpTransport: pool.clientIpTransport } : null,
      healthCheck: monitor ? { enabled: monitor.enabled, protocol: monitor.protocol } : null,
      ...details.get(listener.id)!,
      createdAt: listener.createdAt,
      updatedAt: listener.updatedAt,
    };
  });
}

/** One listener view by id within the scope, or null. */
export async function getListenerView(db: Database, scope: Scope, id: string): Promise<ListenerView | null> {
  return (await queryListenerViews(db, scope, { id }))[0] ?? null;
}
