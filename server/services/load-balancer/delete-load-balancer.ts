import "server-only";
import { count, eq, inArray } from "drizzle-orm";
import { eips, listeners, loadBalancers, members, pools } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { deleteLoadBalancerSchema } from "./load-balancer.schemas";
import { requireLoadBalancer } from "./require-load-balancer";

/**
 * Delete (guide 2.6): refused while listeners, backend server groups or backend servers remain, with a
 * message saying which. The user confirms by typing the name. A bound EIP is unbound, not released.
 */
export async function deleteLoadBalancer(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const input = parseInput(deleteLoadBalancerSchema, rawInput);
  const deleted = await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.id);
    if (input.confirmName !== lb.name) throw new AppError("BAD_REQUEST", `Type the load balancer name "${lb.name}" to confirm deletion`, "confirmName");
    const [{ n: listenerCount } = { n: 0 }] = await tx.select({ n: count() }).from(listeners).where(eq(listeners.loadBalancerId, lb.id));
    const poolRows = await tx.select({ id: pools.id }).from(pools).where(eq(pools.loadBalancerId, lb.id));
    const [{ n: memberCount } = { n: 0 }] = poolRows.length
      ? await tx.select({ n: count() }).from(members).where(inArray(members.poolId, poolRows.map((p) => p.id)))
      : [{ n: 0 }];
    const remaining = [
      listenerCount && `${listenerCount} listener(s)`,
      poolRows.length && `${poolRows.length} backend server group(s)`,
      memberCount && `${memberCount} backend server(s)`,
    ].filter(Boolean);
    if (remaining.length)
      throw new AppError("PRECONDITION_FAILED", `Load balancer ${lb.name} cannot be deleted: first delete or remove its ${remaining.join(", ")}.`);
    await tx.update(eips).set({ loadBalancerId: null }).where(eq(eips.loadBalancerId, lb.id));
    await tx.delete(loadBalancers).where(eq(loadBalancers.id, lb.id));
    return { id: lb.id, name: lb.name };
  });
  return deleted;
}
