import "server-only";
import { and, count, eq } from "drizzle-orm";
import { eipPools, eips } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { networkIdSchema } from "./network.schemas";

/** Deletes an EIP pool; refused while EIPs allocated from it remain (release them first). */
export async function deleteEipPool(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(networkIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const [pool] = await tx.select().from(eipPools).where(and(eq(eipPools.id, id), eq(eipPools.regionId, ctx.scope.regionId))).for("update");
    if (!pool) throw new AppError("NOT_FOUND", "EIP pool: not found in this region", "id");
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(eips).where(eq(eips.poolId, pool.id));
    if (n) throw new AppError("PRECONDITION_FAILED", `EIP pool ${pool.name} cannot be deleted: ${n} EIP(s) are allocated from it. Unbind and release them first.`);
    await tx.delete(eipPools).where(eq(eipPools.id, pool.id));
    return { id: pool.id, name: pool.name };
  });
}
