import "server-only";
import { eq, max } from "drizzle-orm";
import { forwardingPolicies } from "@/db/schema";
import { AppError } from "../../errors";
import { aListenerOf } from "../listener/protocol-words";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requireListener } from "../listener/require-listener";
import { insertPool } from "../pool/insert-pool";
import { insertHealthMonitor } from "../health-monitor/insert-health-monitor";
import { createForwardingPolicySchema } from "./forwarding-policy.schemas";
import { checkPolicyLimit } from "./check-policy-limit";
import { checkPolicyMatchUnique } from "./check-policy-match-unique";
import { requirePolicyPool } from "./require-policy-pool";
import { getForwardingPolicyView, type ForwardingPolicyView } from "./forwarding-policy-view";

/**
 * Add Forwarding Policy (guide 3.8.1, table 3-7) to an HTTP or HTTPS listener: the policy and, with
 * Create new, its backend server group (HTTP) and the group's health check, in ONE transaction. At most
 * 500 per listener; the same path can't be in two policies of a listener.
 */
export async function createForwardingPolicy(ctx: ServiceContext, rawInput: unknown): Promise<ForwardingPolicyView> {
  const input = parseInput(createForwardingPolicySchema, rawInput);
  const id = await commitConfigChange(ctx, async (tx) => {
    const { listener } = await requireListener(tx, ctx.scope, input.listenerId, "listenerId");
    if (listener.protocol !== "HTTP" && listener.protocol !== "HTTPS")
      throw new AppError("BAD_REQUEST", `Listener: forwarding policies are supported only for HTTP or HTTPS listeners; ${listener.name} is ${aListenerOf(listener.protocol)}`, "listenerId");
    await checkPolicyLimit(tx, listener);
    await checkPolicyMatchUnique(tx, { listenerId: listener.id, domainName: input.domainName, url: input.url });
    const choice = input.pool;
    const poolId =
      choice.mode === "new"
        ? await insertPool(tx, listener.loadBalancerId, { ...choice, protocol: "HTTP" }, "pool.")
        : (await requirePolicyPool(tx, { loadBalancerId: listener.loadBalancerId, listenerId: listener.id, poolId: choice.poolId, field: "pool.poolId" })).id;
    if (choice.mode === "new" && choice.healthMonitor) await insertHealthMonitor(tx, poolId, "HTTP", choice.healthMonitor, "pool.healthMonitor.");
    const [{ last } = { last: null }] = await tx.select({ last: max(forwardingPolicies.position) }).from(forwardingPolicies).where(eq(forwardingPolicies.listenerId, listener.id));
    const [policy] = await tx
      .insert(forwardingPolicies)
      .values({
        listenerId: listener.id,
        name: input.name,
        description: input.description,
        domainName: input.domainName,
        url: input.url,
        urlMatchRule: input.urlMatchRule,
        poolId,
        position: (last ?? 0) + 1,
      })
      .returning({ id: forwardingPolicies.id });
    return policy!.id;
  });
  return (await getForwardingPolicyView(ctx.db, ctx.scope, id))!;
}
