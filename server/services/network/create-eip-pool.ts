import "server-only";
import { and, eq } from "drizzle-orm";
import { eipPools, regions } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { parseIpv4Cidr, usableHostCount } from "../../networking/cidr";
import type { ServiceContext } from "../context";
import { createEipPoolSchema } from "./network.schemas";
import { findOverlappingBlock } from "./find-overlapping-block";
import type { EipPoolView } from "./list-eip-pools";

/**
 * Create EIP Pool in the current region: a unique name and a block that overlaps no other EIP pool and no
 * subnet of the region. The region row is locked so concurrent creations are checked one after the other.
 */
export async function createEipPool(ctx: ServiceContext, rawInput: unknown): Promise<EipPoolView> {
  const input = parseInput(createEipPoolSchema, rawInput);
  const block = parseIpv4Cidr(input.cidr);
  const regionId = ctx.scope.regionId;
  return ctx.db.transaction(async (tx) => {
    await tx.select({ id: regions.id }).from(regions).where(eq(regions.id, regionId)).for("update");
    const [same] = await tx.select({ id: eipPools.id }).from(eipPools).where(and(eq(eipPools.regionId, regionId), eq(eipPools.name, input.name)));
    if (same) throw new AppError("CONFLICT", `EIP pool name: an EIP pool named ${input.name} already exists in this region`, "name");
    const other = await findOverlappingBlock(tx, regionId, block, { subnets: true, eipPools: true });
    if (other) throw new AppError("CONFLICT", `IPv4 CIDR Block: ${block.cidr} overlaps ${other.kind} ${other.name} (${other.cidr}); EIP addresses must be unique`, "cidr");
    const [pool] = await tx.insert(eipPools).values({ regionId, name: input.name, cidr: block.cidr }).returning();
    return { id: pool!.id, name: pool!.name, cidr: pool!.cidr, eipCount: 0, boundCount: 0, availableCount: usableHostCount(block), createdAt: pool!.createdAt };
  });
}
