import type { metricPoints } from "@/db/schema";
import { LISTENER_COUNTERS, type ListenerCounter } from "@/engine/protocol/metrics.types";
import type { MetricId } from "../metric-catalog";
import type { ClosedMinute, ListenerMinute } from "./minute-accumulator";
import type { MetricTopology } from "./metric-topology";

/** One row of metric_points as the collector writes it. */
export type MetricPointRow = typeof metricPoints.$inferInsert;

type Values = Partial<Record<MetricId, number | null>>;

const counter = (name: ListenerCounter) => LISTENER_COUNTERS.indexOf(name);
/** Rate metrics (…/s) and the counter each one differences. */
const L4_RATES: [MetricId, number][] = [
  ["m4_ncps", counter("connections")],
  ["m5_in_pps", counter("packetsIn")],
  ["m6_out_pps", counter("packetsOut")],
  ["m7_in_Bps", counter("bytesIn")],
  ["m8_out_Bps", counter("bytesOut")],
];
const L7_RATES: [MetricId, number][] = [
  ["mb_l7_queries", counter("requests")],
  ["mc_l7_http_2xx", counter("status2xx")],
  ["md_l7_http_3xx", counter("status3xx")],
  ["me_l7_http_4xx", counter("status4xx")],
  ["mf_l7_http_5xx", counter("status5xx")],
  ["m10_l7_http_other_status", counter("statusOther")],
  ["m11_l7_http_404", counter("status404")],
  ["m12_l7_http_499", counter("status499")],
  ["m13_l7_http_502", counter("status502")],
];
const GAUGES: MetricId[] = ["m1_cps", "m2_act_conn", "m3_inact_conn"];
const REQUESTS = counter("requests");
const RESPONSE_TIME = counter("responseTimeMs");

/**
 * The metric_points rows of a closed minute: one per known listener it has numbers for, and one per load
 * balancer with such a listener or a health-checked server. Listener: gauges averaged over the minute's
 * reports, rates = increase / seconds (null without a differenced pair), m14 = Δ response time / Δ requests
 * (null without requests), L7 columns null unless HTTP/HTTPS. Load balancer: the sum of its listeners
 * (m14 over all of them), L7 columns null without an HTTP/HTTPS listener, m9/ma the average health counts.
 */
export function minutePoints(minute: ClosedMinute, topology: MetricTopology): MetricPointRow[] {
  const at = new Date(minute.start);
  const rows: MetricPointRow[] = [];
  const byLoadBalancer = new Map<string, { minutes: ListenerMinute[]; layer7: ListenerMinute[] }>();
  for (const [listenerId, numbers] of minute.listeners) {
    const known = topology.listeners.get(listenerId);
    if (!known) continue; // deleted meanwhile: its load balancer is unknown
    rows.push({ resolutionSeconds: 60, objectKind: "LISTENER", objectId: listenerId, loadBalancerId: known.loadBalancerId, at, samples: 1, ...listenerValues(numbers, known.layer7) });
    const group = byLoadBalancer.get(known.loadBalancerId) ?? { minutes: [], layer7: [] };
    group.minutes.push(numbers);
    if (known.layer7) group.layer7.push(numbers);
    byLoadBalancer.set(known.loadBalancerId, group);
  }
  const hasLayer7 = new Set<string>();
  for (const l of topology.listeners.values()) if (l.layer7) hasLayer7.add(l.loadBalancerId);
  const loadBalancerIds = new Set([...byLoadBalancer.keys(), ...minute.health.keys()]);
  for (const loadBalancerId of loadBalancerIds) {
    const group = byLoadBalancer.get(loadBalancerId) ?? { minutes: [], layer7: [] };
    const health = minute.health.get(loadBalancerId) ?? { healthy: 0, unhealthy: 0 };
    rows.push({
      resolutionSeconds: 60,
      objectKind: "LOAD_BALANCER",
      objectId: loadBalancerId,
      loadBalancerId,
      at,
      samples: 1,
      ...sumValues(group.minutes, L4_RATES, GAUGES),
      ...(hasLayer7.has(loadBalancerId) || group.layer7.length ? sumValues(group.layer7, L7_RATES, []) : {}),
      m14_l7_rt: hasLayer7.has(loadBalancerId) || group.layer7.length ? responseTime(group.layer7) : null,
      m9_abnormal_servers: health.unhealthy / minute.reports,
      ma_normal_servers: health.healthy / minute.reports,
    });
  }
  return rows;
}

function listenerValues(numbers: ListenerMinute, layer7: boolean): Values {
  const values: Values = {};
  GAUGES.forEach((id, i) => (values[id] = numbers.gaugeSamples ? numbers.gaugeSums[i]! / numbers.gaugeSamples : null));
  for (const [id, index] of L4_RATES) values[id] = rate(numbers, index);
  if (!layer7) return values;
  for (const [id, index] of L7_RATES) values[id] = rate(numbers, index);
  values.m14_l7_rt = responseTime([numbers]);
  return values;
}

function rate(numbers: ListenerMinute, index: number): number | null {
  return numbers.seconds > 0 ? numbers.deltas[index]! / numbers.seconds : null;
}

/** Sums of the listeners' values (a metric none of them has stays null). */
function sumValues(minutes: ListenerMinute[], rates: [MetricId, number][], gauges: MetricId[]): Values {
  const values: Values = {};
  const add = (id: MetricId, value: number | null) => {
    if (value !== null) values[id] = (values[id] ?? 0) + value;
    else values[id] ??= null;
  };
  for (const id of [...gauges, ...rates.map(([id]) => id)]) values[id] = null;
  for (const numbers of minutes) {
    gauges.forEach((id, i) => add(id, numbers.gaugeSamples ? numbers.gaugeSums[i]! / numbers.gaugeSamples : null));
    for (const [id, index] of rates) add(id, rate(numbers, index));
  }
  return values;
}

/** Average response time (ms) of the listeners' requests in the minute; null without a request. */
function responseTime(minutes: ListenerMinute[]): number | null {
  let requests = 0;
  let milliseconds = 0;
  for (const numbers of minutes) {
    if (numbers.seconds <= 0) continue;
    requests += numbers.deltas[REQUESTS]!;
    milliseconds += numbers.deltas[RESPONSE_TIME]!;
  }
  return requests > 0 ? milliseconds / requests : null;
}
