import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { metricPoints } from "@/db/schema";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import { LISTENER_COUNTERS, type MetricsReport } from "@/engine/protocol/metrics.types";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { createTestLoadBalancer, newListenerInput } from "../services/listener/test-fixtures";
import { createListener } from "../services/listener/create-listener";
import { getMetricCollector, registerMetricCollector } from "./prometheus/collector-registry";
import { startMetrics } from "./start-metrics";

/**
 * What the control plane starts (`startMetrics`), on a real database: the collector hears the
 * supervisor's reports and writes 1-minute points (the last one of a quiet engine too, by its own timer),
 * it is the collector /metrics reads, and the maintenance
 * pass runs at once — roll-ups made and points past the default 7-day retention pruned — without anyone
 * calling it. The parts are tested on their own elsewhere; this proves they are wired.
 */
let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  registerMetricCollector(undefined);
  await bed?.close();
});

const DAY = 86_400_000;
const MIN = 60_000;

describe("startMetrics", () => {
  it("writes the reports it hears, registers the collector for /metrics, and rolls up and prunes on its own", async () => {
    const lb = await createTestLoadBalancer(bed, "start-metrics");
    const listener = await createListener(bed.ctx, newListenerInput(lb.id, "TCP", 9000));
    const now = Math.floor(Date.now() / MIN) * MIN;
    const old = now - 8 * DAY; // past the 7 days 1-minute points are kept, within the 31 of 5-minute points
    const recent = now - 30 * MIN;
    const raw = (at: number, m4: number) => ({ resolutionSeconds: 60, objectKind: "LISTENER" as const, objectId: listener.id, loadBalancerId: lb.id, at: new Date(at), samples: 1, m4_ncps: m4 });
    await bed.ctx.db.insert(metricPoints).values([raw(old, 2), raw(recent, 4)]);

    const source = Object.assign(new EventEmitter(), { health: new Map<string, MemberHealthReport>() });
    const collector = startMetrics(bed.ctx.db, source);
    try {
      expect(getMetricCollector()).toBe(collector);
      const at = (resolution: number) =>
        bed.ctx.db
          .select({ at: metricPoints.at, m4: metricPoints.m4_ncps })
          .from(metricPoints)
          .where(and(eq(metricPoints.resolutionSeconds, resolution), eq(metricPoints.objectId, listener.id)))
          .orderBy(asc(metricPoints.at));
      // The first maintenance pass runs when started: both minutes rolled up, the old raw one pruned.
      await expect.poll(async () => [(await at(3600)).length, (await at(60)).length], { timeout: 20_000 }).toEqual([2, 1]);
      expect((await at(300)).map((p) => [p.at.getTime(), p.m4])).toEqual([
        [Math.floor(old / 300_000) * 300_000, 2],
        [Math.floor(recent / 300_000) * 300_000, 4],
      ]);
      expect((await at(60)).map((p) => p.at.getTime())).toEqual([recent]);

      // The supervisor's reports: 10 connections in 10 s in the minute [T, T+1), closed by a report at T+1.
      const T = now - 10 * MIN;
      const report = (reportAt: number, connections: number): MetricsReport => ({
        startedAt: T - DAY,
        at: reportAt,
        listeners: [{ listenerId: listener.id, counters: LISTENER_COUNTERS.map((name) => (name === "connections" ? connections : 0)), gauges: [1, 1, 0] }],
        accessLogs: [],
      });
      source.emit("metrics", report(T, 100));
      source.emit("metrics", report(T + 10_000, 110));
      source.emit("metrics", report(T + MIN, 110));
      await expect.poll(async () => (await at(60)).some((p) => p.at.getTime() === T), { timeout: 10_000 }).toBe(true);
      expect((await at(60)).find((p) => p.at.getTime() === T)!.m4).toBeCloseTo(1, 9);
      expect(collector.latest()?.at).toBe(T + MIN);
      // No report after T + 1 min (the engine went quiet): its minute is written by the collector's own timer after the grace.
      await expect.poll(async () => (await at(60)).some((p) => p.at.getTime() === T + MIN), { timeout: 15_000 }).toBe(true);
    } finally {
      collector.stop();
    }
  });
});
