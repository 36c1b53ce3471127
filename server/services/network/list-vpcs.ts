import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { loadBalancers, subnets, vpcs } from "@/db/schema";
import type { ServiceContext } from "../context";
import { qualified } from "../qualified-column";

/** A VPC as Settings > Networks lists it. */
export interface VpcView {
  id: string;
  name: string;
  cidr: string;
  subnetCount: number;
  loadBalancerCount: number;
  createdAt: Date;
}

/** VPCs of the current region, by name, with how many subnets and load balancers each has. */
export async function listVpcs(ctx: ServiceContext): Promise<VpcView[]> {
  return ctx.db
    .select({
      id: vpcs.id,
      name: vpcs.name,
      cidr: vpcs.cidr,
      subnetCount: sql<number>`(select count(*)::int from ${subnets} where ${qualified(subnets.vpcId)} = ${qualified(vpcs.id)})`,
      loadBalancerCount: sql<number>`(select count(*)::int from ${loadBalancers} where ${qualified(loadBalancers.vpcId)} = ${qualified(vpcs.id)})`,
      createdAt: vpcs.createdAt,
    })
    .from(vpcs)
    .where(eq(vpcs.regionId, ctx.scope.regionId))
    .orderBy(asc(vpcs.name));
}
