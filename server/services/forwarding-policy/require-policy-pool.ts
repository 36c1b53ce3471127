import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners, pools } from "@/db/schema";
import { AppError } from "../../errors";
import { policyUsingPool } from "../pool/policy-using-pool";

/**
 * "Use existing" for a forwarding policy (table 3-7): an HTTP backend server group of the same load
 * balancer that is not the default group of any listener (deleting that listener deletes its group) and
 * is not used by a policy of another listener. Policies of one listener may share a group.
 */
export async function requirePolicyPool(tx: Database, opts: { loadBalancerId: string; listenerId: string; poolId: string; field: string }) {
  const [pool] = await tx
    .select()
    .from(pools)
    .where(and(eq(pools.id, opts.poolId), eq(pools.loadBalancerId, opts.loadBalancerId)))
    .for("update");
  if (!pool) throw new AppError("NOT_FOUND", "Backend Server Group: not found on this load balancer", opts.field);
  if (pool.protocol !== "HTTP")
    throw new AppError("BAD_REQUEST", `Backend Server Group: ${pool.name} uses ${pool.protocol}; a forwarding policy needs an HTTP backend server group`, opts.field);
  const [owner] = await tx.select({ name: listeners.name }).from(listeners).where(eq(listeners.defaultPoolId, pool.id));
  if (owner)
    throw new AppError(
      "CONFLICT",
      `Backend Server Group: ${pool.name} is the default backend server group of listener ${owner.name}; choose another group or create a new one`,
      opts.field,
    );
  const other = await policyUsingPool(tx, pool.id, opts.listenerId);
  if (other)
    throw new AppError(
      "CONFLICT",
      `Backend Server Group: ${pool.name} is used by forwarding policy ${other.name} of listener ${other.listener}; choose another group or create a new one`,
      opts.field,
    );
  return pool;
}
