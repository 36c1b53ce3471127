import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eipPools, eips } from "@/db/schema";
import { AppError } from "../../errors";

/**
 * Loads an EIP for binding: it must exist in the region and the enterprise project and be unbound (an EIP
 * serves one load balancer).
 */
export async function findBindableEip(db: Database, scope: { regionId: string; projectId: string }, eipId: string) {
  const [row] = await db
    .select({ eip: eips, regionId: eipPools.regionId })
    .from(eips)
    .innerJoin(eipPools, eq(eipPools.id, eips.poolId))
    .where(eq(eips.id, eipId));
  if (!row || row.regionId !== scope.regionId || row.eip.projectId !== scope.projectId)
    throw new AppError("NOT_FOUND", "EIP: the selected EIP does not exist in this region and enterprise project", "eipId");
  if (row.eip.loadBalancerId) throw new AppError("CONFLICT", `EIP: ${row.eip.address} is already bound to another load balancer`, "eipId");
  return row.eip;
}

/**
 * Binds an EIP atomically: the update only takes an EIP that is still unbound, so two concurrent binds of
 * one EIP cannot both succeed (the loser gets a conflict, not a silently stolen EIP).
 */
export async function bindEipAtomically(db: Database, eip: { id: string; address: string }, loadBalancerId: string): Promise<void> {
  const bound = await db
    .update(eips)
    .set({ loadBalancerId })
    .where(and(eq(eips.id, eip.id), isNull(eips.loadBalancerId)))
    .returning({ id: eips.id });
  if (bound.length === 0) throw new AppError("CONFLICT", `EIP: ${eip.address} was just bound to another load balancer`, "eipId");
}
