import "server-only";
import { eq } from "drizzle-orm";
import { loadBalancers, loadBalancerTags } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { updateLoadBalancerSchema } from "./load-balancer.schemas";
import { getLoadBalancerView, type LoadBalancerView } from "./load-balancer-view";
import { requireLoadBalancer } from "./require-load-balancer";

/** Changes name, description and/or the whole tag list of a load balancer, in one transaction. */
export async function updateLoadBalancer(ctx: ServiceContext, rawInput: unknown): Promise<LoadBalancerView> {
  const input = parseInput(updateLoadBalancerSchema, rawInput);
  await ctx.db.transaction(async (tx) => {
    await requireLoadBalancer(tx, ctx.scope, input.id);
    const changes: Partial<typeof loadBalancers.$inferInsert> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    changes.updatedAt = new Date();
    await tx.update(loadBalancers).set(changes).where(eq(loadBalancers.id, input.id));
    if (input.tags) {
      await tx.delete(loadBalancerTags).where(eq(loadBalancerTags.loadBalancerId, input.id));
      if (input.tags.length) await tx.insert(loadBalancerTags).values(input.tags.map((t) => ({ loadBalancerId: input.id, key: t.key, value: t.value })));
    }
  });
  return (await getLoadBalancerView(ctx.db, ctx.scope, input.id))!;
}
