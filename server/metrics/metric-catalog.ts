import type { MetricObjectKind } from "@/db/schema";

/** A metric id of guide 8.1: the name of its metric_points column. */
export type MetricId =
  | "m1_cps"
  | "m2_act_conn"
  | "m3_inact_conn"
  | "m4_ncps"
  | "m5_in_pps"
  | "m6_out_pps"
  | "m7_in_Bps"
  | "m8_out_Bps"
  | "m9_abnormal_servers"
  | "ma_normal_servers"
  | "mb_l7_queries"
  | "mc_l7_http_2xx"
  | "md_l7_http_3xx"
  | "me_l7_http_4xx"
  | "mf_l7_http_5xx"
  | "m10_l7_http_other_status"
  | "m11_l7_http_404"
  | "m12_l7_http_499"
  | "m13_l7_http_502"
  | "m14_l7_rt";

/** One metric of guide 8.1 as the console shows it. */
export interface MetricDefinition {
  id: MetricId;
  /** The guide's "Name" column. */
  name: string;
  /** Unit as the guide writes it. */
  unit: "Count" | "Count/s" | "Packet/s" | "byte/s" | "Query/s" | "ms";
  /** The guide's description, plus how this engine measures it where that differs from a cloud's. */
  description: string;
  /** Objects it is measured for (m9/ma: load balancers only). */
  objects: readonly MetricObjectKind[];
  /** Only HTTP/HTTPS listeners (and load balancers through them) have it. */
  layer7: boolean;
  /** gauge: a level (averaged over a period); rate: a per-second rate; average: a mean (response time). */
  kind: "gauge" | "rate" | "average";
}

const BOTH: readonly MetricObjectKind[] = ["LOAD_BALANCER", "LISTENER"];
const LB_ONLY: readonly MetricObjectKind[] = ["LOAD_BALANCER"];

/** Every metric of guide 8.1, in the guide's order. */
export const METRICS: readonly MetricDefinition[] = [
  { id: "m1_cps", name: "Concurrent Connections", unit: "Count", kind: "gauge", layer7: false, objects: BOTH, description: "Client connections and UDP sessions open on the monitored object." },
  { id: "m2_act_conn", name: "Active Connections", unit: "Count", kind: "gauge", layer7: false, objects: BOTH, description: "Open connections carrying traffic: TCP connections and UDP sessions, HTTP connections with a request in progress." },
  { id: "m3_inact_conn", name: "Inactive Connections", unit: "Count", kind: "gauge", layer7: false, objects: BOTH, description: "Open connections that are idle: HTTP keep-alive connections between requests, connections still in their TLS handshake." },
  { id: "m4_ncps", name: "New Connections", unit: "Count/s", kind: "rate", layer7: false, objects: BOTH, description: "TCP connections and UDP sessions established between clients and the monitored object per second." },
  { id: "m5_in_pps", name: "Incoming Packets", unit: "Packet/s", kind: "rate", layer7: false, objects: BOTH, description: "Reads from clients per second: the engine counts each socket read (each datagram for UDP), not IP packets." },
  { id: "m6_out_pps", name: "Outgoing Packets", unit: "Packet/s", kind: "rate", layer7: false, objects: BOTH, description: "Writes to clients per second: the engine counts each socket write (each datagram for UDP), not IP packets." },
  { id: "m7_in_Bps", name: "Inbound Rate", unit: "byte/s", kind: "rate", layer7: false, objects: BOTH, description: "Bytes received from clients per second." },
  { id: "m8_out_Bps", name: "Outbound Rate", unit: "byte/s", kind: "rate", layer7: false, objects: BOTH, description: "Bytes sent to clients per second." },
  { id: "m9_abnormal_servers", name: "Unhealthy Servers", unit: "Count", kind: "gauge", layer7: false, objects: LB_ONLY, description: "Backend servers of the load balancer's groups that their health check finds unhealthy. Servers of a group without a health check (or not checked yet) are counted neither healthy nor unhealthy." },
  { id: "ma_normal_servers", name: "Healthy Servers", unit: "Count", kind: "gauge", layer7: false, objects: LB_ONLY, description: "Backend servers of the load balancer's groups that their health check finds healthy. Servers of a group without a health check (or not checked yet) are counted neither healthy nor unhealthy." },
  { id: "mb_l7_queries", name: "Layer-7 Query Rate", unit: "Query/s", kind: "rate", layer7: true, objects: BOTH, description: "HTTP/HTTPS requests per second." },
  { id: "mc_l7_http_2xx", name: "2xx Status Codes", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "2xx responses per second." },
  { id: "md_l7_http_3xx", name: "3xx Status Codes", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "3xx responses per second." },
  { id: "me_l7_http_4xx", name: "4xx Status Codes", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "4xx responses per second." },
  { id: "mf_l7_http_5xx", name: "5xx Status Codes", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "5xx responses per second." },
  { id: "m10_l7_http_other_status", name: "Other Status Codes", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "Responses per second with a status outside 2xx–5xx." },
  { id: "m11_l7_http_404", name: "404 Not Found", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "404 Not Found responses per second." },
  { id: "m12_l7_http_499", name: "499 Client Closed Request", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "Requests per second whose client closed the connection before the response was complete." },
  { id: "m13_l7_http_502", name: "502 Bad Gateway", unit: "Count/s", kind: "rate", layer7: true, objects: BOTH, description: "502 Bad Gateway responses per second." },
  { id: "m14_l7_rt", name: "Average Layer-7 Response Time", unit: "ms", kind: "average", layer7: true, objects: BOTH, description: "Average time from receiving a request to sending the whole response." },
];

/** Metric ids, for zod enums. */
export const METRIC_IDS = METRICS.map((m) => m.id) as [MetricId, ...MetricId[]];

/** The definition of a metric id. */
export function metricDefinition(id: MetricId): MetricDefinition {
  const found = METRICS.find((m) => m.id === id);
  if (found === undefined) throw new Error(`unknown metric ${id}`);
  return found;
}
