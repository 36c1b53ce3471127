import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { alarmHistory, alarmNotifications, metricPoints } from "@/db/schema";
import type { MetricsReport } from "@/engine/protocol/metrics.types";
import { buildEngine } from "@/engine/test-support/engine-process";
import { freePort, waitFor } from "@/engine/test-support/backends";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { createTestLoadBalancer } from "../services/listener/test-fixtures";
import { createListener } from "../services/listener/create-listener";
import { addMembers } from "../services/member/add-members";
import { EngineSupervisor } from "../control-plane/engine-supervisor";
import { buildNextSnapshot } from "../control-plane/publish-snapshot";
import { waitForEvent } from "../control-plane/test-support/supervisor-events";
import { MetricCollector } from "../metrics/collector/metric-collector";
import { createAlarmRule } from "../services/alarm-rule/create-alarm-rule";
import { getAlarmRule } from "../services/alarm-rule/get-alarm-rule";
import { startAlarmService, type AlarmService } from "./alarm-service";

/**
 * Alarm rules end to end on real parts, on the real clock: HTTP requests through a real engine process to
 * a backend answering 500 → the engine's metrics reports → the collector's 1-minute point → the alarm
 * service's evaluation (every 500 ms) puts the rule in Alarm → its deliverer POSTs the notification to a
 * real webhook receiver on 127.0.0.1. The minute has to end before its point exists: up to ~62 s (100 s allowed).
 */
let bed: ServiceTestBed;
let dir: string;
let entry: string;
let backend: http.Server;
let receiver: http.Server;
const received: { body: Record<string, unknown>; contentType: string | undefined }[] = [];
let supervisor: EngineSupervisor | null = null;
let enginePid: number | null = null;
let collector: MetricCollector | null = null;
let alarms: AlarmService | null = null;

beforeAll(async () => {
  bed = await createServiceTestBed();
  dir = mkdtempSync(path.join(os.tmpdir(), "elb-alarm-e2e-"));
  entry = path.join(dir, "engine.mjs");
  await buildEngine(entry);
  backend = http.createServer((request, response) => {
    const status = request.url === "/fail" ? 500 : 200;
    response.writeHead(status, { "content-type": "text/plain", "content-length": "2" }).end("no");
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")), contentType: request.headers["content-type"] });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
}, 120_000);
afterAll(async () => {
  await alarms?.stop();
  collector?.stop();
  await supervisor?.stop({ stopEngine: true });
  if (enginePid !== null) {
    try {
      process.kill(enginePid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await new Promise((resolve) => backend?.close(resolve));
  await new Promise((resolve) => receiver?.close(resolve));
  await bed?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One GET on a new connection; the status (0 on error). */
function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
  });
}

describe("alarm rule end to end", () => {
  it("5xx through a real engine above the threshold → Alarm → the webhook receiver on loopback gets the JSON POST", async () => {
    const lb = await createTestLoadBalancer(bed, "alarm-e2e");
    const port = await freePort();
    const listener = await createListener(bed.ctx, { loadBalancerId: lb.id, name: "web", protocol: "HTTP", port, pool: { mode: "new", name: "web-group", algorithm: "ROUND_ROBIN" } });
    await addMembers(bed.ctx, { poolId: listener.pool!.id, members: [{ address: "127.0.0.1", port: (backend.address() as AddressInfo).port }] });
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/elb-alarm`;
    // More than 0.05 5xx responses per second, in 1 raw minute.
    const rule = await createAlarmRule(bed.ctx, {
      name: "web-5xx",
      dimension: "LISTENER",
      loadBalancerId: lb.id,
      listenerId: listener.id,
      metric: "mf_l7_http_5xx",
      statistic: "RAW",
      periodSeconds: 60,
      comparison: ">",
      threshold: 0.05,
      consecutivePeriods: 1,
      severity: "CRITICAL",
      webhookUrl,
    });

    supervisor = new EngineSupervisor({
      entry,
      stateDir: path.join(dir, "state"),
      stopEngineOnStop: true,
      pingIntervalMs: 1000,
      env: { ELB_METRICS_INTERVAL_MS: "200", ELB_ENGINE_WORKERS: "1", ELB_SECRET_KEY: randomBytes(32).toString("hex") },
    });
    supervisor.on("ready", (pid: number) => (enginePid = pid));
    collector = new MetricCollector({ db: bed.ctx.db });
    collector.start(supervisor);
    const applied = waitForEvent(supervisor, "applied", () => true, 30_000);
    supervisor.start();
    supervisor.publish((await buildNextSnapshot(bed.ctx.db)).snapshot);
    await applied;
    await waitForEvent<MetricsReport>(supervisor, "metrics", (r) => r.listeners.some((l) => l.listenerId === listener.id), 10_000);
    alarms = startAlarmService({ db: bed.ctx.db, evaluateEveryMs: 500, deliverEveryMs: 500, settleMs: 1_000, delivery: { timeoutMs: 2_000, backoffMs: 500 } });

    // 20 requests answered 500 (well within one minute), then the minute has to end.
    const statuses = await Promise.all(Array.from({ length: 20 }, () => get(`http://${lb.privateIp}:${port}/fail`)));
    expect(statuses).toEqual(Array(20).fill(500));
    await waitFor(() => received.length > 0, 100_000, "the alarm's webhook POST");

    const details = await getAlarmRule(bed.ctx, { id: rule.id });
    expect(details.rule.state).toBe("ALARM");
    // Newest first: the transition to Alarm (a minute of the engine before the requests may have been OK).
    const alarm = details.history[0]!;
    expect(alarm.toState).toBe("ALARM");
    expect(details.history.slice(1).map((h) => h.toState)).not.toContain("ALARM");
    const value = alarm.value!;
    expect(value).toBeGreaterThan(0.05);
    // The value alarmed on is the collector's point for the minute of the requests.
    const points = await bed.ctx.db.select({ v: metricPoints.mf_l7_http_5xx }).from(metricPoints).where(and(eq(metricPoints.resolutionSeconds, 60), eq(metricPoints.objectId, listener.id)));
    expect(points.map((p) => p.v)).toContain(value);
    expect(received).toHaveLength(1);
    expect(received[0]!.contentType).toBe("application/json");
    expect(received[0]!.body).toMatchObject({
      event: "ALARM",
      rule: { id: rule.id, name: "web-5xx", severity: "CRITICAL", resourceType: "ELB" },
      object: { dimension: "LISTENER", loadBalancerId: lb.id, listenerId: listener.id, name: "web" },
      metric: { id: "mf_l7_http_5xx", name: "5xx Status Codes", unit: "Count/s", statistic: "RAW", periodSeconds: 60 },
      condition: { comparison: ">", threshold: 0.05, consecutivePeriods: 1 },
      value,
      fromState: alarm.fromState,
      toState: "ALARM",
      reason: alarm.reason,
    });
    // The delivery is recorded as the receiver answered it (the row is updated right after the POST returns).
    await expect
      .poll(async () => (await bed.ctx.db.select().from(alarmNotifications).where(eq(alarmNotifications.ruleId, rule.id)))[0], { timeout: 5_000 })
      .toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 204, lastError: null });
    expect(await bed.ctx.db.select().from(alarmHistory).where(eq(alarmHistory.ruleId, rule.id))).toHaveLength(details.history.length);
  }, 180_000);
});
