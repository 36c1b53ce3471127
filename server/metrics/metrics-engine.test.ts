import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { metricPoints } from "@/db/schema";
import { LISTENER_COUNTERS, type MetricsReport } from "@/engine/protocol/metrics.types";
import { buildEngine } from "@/engine/test-support/engine-process";
import { freePort, waitFor } from "@/engine/test-support/backends";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { createTestLoadBalancer } from "../services/listener/test-fixtures";
import { createListener } from "../services/listener/create-listener";
import { addMembers } from "../services/member/add-members";
import { createMetricsToken } from "../services/metrics/metrics-tokens";
import { EngineSupervisor } from "../control-plane/engine-supervisor";
import { buildNextSnapshot } from "../control-plane/publish-snapshot";
import { waitForEvent } from "../control-plane/test-support/supervisor-events";
import { MetricCollector } from "./collector/metric-collector";
import { serveMetricsScrape } from "./prometheus/serve-metrics-scrape";

/**
 * The whole path on real parts: a real engine process (supervised, reporting every 200 ms) carrying real
 * HTTP requests of known shape to a real backend, the collector writing points to the database, and a
 * Prometheus scrape of the engine's latest report. Counts must match exactly (rates × the seconds they
 * cover give back whole requests to 1e-6).
 */
let bed: ServiceTestBed;
let dir: string;
let entry: string;
let backend: http.Server;
let supervisor: EngineSupervisor | null = null;
let enginePid: number | null = null;

