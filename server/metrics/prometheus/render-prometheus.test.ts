import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LISTENER_COUNTERS, type MetricsReport } from "@/engine/protocol/metrics.types";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import { createServiceTestBed, type ServiceTestBed } from "../../services/test-support";
import { createTestLoadBalancer, newListenerInput } from "../../services/listener/test-fixtures";
import { createListener } from "../../services/listener/create-listener";
import { addMembers } from "../../services/member/add-members";
import { renderPrometheus } from "./render-prometheus";
import { loadScrapeInventory } from "./scrape-inventory";
import { bearerToken } from "./metrics-token";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

describe("Prometheus exposition of a report", () => {
  it("labels every known listener's counters and gauges; L7 counters only for HTTP/HTTPS; m9/ma per load balancer; unknown listeners left out", async () => {
    const lb = await createTestLoadBalancer(bed, "prom-lb");
    const http = await createListener(bed.ctx, newListenerInput(lb.id, "HTTP", 80)); // its group has a health check
    const tcp = await createListener(bed.ctx, { ...newListenerInput(lb.id, "TCP", 9000), pool: { mode: "new", name: "unchecked", algorithm: "ROUND_ROBIN" } });
    const checked = (await addMembers(bed.ctx, { poolId: http.pool!.id, members: [1, 2, 3].map((i) => ({ address: `10.0.0.${i}`, port: 80 })) })).members;
    const counters = (base: number) => LISTENER_COUNTERS.map((_, i) => base + i);
    const report: MetricsReport = {
      startedAt: 1_700_000_000_000,
      at: 1_700_000_060_000,
      listeners: [
        { listenerId: http.id, counters: counters(100), gauges: [5, 2, 3] },
        { listenerId: tcp.id, counters: counters(200), gauges: [1, 1, 0] },
        { listenerId: "00000000-0000-4000-8000-00000000dead", counters: counters(900), gauges: [9, 9, 0] },
      ],
      accessLogs: [],
    };
    const health = new Map<string, MemberHealthReport>([
      [checked[0]!.id, { poolId: http.pool!.id, memberId: checked[0]!.id, status: "HEALTHY" }],
      [checked[1]!.id, { poolId: http.pool!.id, memberId: checked[1]!.id, status: "UNHEALTHY" }],
      [checked[2]!.id, { poolId: http.pool!.id, memberId: checked[2]!.id, status: "NO_MONITOR" }],
    ]);
    const { body, contentType } = await renderPrometheus(report, health, await loadScrapeInventory(bed.ctx.db));
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const labels = (l: { id: string; name: string; protocol: string }) => `lbaas_instance_id="${lb.id}",lbaas_listener_id="${l.id}",load_balancer_name="prom-lb",listener_name="${l.name}",protocol="${l.protocol}"`;
    const h = labels(http);
    const t = labels(tcp);
    expect(body).toContain(`elb_connections_total{${h}} 100\n`);
    expect(body).toContain(`elb_bytes_out_total{${h}} 104\n`);
    expect(body).toContain(`elb_requests_total{${h}} 105\n`);
    expect(body).toContain(`elb_http_responses_total{${h},code_class="2xx"} 106\n`);
    expect(body).toContain(`elb_http_responses_total{${h},code_class="other"} 110\n`);
    expect(body).toContain(`elb_http_responses_by_code_total{${h},code="502"} 113\n`);
    expect(body).toContain(`elb_response_time_milliseconds_total{${h}} 114\n`);
    expect(body).toContain(`elb_concurrent_connections{${h}} 5\n`);
    expect(body).toContain(`elb_inactive_connections{${h}} 3\n`);
    expect(body).toContain(`elb_connections_total{${t}} 200\n`);
    expect(body).toContain(`elb_active_connections{${t}} 1\n`);
    expect(body).not.toContain(`elb_requests_total{${t}}`); // a TCP listener has no L7 counters
    expect(body).not.toContain("00000000-0000-4000-8000-00000000dead");
    expect(body).toContain(`elb_normal_servers{lbaas_instance_id="${lb.id}",load_balancer_name="prom-lb"} 1\n`);
    expect(body).toContain(`elb_abnormal_servers{lbaas_instance_id="${lb.id}",load_balancer_name="prom-lb"} 1\n`);
    expect(body).toContain("elb_engine_start_time_seconds 1700000000\n");
    expect(body).toContain("# TYPE elb_connections_total counter");
    expect(body).toContain("# TYPE elb_concurrent_connections gauge");
  });

  it("an HTTPS listener has the L7 counters too, a UDP listener has none (by protocol, from the inventory)", async () => {
    const counters = LISTENER_COUNTERS.map((_, i) => 10 + i);
    const inventory = {
      listeners: new Map([
        ["l-https", { name: "tls", protocol: "HTTPS", loadBalancerId: "lb-x" }],
        ["l-udp", { name: "dns", protocol: "UDP", loadBalancerId: "lb-x" }],
      ]),
      loadBalancers: new Map([["lb-x", "x"]]),
      topology: { listeners: new Map(), checkedMembers: new Map() },
    };
    const report: MetricsReport = {
      startedAt: 1_700_000_000_000,
      at: 1_700_000_060_000,
      listeners: [
        { listenerId: "l-https", counters, gauges: [1, 1, 0] },
        { listenerId: "l-udp", counters, gauges: [1, 1, 0] },
      ],
      accessLogs: [],
    };
    const { body } = await renderPrometheus(report, new Map(), inventory);
    const labels = (id: string, name: string, protocol: string) => `lbaas_instance_id="lb-x",lbaas_listener_id="${id}",load_balancer_name="x",listener_name="${name}",protocol="${protocol}"`;
    expect(body).toContain(`elb_requests_total{${labels("l-https", "tls", "HTTPS")}} 15\n`);
    expect(body).toContain(`elb_http_responses_by_code_total{${labels("l-https", "tls", "HTTPS")},code="404"} 21\n`);
    expect(body).toContain(`elb_connections_total{${labels("l-udp", "dns", "UDP")}} 10\n`);
    expect(body).not.toContain(`elb_requests_total{${labels("l-udp", "dns", "UDP")}}`);
  });

  it("before the engine's first report: the metric families, no samples", async () => {
    const { body } = await renderPrometheus(null, new Map(), await loadScrapeInventory(bed.ctx.db));
    expect(body).toContain("# TYPE elb_requests_total counter");
    expect(body).not.toMatch(/^elb_requests_total\{/m);
  });

  it("reads only the Bearer scheme", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer  abc ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken("Basic Bearer abc")).toBeNull(); // the scheme is the header's first word
    expect(bearerToken("XBearer abc")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
