import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listPoolsSchema } from "./pool.schemas";
import { queryPoolViews, type PoolView } from "./pool-view";

/** The Backend Server Groups tab of a load balancer, oldest first. */
export async function listPools(ctx: ServiceContext, rawInput: unknown): Promise<PoolView[]> {
  const input = parseInput(listPoolsSchema, rawInput);
  return queryPoolViews(ctx.db, ctx.scope, { loadBalancerId: input.loadBalancerId });
}
