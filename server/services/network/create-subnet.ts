import "server-only";
import { and, eq } from "drizzle-orm";
import { subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { blockContainsBlock, blocksOverlap, parseIpv4Cidr, usableHostCount } from "../../networking/cidr";
import type { ServiceContext } from "../context";
import { createSubnetSchema } from "./network.schemas";
import { findOverlappingBlock } from "./find-overlapping-block";
import type { SubnetView } from "./list-subnets";

/**
 * Create Subnet: its block must lie inside the VPC's block, overlap no sibling subnet, and share no
 * address with an EIP pool. The VPC row is locked so two concurrent creations cannot both pass the checks.
 */
export async function createSubnet(ctx: ServiceContext, rawInput: unknown): Promise<SubnetView> {
  const input = parseInput(createSubnetSchema, rawInput);
  const block = parseIpv4Cidr(input.cidr);
  return ctx.db.transaction(async (tx) => {
    const [vpc] = await tx.select().from(vpcs).where(and(eq(vpcs.id, input.vpcId), eq(vpcs.regionId, ctx.scope.regionId))).for("update");
    if (!vpc) throw new AppError("NOT_FOUND", "VPC: the selected VPC does not exist in this region", "vpcId");
    if (!blockContainsBlock(parseIpv4Cidr(vpc.cidr), block))
      throw new AppError("BAD_REQUEST", `IPv4 CIDR Block: ${block.cidr} must lie inside the VPC's block ${vpc.cidr}`, "cidr");
    const siblings = await tx.select().from(subnets).where(eq(subnets.vpcId, vpc.id));
    if (siblings.some((s) => s.name === input.name)) throw new AppError("CONFLICT", `Subnet name: VPC ${vpc.name} already has a subnet named ${input.name}`, "name");
    const sibling = siblings.find((s) => blocksOverlap(block, parseIpv4Cidr(s.cidr)));
    if (sibling) throw new AppError("CONFLICT", `IPv4 CIDR Block: ${block.cidr} overlaps subnet ${sibling.name} (${sibling.cidr}) of this VPC`, "cidr");
    const other = await findOverlappingBlock(tx, ctx.scope.regionId, block, { subnets: false, eipPools: true });
    if (other) throw new AppError("CONFLICT", `IPv4 CIDR Block: ${block.cidr} overlaps ${other.kind} ${other.name} (${other.cidr}); subnets and EIP pools cannot share addresses`, "cidr");
    const [subnet] = await tx.insert(subnets).values({ vpcId: vpc.id, name: input.name, cidr: block.cidr }).returning();
    return { id: subnet!.id, vpcId: vpc.id, name: subnet!.name, cidr: subnet!.cidr, loadBalancerCount: 0, availableIpCount: usableHostCount(block), createdAt: subnet!.createdAt };
  });
}
