import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eipPools, eips } from "@/db/schema";
import { AppError } from "../../errors";

/** Loads an EIP for binding: it must exist in the region and be unbound (an EIP serves one load balancer). */
export async function findBindableEip(db: Database, regionId: string, eipId: string) {
  const [row] = await db
    .select({ eip: eips, regionId: eipPools.regionId })
    .from(eips)
    .innerJoin(eipPools, eq(eipPools.id, eips.poolId))
    .where(eq(eips.id, eipId));
  if (!row || row.regionId !== regionId) throw new AppError("NOT_FOUND", "EIP: the selected EIP does not exist in this region", "eipId");
  if (row.eip.loadBalancerId) throw new AppError("CONFLICT", `EIP: ${row.eip.address} is already bound to another load balancer`, "eipId");
  return row.eip;
}
