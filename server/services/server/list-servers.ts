import "server-only";
import { and, eq } from "drizzle-orm";
import { loadBalancers, servers, subnets } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listServersSchema } from "./server.schemas";
import { queryServerViews, type ServerView } from "./server-view";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/**
 * Servers of the current region (Settings > Networks), or of one subnet, or of the subnets of a load
 * balancer's VPC (Add Backend Servers: "Select the subnet where the backend servers reside").
 */
export async function listServers(ctx: ServiceContext, rawInput: unknown): Promise<ServerView[]> {
  const input = parseInput(listServersSchema, rawInput);
  let vpcId: string | undefined;
  if (input.loadBalancerId) {
    const [lb] = await ctx.db
      .select({ vpcId: loadBalancers.vpcId })
      .from(loadBalancers)
      .where(and(eq(loadBalancers.id, input.loadBalancerId), loadBalancerInScope(ctx.scope)));
    if (!lb) throw new AppError("NOT_FOUND", "Load balancer: not found in this region and enterprise project", "loadBalancerId");
    vpcId = lb.vpcId;
  }
  return queryServerViews(
    ctx.db,
    ctx.scope.regionId,
    and(input.subnetId ? eq(servers.subnetId, input.subnetId) : undefined, vpcId ? eq(subnets.vpcId, vpcId) : undefined),
  );
}
