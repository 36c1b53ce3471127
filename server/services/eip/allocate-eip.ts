import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eipPools, eips } from "@/db/schema";
import { AppError } from "../../errors";
import { firstFreeHost, parseIpv4Cidr } from "../../networking/cidr";

/** What a new EIP needs. */
export interface AllocateEipOptions {
  regionId: string;
  projectId: string;
  bandwidthMbit: number;
  /** Default: the region's first EIP pool by name. */
  poolId?: string;
  /** Bind it to this load balancer right away ("New EIP" at creation). */
  loadBalancerId?: string;
}

/** Allocates a new Dynamic BGP EIP: the lowest free usable address of the pool. Run inside a transaction. */
export async function allocateEip(db: Database, options: AllocateEipOptions) {
  // The pool row is locked so concurrent allocations from one pool take turns instead of colliding.
  const [pool] = options.poolId
    ? await db.select().from(eipPools).where(and(eq(eipPools.id, options.poolId), eq(eipPools.regionId, options.regionId))).for("update")
    : await db.select().from(eipPools).where(eq(eipPools.regionId, options.regionId)).orderBy(asc(eipPools.name)).limit(1).for("update");
  if (!pool) throw new AppError("NOT_FOUND", "EIP: no EIP pool is configured in this region (add one under Settings)", "eip");
  const used = new Set((await db.select({ address: eips.address }).from(eips).where(eq(eips.poolId, pool.id))).map((r) => r.address));
  const address = firstFreeHost(parseIpv4Cidr(pool.cidr), used);
  if (!address) throw new AppError("CONFLICT", `EIP: pool ${pool.name} (${pool.cidr}) has no free address`, "eip");
  const [eip] = await db
    .insert(eips)
    .values({
      poolId: pool.id,
      projectId: options.projectId,
      address,
      type: "dynamic_bgp",
      bandwidthMbit: options.bandwidthMbit,
      loadBalancerId: options.loadBalancerId ?? null,
    })
    .returning();
  return eip!;
}
