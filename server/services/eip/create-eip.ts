import "server-only";
import { and, eq } from "drizzle-orm";
import { eipPools } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { allocateEip } from "./allocate-eip";
import { createEipSchema } from "./eip.schemas";
import { eipFilter, queryEipViews, type EipView } from "./eip-view";

/**
 * Allocate EIP: the lowest free address of the pool, unbound, in the current enterprise project. The pool
 * row is locked so concurrent allocations never pick the same address.
 */
export async function createEip(ctx: ServiceContext, rawInput: unknown): Promise<EipView> {
  const input = parseInput(createEipSchema, rawInput);
  const { regionId, projectId } = ctx.scope;
  const id = await ctx.db.transaction(async (tx) => {
    const [pool] = await tx.select({ id: eipPools.id }).from(eipPools).where(and(eq(eipPools.id, input.poolId), eq(eipPools.regionId, regionId))).for("update");
    if (!pool) throw new AppError("NOT_FOUND", "EIP pool: the selected pool does not exist in this region", "poolId");
    const eip = await allocateEip(tx, { regionId, projectId, bandwidthMbit: input.bandwidthMbit, poolId: pool.id });
    return eip.id;
  });
  const { items } = await queryEipViews(ctx.db, eipFilter(ctx.scope, { id }));
  return items[0]!;
}
