import "server-only";
import { listeners } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requireLoadBalancer } from "../load-balancer/require-load-balancer";
import { insertPool } from "../pool/insert-pool";
import { insertHealthMonitor } from "../health-monitor/insert-health-monitor";
import { backendProtocolFor, createListenerSchema, defaultIdleTimeoutSeconds, portClassOf } from "./listener.schemas";
import { checkFrontendPort } from "./check-frontend-port";
import { checkListenerQuota } from "./check-listener-quota";
import { requireAvailablePool } from "./require-available-pool";
import { getListenerView, type ListenerView } from "./listener-view";

/**
 * Add Listener (guide 3.3): the listener, its backend server group (Create new or Use existing) and the
 * new group's health check, in ONE transaction: a failure at any step leaves nothing behind.
 */
export async function createListener(ctx: ServiceContext, rawInput: unknown): Promise<ListenerView> {
  const input = parseInput(createListenerSchema, rawInput);
  const backendProtocol = backendProtocolFor(input.protocol);
  const id = await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.loadBalancerId);
    await checkListenerQuota(tx, lb.projectId);
    await checkFrontendPort(tx, lb.id, input.protocol, input.port);
    const choice = input.pool;
    const poolId =
      choice.mode === "new"
        ? await insertPool(tx, lb.id, { ...choice, protocol: backendProtocol }, "pool.")
        : (await requireAvailablePool(tx, { loadBalancerId: lb.id, poolId: choice.poolId, protocol: input.protocol, field: "pool.poolId" })).id;
    const [listener] = await tx
      .insert(listeners)
      .values({
        loadBalancerId: lb.id,
        name: input.name,
        description: input.description,
        protocol: input.protocol,
        port: input.port,
        portClass: portClassOf(input.protocol),
        defaultPoolId: poolId,
        idleTimeoutSeconds: defaultIdleTimeoutSeconds(input.protocol),
      })
      .returning({ id: listeners.id });
    if (choice.mode === "new" && choice.healthMonitor) await insertHealthMonitor(tx, poolId, backendProtocol, choice.healthMonitor, "pool.healthMonitor.");
    return listener!.id;
  });
  return (await getListenerView(ctx.db, ctx.scope, id))!;
}
