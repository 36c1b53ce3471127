import type { MetricObjectKind } from "@/db/schema";
import { METRICS, type MetricDefinition, type MetricId } from "@/server/metrics/metric-catalog";

/** Frontend protocols whose listeners have the layer-7 metrics (guide 8.1: HTTP/HTTPS only). */
const LAYER7_PROTOCOLS = new Set(["HTTP", "HTTPS"]);

/** Whether a listener of this frontend protocol has layer-7 metrics. */
export const hasLayer7Metrics = (protocol: string) => LAYER7_PROTOCOLS.has(protocol);

/**
 * The metrics a Monitoring view offers for an object, in the guide's order: those measured for its kind
 * (server health only for a load balancer), and the layer-7 ones only when `layer7` (a listener with
 * an HTTP/HTTPS frontend, or a load balancer with at least one such listener).
 */
export function availableMetrics(objectKind: MetricObjectKind, layer7: boolean): MetricDefinition[] {
  return METRICS.filter((m) => m.objects.includes(objectKind) && (layer7 || !m.layer7));
}

/**
 * The charts shown before the user picks: concurrent connections, new connections, inbound and outbound
 * rate, and for layer 7 the query rate, 2xx–5xx and the response time.
 */
export const DEFAULT_METRICS: readonly MetricId[] = [
  "m1_cps",
  "m4_ncps",
  "m7_in_Bps",
  "m8_out_Bps",
  "mb_l7_queries",
  "mc_l7_http_2xx",
  "md_l7_http_3xx",
  "me_l7_http_4xx",
  "mf_l7_http_5xx",
  "m14_l7_rt",
];

/**
 * The metrics to chart: the picked ones (or the defaults) that the object has, in the guide's order.
 * Picked metrics the object lacks (e.g. layer-7 ones after switching to a TCP listener) are left out.
 */
export function chartedMetrics(available: readonly MetricDefinition[], picked: readonly MetricId[] | null): MetricDefinition[] {
  const wanted = new Set(picked ?? DEFAULT_METRICS);
  return available.filter((m) => wanted.has(m.id));
}
