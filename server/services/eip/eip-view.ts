import "server-only";
import { and, count, eq, ilike, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eipPools, eips, loadBalancers, projects, type EipType } from "@/db/schema";
import { containsPattern } from "../like-pattern";

/** An EIP as the EIP list shows it. `name` is its address: an EIP is known by it (traces, messages). */
export interface EipView {
  id: string;
  name: string;
  address: string;
  type: EipType;
  bandwidthMbit: number;
  poolId: string;
  poolName: string;
  projectId: string;
  projectName: string;
  /** The bound load balancer, or null when unbound. */
  loadBalancer: { id: string; name: string } | null;
  createdAt: Date;
}

/** Loads EIP views matching `where` (over eips/eip_pools), addresses in numeric order. */
export async function queryEipViews(db: Database, where: SQL | undefined, page?: { page: number; pageSize: number }): Promise<{ items: EipView[]; total: number }> {
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(eips).innerJoin(eipPools, eq(eipPools.id, eips.poolId)).where(where);
  let query = db
    .select({ eip: eips, poolName: eipPools.name, projectName: projects.name, lbName: loadBalancers.name })
    .from(eips)
    .innerJoin(eipPools, eq(eipPools.id, eips.poolId))
    .innerJoin(projects, eq(projects.id, eips.projectId))
    .leftJoin(loadBalancers, eq(loadBalancers.id, eips.loadBalancerId))
    .where(where)
    .orderBy(sql`${eips.address}::inet`)
    .$dynamic();
  if (page) query = query.limit(page.pageSize).offset((page.page - 1) * page.pageSize);
  const rows = await query;
  const items = rows.map(({ eip, poolName, projectName, lbName }) => ({
    id: eip.id,
    name: eip.address,
    address: eip.address,
    type: eip.type,
    bandwidthMbit: eip.bandwidthMbit,
    poolId: eip.poolId,
    poolName,
    projectId: eip.projectId,
    projectName,
    loadBalancer: eip.loadBalancerId ? { id: eip.loadBalancerId, name: lbName ?? eip.loadBalancerId } : null,
    createdAt: eip.createdAt,
  }));
  return { items, total };
}

/** WHERE clause: EIPs of the region and project, optionally of one pool and with an address containing `address`. */
export function eipFilter(scope: { regionId: string; projectId: string }, filters: { poolId?: string; address?: string; id?: string }): SQL | undefined {
  return and(
    eq(eipPools.regionId, scope.regionId),
    eq(eips.projectId, scope.projectId),
    filters.poolId ? eq(eips.poolId, filters.poolId) : undefined,
    filters.address ? ilike(eips.address, containsPattern(filters.address)) : undefined,
    filters.id ? eq(eips.id, filters.id) : undefined,
  );
}
