import "server-only";
import { eq } from "drizzle-orm";
import { eips } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { loadBalancerIdSchema } from "./load-balancer.schemas";
import { getLoadBalancerView, type LoadBalancerView } from "./load-balancer-view";
import { requireLoadBalancer } from "./require-load-balancer";

/** Unbind EIP (guide 2.5): the EIP stays allocated and can be bound elsewhere. */
export async function unbindEip(ctx: ServiceContext, rawInput: unknown): Promise<LoadBalancerView> {
  const { id } = parseInput(loadBalancerIdSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, id);
    const [eip] = await tx.select().from(eips).where(eq(eips.loadBalancerId, lb.id));
    if (!eip) throw new AppError("PRECONDITION_FAILED", `EIP: load balancer ${lb.name} has no EIP bound`);
    await tx.update(eips).set({ loadBalancerId: null }).where(eq(eips.id, eip.id));
  });
  return (await getLoadBalancerView(ctx.db, ctx.scope, id))!;
}
