import "server-only";
import { eq } from "drizzle-orm";
import { eips } from "@/db/schema";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { modifyBandwidthSchema } from "./load-balancer.schemas";
import { getLoadBalancerView, type LoadBalancerView } from "./load-balancer-view";
import { requireLoadBalancer } from "./require-load-balancer";

/** Modify Bandwidth (guide 2.4): only public load balancers, i.e. with a bound EIP; the new limit applies to running traffic. */
export async function modifyBandwidth(ctx: ServiceContext, rawInput: unknown): Promise<LoadBalancerView> {
  const input = parseInput(modifyBandwidthSchema, rawInput);
  // Committed → published: the engine enforces the EIP's bandwidth on running traffic.
  await commitConfigChange(ctx, async (tx) => {
    await requireLoadBalancer(tx, ctx.scope, input.id);
    const [eip] = await tx.select().from(eips).where(eq(eips.loadBalancerId, input.id));
    if (!eip) throw new AppError("PRECONDITION_FAILED", "Bandwidth: only a public network load balancer (with an EIP) has a bandwidth to modify", "bandwidthMbit");
    await tx.update(eips).set({ bandwidthMbit: input.bandwidthMbit }).where(eq(eips.id, eip.id));
  });
  return (await getLoadBalancerView(ctx.db, ctx.scope, input.id))!;
}
