import type { MetricObjectKind } from "@/db/schema";
import type { MetricId } from "./metric-catalog";

/**
 * What the metrics tRPC router answers for a chart (`metrics.series`): the points of one object over a
 * time range at the resolution the range needs (60 s up to 1 day… 300 s up to 7 days … 3600 s beyond, or
 * a coarser one when the finer points were already removed by retention).
 */
export interface MetricSeriesQuery {
  objectKind: MetricObjectKind;
  /** Load balancer id or listener id. */
  objectId: string;
  metrics: MetricId[];
  /** ISO times; `to` − `from` at most the longest retention. */
  from: string;
  to: string;
}

/** Answer of `metrics.series`. */
export interface MetricSeries {
  resolutionSeconds: number;
  /** Period starts (ms since the epoch), ascending; a period without a stored point is absent (a gap), never a 0. */
  times: number[];
  /** One array per requested metric, aligned with `times`; null where the point has no value for that metric. */
  values: Record<MetricId, (number | null)[]>;
}

/** One load balancer's line on the monitoring overview (`metrics.overview`). */
export interface LoadBalancerOverview {
  loadBalancerId: string;
  name: string;
  /** Latest 1-minute values (null: no point in the last 5 minutes). */
  latest: Partial<Record<MetricId, number | null>>;
  /** Last hour of 1-minute points for the sparklines (same shape as MetricSeries). */
  sparkline: MetricSeries;
}
