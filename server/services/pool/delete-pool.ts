import "server-only";
import { count, eq } from "drizzle-orm";
import { healthMonitors, listeners, members, pools } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { poolIdSchema } from "./pool.schemas";
import { requirePool } from "./require-pool";
import { policyUsingPool } from "./policy-using-pool";

/** Delete a backend server group (guide 4.3): refused while a listener or a forwarding policy uses it, or it has backend servers. */
export async function deletePool(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const input = parseInput(poolIdSchema, rawInput);
  const deleted = await commitConfigChange(ctx, async (tx) => {
    const { pool } = await requirePool(tx, ctx.scope, input.id);
    const [listener] = await tx.select({ name: listeners.name }).from(listeners).where(eq(listeners.defaultPoolId, pool.id));
    if (listener)
      throw new AppError(
        "PRECONDITION_FAILED",
        `Backend server group ${pool.name} cannot be deleted: listener ${listener.name} uses it. Delete the listener (which deletes its group) or give the listener another backend server group first.`,
      );
    const policy = await policyUsingPool(tx, pool.id);
    if (policy)
      throw new AppError(
        "PRECONDITION_FAILED",
        `Backend server group ${pool.name} cannot be deleted: forwarding policy ${policy.name} of listener ${policy.listener} uses it. Delete the forwarding policy or give it another backend server group first.`,
      );
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(members).where(eq(members.poolId, pool.id));
    if (n > 0)
      throw new AppError("PRECONDITION_FAILED", `Backend server group ${pool.name} cannot be deleted: it has ${n} backend server(s); remove the backend servers first.`);
    await tx.delete(healthMonitors).where(eq(healthMonitors.poolId, pool.id));
    await tx.delete(pools).where(eq(pools.id, pool.id));
    return { id: pool.id, name: pool.name };
  });
  return deleted;
}
