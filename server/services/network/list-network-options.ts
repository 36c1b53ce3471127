import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { eipPools, eips, subnets, vpcs } from "@/db/schema";
import type { ServiceContext } from "../context";

/** What the Create Elastic Load Balancer form and the Bind EIP dialog offer: VPCs with subnets, EIP pools, unbound EIPs. */
export async function listNetworkOptions(ctx: ServiceContext) {
  const { regionId } = ctx.scope;
  const [vpcRows, subnetRows, poolRows, eipRows] = await Promise.all([
    ctx.db.select().from(vpcs).where(eq(vpcs.regionId, regionId)).orderBy(asc(vpcs.name)),
    ctx.db.select({ subnet: subnets }).from(subnets).innerJoin(vpcs, eq(vpcs.id, subnets.vpcId)).where(eq(vpcs.regionId, regionId)).orderBy(asc(subnets.name)),
    ctx.db.select().from(eipPools).where(eq(eipPools.regionId, regionId)).orderBy(asc(eipPools.name)),
    ctx.db
      .select({ id: eips.id, address: eips.address, bandwidthMbit: eips.bandwidthMbit, type: eips.type })
      .from(eips)
      .innerJoin(eipPools, eq(eipPools.id, eips.poolId))
      .where(and(eq(eipPools.regionId, regionId), eq(eips.projectId, ctx.scope.projectId), isNull(eips.loadBalancerId)))
      .orderBy(asc(eips.address)),
  ]);
  return {
    vpcs: vpcRows.map((v) => ({
      id: v.id,
      name: v.name,
      cidr: v.cidr,
      subnets: subnetRows.filter((s) => s.subnet.vpcId === v.id).map((s) => ({ id: s.subnet.id, name: s.subnet.name, cidr: s.subnet.cidr })),
    })),
    eipPools: poolRows.map((p) => ({ id: p.id, name: p.name, cidr: p.cidr })),
    unboundEips: eipRows,
  };
}
