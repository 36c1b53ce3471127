import { parseInput } from "../../validation";
import { notifyConfigChanged } from "../../control-plane/config-changed";
import type { ServiceContext } from "../context";
import { requireLoadBalancer } from "../load-balancer/require-load-balancer";
import { insertHealthMonitor } from "../health-monitor/insert-health-monitor";
import { createPoolSchema } from "./pool.schemas";
import { insertPool } from "./insert-pool";
import { getPoolView, type PoolView } from "./pool-view";

/** Add Backend Server Group (guide 4.3, tables 4-1 and 4-2): the group and its health check in one transaction. */
export async function createPool(ctx: ServiceContext, rawInput: unknown): Promise<PoolView> {
  const input = parseInput(createPoolSchema, rawInput);
  const id = await ctx.db.transaction(async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.loadBalancerId);
    const poolId = await insertPool(tx, lb.id, input);
    if (input.healthMonitor) await insertHealthMonitor(tx, poolId, input.protocol, input.healthMonitor, "healthMonitor.");
    return poolId;
  });
  notifyConfigChanged();
  return (await getPoolView(ctx.db, ctx.scope, id))!;
}
