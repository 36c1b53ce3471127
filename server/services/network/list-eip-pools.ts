import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { eipPools, eips } from "@/db/schema";
import { parseIpv4Cidr, usableHostCount } from "../../networking/cidr";
import type { ServiceContext } from "../context";
import { qualified } from "../qualified-column";

/** An EIP pool as Settings > Networks lists it. */
export interface EipPoolView {
  id: string;
  name: string;
  cidr: string;
  /** EIPs allocated from the pool, bound or not. */
  eipCount: number;
  boundCount: number;
  /** Addresses still free for "Allocate EIP". */
  availableCount: number;
  createdAt: Date;
}

/** EIP pools of the current region, by name, with their usage. */
export async function listEipPools(ctx: ServiceContext): Promise<EipPoolView[]> {
  const rows = await ctx.db
    .select({
      id: eipPools.id,
      name: eipPools.name,
      cidr: eipPools.cidr,
      eipCount: sql<number>`(select count(*)::int from ${eips} where ${qualified(eips.poolId)} = ${qualified(eipPools.id)})`,
      boundCount: sql<number>`(select count(*)::int from ${eips} where ${qualified(eips.poolId)} = ${qualified(eipPools.id)} and ${qualified(eips.loadBalancerId)} is not null)`,
      createdAt: eipPools.createdAt,
    })
    .from(eipPools)
    .where(eq(eipPools.regionId, ctx.scope.regionId))
    .orderBy(asc(eipPools.name));
  return rows.map((row) => ({ ...row, availableCount: Math.max(0, usableHostCount(parseIpv4Cidr(row.cidr)) - row.eipCount) }));
}
