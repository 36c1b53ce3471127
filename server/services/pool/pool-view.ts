import "server-only";
import { and, asc, count, eq, inArray, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { forwardingPolicies, healthMonitors, listeners, loadBalancers, members, pools, type Algorithm, type PoolProtocol, type StickySessionType } from "@/db/schema";
import type { ClientIpTransport } from "@/db/schema/pools";
import type { ListenerProtocol } from "@/db/schema/listeners";
import type { Scope } from "../context";
import { DEFAULT_STICKINESS_MINUTES, stickinessDurationAllowed } from "./pool.schemas";
import { toHealthMonitorView, type HealthMonitorView } from "../health-monitor/health-monitor-view";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/** A backend server group as the Backend Server Groups tab shows it. */
export interface PoolView {
  id: string;
  loadBalancerId: string;
  name: string;
  description: string;
  protocol: PoolProtocol;
  algorithm: Algorithm;
  /**
   * null = Sticky Session off. durationMinutes is null where no duration can be set (Source IP hash,
   * guide 3.5); the engine then uses the default 20 min.
   */
  stickySession: { type: StickySessionType; cookieName: string | null; durationMinutes: number | null } | null;
  /** TCP/UDP: how members get the client's address when the listener has Transfer Client IP Address on (HTTP groups: the unused default). */
  clientIpTransport: ClientIpTransport;
  /** The listener using this group as its default, or null (unassociated). */
  listener: { id: string; name: string; protocol: ListenerProtocol; port: number } | null;
  /**
   * The forwarding policies sending requests to this group, in creation order (all of one listener); a
   * group is free for "Use existing" when it has neither `listener` nor policies.
   */
  forwardingPolicies: { id: string; name: string; listener: { id: string; name: string } }[];
  memberCount: number;
  /** null = no health check configured. */
  healthMonitor: HealthMonitorView | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Loads pool views of the current project, filtered by load balancer and/or id, oldest first. */
export async function queryPoolViews(db: Database, scope: Scope, filter: { loadBalancerId?: string; id?: string }): Promise<PoolView[]> {
  const clauses: SQL[] = [loadBalancerInScope(scope)];
  if (filter.loadBalancerId) clauses.push(eq(pools.loadBalancerId, filter.loadBalancerId));
  if (filter.id) clauses.push(eq(pools.id, filter.id));
  const rows = await db
    .select({ pool: pools })
    .from(pools)
    .innerJoin(loadBalancers, eq(loadBalancers.id, pools.loadBalancerId))
    .where(and(...clauses))
    .orderBy(asc(pools.createdAt), asc(pools.id));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.pool.id);
  const [listenerRows, policyRows, memberCounts, monitorRows] = await Promise.all([
    db.select().from(listeners).where(inArray(listeners.defaultPoolId, ids)),
    db
      .select({ poolId: forwardingPolicies.poolId, id: forwardingPolicies.id, name: forwardingPolicies.name, listener: { id: listeners.id, name: listeners.name } })
      .from(forwardingPolicies)
      .innerJoin(listeners, eq(listeners.id, forwardingPolicies.listenerId))
      .where(inArray(forwardingPolicies.poolId, ids))
      .orderBy(asc(forwardingPolicies.listenerId), asc(forwardingPolicies.position)),
    db.select({ poolId: members.poolId, n: count() }).from(members).where(inArray(members.poolId, ids)).groupBy(members.poolId),
    db.select().from(healthMonitors).where(inArray(healthMonitors.poolId, ids)),
  ]);
  return rows.map(({ pool }) => {
    const listener = listenerRows.find((l) => l.defaultPoolId === pool.id);
    const monitor = monitorRows.find((h) => h.poolId === pool.id);
    return {
      id: pool.id,
      loadBalancerId: pool.loadBalancerId,
      name: pool.name,
      description: pool.description,
      protocol: pool.protocol,
      algorithm: pool.algorithm,
      stickySession: pool.stickySessionType
        ? {
            type: pool.stickySessionType,
            cookieName: pool.cookieName,
            durationMinutes: stickinessDurationAllowed(pool.algorithm) ? (pool.stickinessDurationMinutes ?? DEFAULT_STICKINESS_MINUTES) : null,
          }
        : null,
      clientIpTransport: pool.clientIpTransport,
      listener: listener ? { id: listener.id, name: listener.name, protocol: listener.protocol, port: listener.port } : null,
      forwardingPolicies: policyRows.filter((p) => p.poolId === pool.id).map(({ id, name, listener }) => ({ id, name, listener })),
      memberCount: memberCounts.find((m) => m.poolId === pool.id)?.n ?? 0,
      healthMonitor: monitor ? toHealthMonitorView(monitor) : null,
      createdAt: pool.createdAt,
      updatedAt: pool.updatedAt,
    };
  });
}

/** One pool view by id within the scope, or null. */
export async function getPoolView(db: Database, scope: Scope, id: string): Promise<PoolView | null> {
  return (await queryPoolViews(db, scope, { id }))[0] ?? null;
}
