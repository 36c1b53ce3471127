import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners, pools, type ListenerProtocol } from "@/db/schema";
import { AppError } from "../../errors";
import { policyUsingPool } from "../pool/policy-using-pool";
import { backendProtocolFor } from "./listener.schemas";

/**
 * "Use existing": the group must belong to the same load balancer, use no listener yet (`exceptListenerId`
 * may keep its own), serve no forwarding policy (deleting the listener deletes its group), and have the
 * backend protocol matching the frontend protocol.
 */
export async function requireAvailablePool(
  tx: Database,
  opts: { loadBalancerId: string; poolId: string; protocol: ListenerProtocol; field: string; exceptListenerId?: string },
) {
  const [pool] = await tx
    .select()
    .from(pools)
    .where(and(eq(pools.id, opts.poolId), eq(pools.loadBalancerId, opts.loadBalancerId)))
    .for("update");
  if (!pool) throw new AppError("NOT_FOUND", "Backend Server Group: not found on this load balancer", opts.field);
  const backend = backendProtocolFor(opts.protocol);
  if (pool.protocol !== backend)
    throw new AppError("BAD_REQUEST", `Backend Server Group: ${pool.name} uses ${pool.protocol}; a ${opts.protocol} listener needs a ${backend} backend server group`, opts.field);
  const [user] = await tx.select({ id: listeners.id, name: listeners.name }).from(listeners).where(eq(listeners.defaultPoolId, pool.id));
  if (user && user.id !== opts.exceptListenerId)
    throw new AppError("CONFLICT", `Backend Server Group: ${pool.name} is already used by listener ${user.name}; choose an unassociated group or create a new one`, opts.field);
  const policy = await policyUsingPool(tx, pool.id);
  if (policy)
    throw new AppError(
      "CONFLICT",
      `Backend Server Group: ${pool.name} is used by forwarding policy ${policy.name} of listener ${policy.listener}; choose an unassociated group or create a new one`,
      opts.field,
    );
  return pool;
}