beforeAll(async () => {
  bed = await createServiceTestBed();
  dir = mkdtempSync(path.join(os.tmpdir(), "elb-metrics-engine-"));
  entry = path.join(dir, "engine.mjs");
  await buildEngine(entry);
  // The backend answers by path: /ok 200 "hello", /missing 404, /fail 500.
  backend = http.createServer((request, response) => {
    const status = request.url === "/missing" ? 404 : request.url === "/fail" ? 500 : 200;
    const body = status === 200 ? "hello" : "no";
    response.writeHead(status, { "content-type": "text/plain", "content-length": String(body.length) });
    response.end(body);
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
}, 120_000);
afterAll(async () => {
  await supervisor?.stop({ stopEngine: true });
  if (enginePid !== null) {
    try {
      process.kill(enginePid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await new Promise((resolve) => backend?.close(resolve));
  await bed?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends `paths` one after another on one keep-alive connection; answers the bytes written and read. */
async function keepAliveRequests(address: string, port: number, paths: string[]): Promise<{ written: number; read: number; socket: net.Socket; statuses: number[] }> {
  const socket = net.connect({ host: address, port });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let buffer = Buffer.alloc(0);
  let read = 0;
  socket.on("data", (chunk: Buffer) => {
    read += chunk.length;
    buffer = Buffer.concat([buffer, chunk]);
  });
  let written = 0;
  const statuses: number[] = [];
  for (const p of paths) {
    const request = `GET ${p} HTTP/1.1\r\nHost: metrics.test\r\nUser-Agent: metrics-test\r\n\r\n`;
    written += Buffer.byteLength(request);
    const before = read;
    socket.write(request);
    // One response: head, then a body of its content-length (the backend sends 5 or 2 bytes).
    await waitFor(() => {
      const text = buffer.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return false;
      const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      return buffer.length >= end + 4 + length;
    }, 5000, `answer to ${p}`);
    const text = buffer.toString("latin1");
    const end = text.indexOf("\r\n\r\n");
    const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
    if (!/content-length/i.test(text.slice(0, end))) throw new Error(`a response without content-length: ${JSON.stringify(text)}`);
    statuses.push(Number(text.slice(9, 12)));
    buffer = buffer.subarray(end + 4 + length);
    expect(read).toBeGreaterThan(before);
  }
  return { written, read, socket, statuses };
}

/** Prometheus text → value of `name{…labels…}` (labels as a substring match). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("metrics of a real engine process", () => {
  it("points written and the Prometheus scrape equal the engine's counts of real traffic; no or a wrong token → 401", async () => {
    const lb = await createTestLoadBalancer(bed, "metrics-engine");
    const port = await freePort();
    const listener = await createListener(bed.ctx, { loadBalancerId: lb.id, name: "web", protocol: "HTTP", port, pool: { mode: "new", name: "web-group", algorithm: "ROUND_ROBIN" } });
    await addMembers(bed.ctx, { poolId: listener.pool!.id, members: [{ address: "127.0.0.1", port: (backend.address() as net.AddressInfo).port }] });

    supervisor = new EngineSupervisor({
      entry,
      stateDir: path.join(dir, "state"),
      stopEngineOnStop: true,
      pingIntervalMs: 1000,
      env: { ELB_METRICS_INTERVAL_MS: "200", ELB_ENGINE_WORKERS: "2", ELB_SECRET_KEY: randomBytes(32).toString("hex") },
    });
    supervisor.on("ready", (pid: number) => (enginePid = pid));
    const collector = new MetricCollector({ db: bed.ctx.db });
    const seen: MetricsReport[] = [];
    const record = (report: MetricsReport) => seen.push(report);
    supervisor.on("metrics", record);
    collector.start(supervisor);
    const applied = waitForEvent(supervisor, "applied", () => true, 30_000);
    supervisor.start();
    supervisor.publish((await buildNextSnapshot(bed.ctx.db)).snapshot);
    await applied;
    await waitForEvent<MetricsReport>(supervisor, "metrics", (r) => r.listeners.some((l) => l.listenerId === listener.id), 10_000);

    // 20 × 200, 7 × 404, 3 × 500 on one keep-alive connection.
    const paths = [...Array(20).fill("/ok"), ...Array(7).fill("/missing"), ...Array(3).fill("/fail")];
    const traffic = await keepAliveRequests(lb.privateIp, port, paths);
    expect(traffic.statuses.filter((s) => s === 200).length).toBe(20);
    const R = LISTENER_COUNTERS.indexOf("requests");
    const counts = (r: MetricsReport | null) => r?.listeners.find((l) => l.listenerId === listener.id)?.counters;
    // Two reports after the last response: the engine has counted everything (requests finish after the write).
    await waitFor(() => (counts(collector.latest())?.[R] ?? 0) >= 30, 10_000, "30 requests reported");
    const after = seen.length;
    await waitFor(() => seen.length >= after + 2, 10_000, "two more reports");

    // Prometheus: without a token, with a wrong one → 401; with the token → the engine's counters.
    const { token } = await createMetricsToken(bed.ctx, { name: "scraper" });
    const scrape = (authorization?: string) =>
      serveMetricsScrape(bed.ctx.db, new Request("http://console.test/metrics", { headers: authorization ? { authorization } : {} }), collector);
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${token}x`)).status).toBe(401);
    expect((await scrape(`Basic ${token}`)).status).toBe(401);
    const scraped = await scrape(`Bearer ${token}`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scraped.text();
    const labels = { lbaas_instance_id: lb.id, lbaas_listener_id: listener.id, listener_name: "web", load_balancer_name: "metrics-engine" };
    expect(sample(text, "elb_requests_total", labels)).toBe(30);
    expect(sample(text, "elb_http_responses_total", { ...labels, code_class: "2xx" })).toBe(20);
    expect(sample(text, "elb_http_responses_total", { ...labels, code_class: "4xx" })).toBe(7);
    expect(sample(text, "elb_http_responses_total", { ...labels, code_class: "5xx" })).toBe(3);
    expect(sample(text, "elb_http_responses_by_code_total", { ...labels, code: "404" })).toBe(7);
    expect(sample(text, "elb_connections_total", labels)).toBe(1);
    expect(sample(text, "elb_bytes_in_total", labels)).toBe(traffic.written);
    expect(sample(text, "elb_bytes_out_total", labels)).toBe(traffic.read);
    expect(sample(text, "elb_concurrent_connections", labels)).toBe(1); // the keep-alive connection is still open

    // The points: stop hearing reports (the test's record and the collector see the same ones), write the open minute.
    collector.stop();
    supervisor.off("metrics", record);
    await collector.closeSilentMinute(Date.now() + 10 * 60_000);
    traffic.socket.destroy();
    const rows = await bed.ctx.db.select().from(metricPoints).where(and(eq(metricPoints.resolutionSeconds, 60), eq(metricPoints.objectId, listener.id))).orderBy(asc(metricPoints.at));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    // Seconds each minute's rate covers: from the report before its first report (same engine) to its last.
    const secondsOf = (minuteStart: number) => {
      const withListener = seen.filter((r) => r.listeners.some((l) => l.listenerId === listener.id));
      const inside = withListener.filter((r) => Math.floor(r.at / 60_000) * 60_000 === minuteStart);
      const before = withListener.filter((r) => r.at < minuteStart && r.startedAt === inside[0]!.startedAt).at(-1);
      return (inside.at(-1)!.at - (before ?? inside[0]!).at) / 1000;
    };
    const total = (pick: (row: (typeof rows)[number]) => number | null) => rows.reduce((sum, row) => sum + (pick(row) ?? 0) * secondsOf(row.at.getTime()), 0);
    expect(total((r) => r.mb_l7_queries)).toBeCloseTo(30, 6);
    expect(total((r) => r.mc_l7_http_2xx)).toBeCloseTo(20, 6);
    expect(total((r) => r.me_l7_http_4xx)).toBeCloseTo(7, 6);
    expect(total((r) => r.m11_l7_http_404)).toBeCloseTo(7, 6);
    expect(total((r) => r.mf_l7_http_5xx)).toBeCloseTo(3, 6);
    expect(total((r) => r.m13_l7_http_502)).toBeCloseTo(0, 6);
    expect(total((r) => r.m4_ncps)).toBeCloseTo(1, 6);
    expect(total((r) => r.m7_in_Bps)).toBeCloseTo(traffic.written, 6);
    expect(total((r) => r.m8_out_Bps)).toBeCloseTo(traffic.read, 6);
    expect(rows.some((r) => (r.m1_cps ?? 0) > 0)).toBe(true);
    // The load balancer's points are its one listener's.
    const lbRows = await bed.ctx.db.select().from(metricPoints).where(and(eq(metricPoints.resolutionSeconds, 60), eq(metricPoints.objectId, lb.id))).orderBy(asc(metricPoints.at));
    expect(lbRows.map((r) => [r.at.getTime(), r.mb_l7_queries, r.m8_out_Bps])).toEqual(rows.map((r) => [r.at.getTime(), r.mb_l7_queries, r.m8_out_Bps]));
  }, 120_000);
});
