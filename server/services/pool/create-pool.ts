import "server-only";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requireLoadBalancer } from "../load-balancer/require-load-balancer";
import { insertHealthMonitor } from "../health-monitor/insert-health-monitor";
import { createPoolSchema } from "./pool.schemas";
import { insertPool } from "./insert-pool";
import { getPoolView, type PoolView } from "./pool-view";

/** Add Backend Server Group (guide 4.3, tables 4-1 and 4-2): the group and its health check in one transaction. */
export async function createPool(ctx: ServiceContext, rawInput: unknown): Promise<PoolView> {
  const input = parseInput(createPoolSchema, rawInput);
  const id = await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.loadBalancerId);
    const poolId = await insertPool(tx, lb.id, input);
    if (input.healthMonitor) await insertHealthMonitor(tx, poolId, input.protocol, input.healthMonitor, "healthMonitor.");
    return poolId;
  });
  return (await getPoolView(ctx.db, ctx.scope, id))!;
}
