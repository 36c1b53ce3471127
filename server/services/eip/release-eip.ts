import "server-only";
import { and, eq } from "drizzle-orm";
import { eipPools, eips, loadBalancers } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { eipIdSchema } from "./eip.schemas";

/** Release: gives an unbound EIP back to its pool; refused while it is bound to a load balancer. */
export async function releaseEip(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(eipIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ eip: eips })
      .from(eips)
      .innerJoin(eipPools, eq(eipPools.id, eips.poolId))
      .where(and(eq(eips.id, id), eq(eipPools.regionId, ctx.scope.regionId), eq(eips.projectId, ctx.scope.projectId)))
      .for("update", { of: eips });
    if (!row) throw new AppError("NOT_FOUND", "EIP: not found in this region and enterprise project", "id");
    if (row.eip.loadBalancerId) {
      const [lb] = await tx.select({ name: loadBalancers.name }).from(loadBalancers).where(eq(loadBalancers.id, row.eip.loadBalancerId));
      throw new AppError("PRECONDITION_FAILED", `EIP ${row.eip.address} cannot be released: it is bound to load balancer ${lb?.name ?? row.eip.loadBalancerId}. Unbind it first.`);
    }
    await tx.delete(eips).where(eq(eips.id, row.eip.id));
    return { id: row.eip.id, name: row.eip.address };
  });
}
