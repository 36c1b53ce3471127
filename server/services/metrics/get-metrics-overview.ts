import "server-only";
import { asc } from "drizzle-orm";
import { loadBalancers } from "@/db/schema";
import type { ServiceContext } from "../context";
import type { LoadBalancerOverview } from "../../metrics/metric-series.types";
import { queryOverview } from "../../metrics/query/query-overview";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/** The monitoring overview (`metrics.overview`): every load balancer of the project, by name, with key numbers and last-hour sparklines. */
export async function getMetricsOverview(ctx: ServiceContext, now = Date.now()): Promise<LoadBalancerOverview[]> {
  const lbs = await ctx.db.select({ id: loadBalancers.id, name: loadBalancers.name }).from(loadBalancers).where(loadBalancerInScope(ctx.scope)).orderBy(asc(loadBalancers.name));
  return queryOverview(ctx.db, lbs, now);
}
