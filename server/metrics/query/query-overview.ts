import "server-only";
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { metricPoints } from "@/db/schema";
import type { MetricId } from "../metric-catalog";
import type { LoadBalancerOverview } from "../metric-series.types";
import { seriesOf } from "./query-metric-series";

/** The key numbers the overview shows for each load balancer (and draws as sparklines). */
export const OVERVIEW_METRICS: readonly MetricId[] = [
  "m1_cps",
  "m4_ncps",
  "m7_in_Bps",
  "m8_out_Bps",
  "mb_l7_queries",
  "mf_l7_http_5xx",
  "m14_l7_rt",
  "m9_abnormal_servers",
  "ma_normal_servers",
];

const HOUR_MS = 3_600_000;
/** A latest value older than this is shown as "no data" (null). */
const LATEST_WITHIN_MS = 5 * 60_000;

/**
 * The overview of some load balancers: the last hour of their 1-minute points (one range scan of the
 * load-balancer index for all of them) as sparklines, and the latest point's values when it is at most
 * 5 minutes old. Load balancers come back in the order given.
 */
export async function queryOverview(db: Database, loadBalancers: readonly { id: string; name: string }[], now = Date.now()): Promise<LoadBalancerOverview[]> {
  if (loadBalancers.length === 0) return [];
  const since = Math.floor((now - HOUR_MS) / 60_000) * 60_000;
  const rows = await db
    .select()
    .from(metricPoints)
    .where(
      and(
        eq(metricPoints.resolutionSeconds, 60),
        inArray(
          metricPoints.loadBalancerId,
          loadBalancers.map((lb) => lb.id),
        ),
        gte(metricPoints.at, new Date(since)),
        eq(metricPoints.objectKind, "LOAD_BALANCER"),
      ),
    )
    .orderBy(asc(metricPoints.loadBalancerId), asc(metricPoints.at));
  const byLoadBalancer = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byLoadBalancer.get(row.loadBalancerId) ?? [];
    list.push(row);
    byLoadBalancer.set(row.loadBalancerId, list);
  }
  return loadBalancers.map((lb) => {
    const points = byLoadBalancer.get(lb.id) ?? [];
    const last = points.at(-1);
    const fresh = last && now - last.at.getTime() <= LATEST_WITHIN_MS + 60_000 ? last : undefined;
    const latest = Object.fromEntries(OVERVIEW_METRICS.map((id) => [id, fresh ? fresh[id] : null]));
    return { loadBalancerId: lb.id, name: lb.name, latest, sparkline: seriesOf(60, OVERVIEW_METRICS, points) };
  });
}
