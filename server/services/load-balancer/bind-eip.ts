import "server-only";
import { eq } from "drizzle-orm";
import { eips } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { bindEipAtomically, findBindableEip } from "../eip/find-bindable-eip";
import { bindEipSchema } from "./load-balancer.schemas";
import { getLoadBalancerView, type LoadBalancerView } from "./load-balancer-view";
import { requireLoadBalancer } from "./require-load-balancer";

/** Bind EIP (guide 2.5): an unbound EIP of the region to a load balancer that has none. */
export async function bindEip(ctx: ServiceContext, rawInput: unknown): Promise<LoadBalancerView> {
  const input = parseInput(bindEipSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.id);
    const [current] = await tx.select().from(eips).where(eq(eips.loadBalancerId, lb.id));
    if (current) throw new AppError("CONFLICT", `EIP: load balancer ${lb.name} already has EIP ${current.address}; unbind it first`, "eipId");
    const eip = await findBindableEip(tx, ctx.scope, input.eipId);
    await bindEipAtomically(tx, eip, lb.id);
  });
  return (await getLoadBalancerView(ctx.db, ctx.scope, input.id))!;
}
