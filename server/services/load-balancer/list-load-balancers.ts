import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listLoadBalancersSchema } from "./load-balancer.schemas";
import { queryLoadBalancerViews, type LoadBalancerView } from "./load-balancer-view";

/** One page of the Load Balancers list for the current region and project. */
export async function listLoadBalancers(ctx: ServiceContext, rawInput: unknown): Promise<{ items: LoadBalancerView[]; total: number }> {
  const input = parseInput(listLoadBalancersSchema, rawInput ?? {});
  return queryLoadBalancerViews(ctx.db, ctx.scope, input);
}
