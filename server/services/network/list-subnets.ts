import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { loadBalancers, subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { parseIpv4Cidr, usableHostCount } from "../../networking/cidr";
import type { ServiceContext } from "../context";
import { qualified } from "../qualified-column";
import { listSubnetsSchema } from "./network.schemas";

/** A subnet as Settings > Networks lists it. */
export interface SubnetView {
  id: string;
  vpcId: string;
  name: string;
  cidr: string;
  loadBalancerCount: number;
  /** Usable addresses not yet taken by a load balancer's private IP. */
  availableIpCount: number;
  createdAt: Date;
}

/** Subnets of one VPC of the current region, by name. */
export async function listSubnets(ctx: ServiceContext, rawInput: unknown): Promise<SubnetView[]> {
  const { vpcId } = parseInput(listSubnetsSchema, rawInput);
  const [vpc] = await ctx.db.select({ id: vpcs.id }).from(vpcs).where(and(eq(vpcs.id, vpcId), eq(vpcs.regionId, ctx.scope.regionId)));
  if (!vpc) throw new AppError("NOT_FOUND", "VPC: not found in this region", "vpcId");
  const rows = await ctx.db
    .select({
      id: subnets.id,
      vpcId: subnets.vpcId,
      name: subnets.name,
      cidr: subnets.cidr,
      loadBalancerCount: sql<number>`(select count(*)::int from ${loadBalancers} where ${qualified(loadBalancers.subnetId)} = ${qualified(subnets.id)})`,
      createdAt: subnets.createdAt,
    })
    .from(subnets)
    .where(eq(subnets.vpcId, vpcId))
    .orderBy(asc(subnets.name));
  return rows.map((row) => ({ ...row, availableIpCount: Math.max(0, usableHostCount(parseIpv4Cidr(row.cidr)) - row.loadBalancerCount) }));
}
