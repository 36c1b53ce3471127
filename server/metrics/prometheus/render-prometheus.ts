import "server-only";
import { Counter, Gauge, Registry } from "prom-client";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import { LISTENER_COUNTERS, LISTENER_GAUGES, type ListenerCounter, type ListenerGauge, type MetricsReport } from "@/engine/protocol/metrics.types";
import { countHealth } from "../collector/metric-topology";
import type { ScrapeInventory } from "./scrape-inventory";

const LISTENER_LABELS = ["lbaas_instance_id", "lbaas_listener_id", "load_balancer_name", "listener_name", "protocol"] as const;
const LB_LABELS = ["lbaas_instance_id", "load_balancer_name"] as const;

/**
 * One Prometheus metric per engine counter (guide 8.1's rates are `rate()` of these). HTTP responses are
 * one counter by class (`code_class` 2xx/3xx/4xx/5xx/other: they add up to elb_requests_total) and one
 * by the three codes the guide names (`code` 404/499/502, a subset of their classes, so never summed
 * with the first). L7 counters only for HTTP/HTTPS listeners.
 */
const COUNTERS: { name: string; help: string; counter: ListenerCounter; labels?: Record<string, string>; layer7: boolean }[] = [
  { name: "elb_connections_total", help: "TCP/HTTP/HTTPS connections accepted and UDP sessions opened (m4_ncps = rate)", counter: "connections", layer7: false },
  { name: "elb_packets_in_total", help: "Reads from clients: socket reads, or datagrams for UDP, not IP packets (m5_in_pps = rate)", counter: "packetsIn", layer7: false },
  { name: "elb_packets_out_total", help: "Writes to clients: socket writes, or datagrams for UDP, not IP packets (m6_out_pps = rate)", counter: "packetsOut", layer7: false },
  { name: "elb_bytes_in_total", help: "Bytes received from clients (m7_in_Bps = rate)", counter: "bytesIn", layer7: false },
  { name: "elb_bytes_out_total", help: "Bytes sent to clients (m8_out_Bps = rate)", counter: "bytesOut", layer7: false },
  { name: "elb_requests_total", help: "HTTP/HTTPS requests finished (mb_l7_queries = rate)", counter: "requests", layer7: true },
  { name: "elb_http_responses_total", help: "HTTP responses by status class sent to clients (mc–mf, m10 = rate)", counter: "status2xx", labels: { code_class: "2xx" }, layer7: true },
  { name: "elb_http_responses_total", help: "", counter: "status3xx", labels: { code_class: "3xx" }, layer7: true },
  { name: "elb_http_responses_total", help: "", counter: "status4xx", labels: { code_class: "4xx" }, layer7: true },
  { name: "elb_http_responses_total", help: "", counter: "status5xx", labels: { code_class: "5xx" }, layer7: true },
  { name: "elb_http_responses_total", help: "", counter: "statusOther", labels: { code_class: "other" }, layer7: true },
  { name: "elb_http_responses_by_code_total", help: "HTTP responses with status 404, 499 (client closed first) or 502 (m11–m13 = rate)", counter: "status404", labels: { code: "404" }, layer7: true },
  { name: "elb_http_responses_by_code_total", help: "", counter: "status499", labels: { code: "499" }, layer7: true },
  { name: "elb_http_responses_by_code_total", help: "", counter: "status502", labels: { code: "502" }, layer7: true },
  { name: "elb_response_time_milliseconds_total", help: "Sum of request response times in ms (m14_l7_rt = rate of this / rate of elb_requests_total)", counter: "responseTimeMs", layer7: true },
];
const GAUGES: { name: string; help: string; gauge: ListenerGauge }[] = [
  { name: "elb_concurrent_connections", help: "Client connections and UDP sessions open (m1_cps)", gauge: "concurrent" },
  { name: "elb_active_connections", help: "Open connections carrying traffic (m2_act_conn)", gauge: "active" },
  { name: "elb_inactive_connections", help: "Open idle connections: keep-alive between requests, TLS handshakes (m3_inact_conn)", gauge: "inactive" },
];

/**
 * The Prometheus text exposition of the engine's latest report, in a fresh Registry: per listener the
 * cumulative counters (since the engine process started — Prometheus sees a restart as a counter reset)
 * and the gauges, labelled with the guide's dimensions and the names; per load balancer m9/ma from the
 * health checks; elb_engine_start_time_seconds. Listeners the database does not know are left out.
 */
export async function renderPrometheus(report: MetricsReport | null, health: ReadonlyMap<string, MemberHealthReport>, inventory: ScrapeInventory): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const counters = new Map<string, Counter>();
  for (const c of COUNTERS) {
    if (!counters.has(c.name)) counters.set(c.name, new Counter({ name: c.name, help: c.help, labelNames: [...LISTENER_LABELS, ...Object.keys(c.labels ?? {})], registers: [registry] }));
  }
  const gauges = GAUGES.map((g) => ({ ...g, metric: new Gauge({ name: g.name, help: g.help, labelNames: [...LISTENER_LABELS], registers: [registry] }) }));
  const healthy = new Gauge({ name: "elb_normal_servers", help: "Backend servers the health check finds healthy (ma_normal_servers; servers without a health check are not counted)", labelNames: [...LB_LABELS], registers: [registry] });
  const unhealthy = new Gauge({ name: "elb_abnormal_servers", help: "Backend servers the health check finds unhealthy (m9_abnormal_servers)", labelNames: [...LB_LABELS], registers: [registry] });
  const started = new Gauge({ name: "elb_engine_start_time_seconds", help: "When the engine process whose counters these are started (Unix time)", registers: [registry] });

  if (report) {
    started.set(report.startedAt / 1000);
    for (const l of report.listeners) {
      const known = inventory.listeners.get(l.listenerId);
      if (!known) continue;
      const labels = { lbaas_instance_id: known.loadBalancerId, lbaas_listener_id: l.listenerId, load_balancer_name: inventory.loadBalancers.get(known.loadBalancerId) ?? "", listener_name: known.name, protocol: known.protocol };
      const layer7 = known.protocol === "HTTP" || known.protocol === "HTTPS";
      for (const c of COUNTERS) {
        if (c.layer7 && !layer7) continue;
        counters.get(c.name)!.inc({ ...labels, ...c.labels }, l.counters[LISTENER_COUNTERS.indexOf(c.counter)] ?? 0);
      }
      for (const g of gauges) g.metric.set(labels, l.gauges[LISTENER_GAUGES.indexOf(g.gauge)] ?? 0);
    }
  }
  for (const [loadBalancerId, count] of countHealth(inventory.topology, health)) {
    const labels = { lbaas_instance_id: loadBalancerId, load_balancer_name: inventory.loadBalancers.get(loadBalancerId) ?? "" };
    healthy.set(labels, count.healthy);
    unhealthy.set(labels, count.unhealthy);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
