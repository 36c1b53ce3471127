import "server-only";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { loadBalancerIdSchema } from "./load-balancer.schemas";
import { getLoadBalancerView, type LoadBalancerView } from "./load-balancer-view";

/** The details page's Basic Information of one load balancer. */
export async function getLoadBalancer(ctx: ServiceContext, rawInput: unknown): Promise<LoadBalancerView> {
  const { id } = parseInput(loadBalancerIdSchema, rawInput);
  const view = await getLoadBalancerView(ctx.db, ctx.scope, id);
  if (!view) throw new AppError("NOT_FOUND", "Load balancer not found");
  return view;
}
