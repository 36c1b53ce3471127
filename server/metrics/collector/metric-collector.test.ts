import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { metricPoints } from "@/db/schema";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import { LISTENER_COUNTERS, type ListenerCounter, type MetricsReport } from "@/engine/protocol/metrics.types";
import type { MemberHealth } from "@/engine/protocol/snapshot.types";
import { createServiceTestBed, type ServiceTestBed } from "../../services/test-support";
import { createTestLoadBalancer, newListenerInput } from "../../services/listener/test-fixtures";
import { createListener } from "../../services/listener/create-listener";
import { addMembers } from "../../services/member/add-members";
import { MetricCollector } from "./metric-collector";

/**
 * Collector math on synthetic reports of the engine's shape, written to a real database: rates from
 * differences, gauges averaged, restarts and new listeners rebaselined, gaps left absent, load balancer
 * sums, L7 columns null where there is no HTTP/HTTPS, m9/ma from member health.
 */
let bed: ServiceTestBed;
let lbWeb: string; // HTTP + TCP listener
let lbTcp: string; // TCP listener only
let http: string;
let tcp: string;
let tcpOnly: string;
let checked: string[]; // members of http's group (it has a health check)
let unchecked: string; // member of tcpOnly's group (no health check)

beforeAll(async () => {
  bed = await createServiceTestBed();
  lbWeb = (await createTestLoadBalancer(bed, "metrics-web")).id;
  lbTcp = (await createTestLoadBalancer(bed, "metrics-tcp")).id;
  const httpListener = await createListener(bed.ctx, newListenerInput(lbWeb, "HTTP", 80));
  http = httpListener.id;
  tcp = (await createListener(bed.ctx, newListenerInput(lbWeb, "TCP", 9000))).id;
  const tcpOnlyListener = await createListener(bed.ctx, { ...newListenerInput(lbTcp, "TCP", 9001), pool: { mode: "new", name: "no-check", algorithm: "ROUND_ROBIN" } });
  tcpOnly = tcpOnlyListener.id;
  checked = (await addMembers(bed.ctx, { poolId: httpListener.pool!.id, members: [1, 2, 3].map((i) => ({ address: `10.0.0.${i}`, port: 8080 })) })).members.map((m) => m.id);
  unchecked = (await addMembers(bed.ctx, { poolId: tcpOnlyListener.pool!.id, members: [{ address: "10.0.1.1", port: 8080 }] })).members[0]!.id;
});
afterAll(async () => {
  await bed?.close();
});

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0); // a minute edge
const STARTED = T0 - 3_600_000;
type Counters = Partial<Record<ListenerCounter, number>>;
const listener = (listenerId: string, counters: Counters, gauges: [number, number, number] = [0, 0, 0]) => ({
  listenerId,
  counters: LISTENER_COUNTERS.map((name) => counters[name] ?? 0),
  gauges,
});
const report = (at: number, listeners: MetricsReport["listeners"], startedAt = STARTED): MetricsReport => ({ startedAt, at, listeners, accessLogs: [] });
const health = (statuses: Record<string, MemberHealth>): Map<string, MemberHealthReport> =>
  new Map(Object.entries(statuses).map(([memberId, status]) => [memberId, { poolId: "p", memberId, status }]));

async function points(objectId: string) {
  return bed.ctx.db.select().from(metricPoints).where(and(eq(metricPoints.resolutionSeconds, 60), eq(metricPoints.objectId, objectId))).orderBy(asc(metricPoints.at));
}
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();
async function clear() {
  await bed.ctx.db.delete(metricPoints);
}

describe("the collector's 1-minute points", () => {
  it("rates are counter differences over the seconds between reports; gauges the average of the minute's reports", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db });
    // Cumulative totals far from 0 (the engine ran for an hour): 7 connections and 70 requests per 10 s.
    for (let i = 0; i <= 6; i++) {
      const c = 1000 + 7 * i;
      const r = 5000 + 70 * i;
      await collector.ingest(
        report(T0 + i * 10_000, [
          listener(http, { connections: c, packetsIn: 2 * r, packetsOut: 3 * r, bytesIn: 100 * r, bytesOut: 1000 * r, requests: r, status2xx: r - 20 * i, status4xx: 10 * i, status404: 10 * i, status5xx: 10 * i, status502: 5 * i, status499: i, statusOther: 0, responseTimeMs: 25 * r }, [2 * i, i, i]),
          listener(tcp, { connections: 10 * i, bytesIn: 1000 * i }, [4, 4, 0]),
        ]),
        new Map(),
      );
    }
    // Minute 0 holds the reports at :00…:50 (6 of them: 5 pairs = 50 s); the one at 10:01:00 closed it.
    const [h] = await points(http);
    expect(h!.at.toISOString()).toBe(minute(0));
    expect(h!.m4_ncps).toBeCloseTo(0.7, 9);
    expect(h!.mb_l7_queries).toBeCloseTo(7, 9);
    expect(h!.m5_in_pps).toBeCloseTo(14, 9);
    expect(h!.m6_out_pps).toBeCloseTo(21, 9);
    expect(h!.m7_in_Bps).toBeCloseTo(700, 9);
    expect(h!.m8_out_Bps).toBeCloseTo(7000, 9);
    expect(h!.mc_l7_http_2xx).toBeCloseTo(5, 9);
    expect(h!.me_l7_http_4xx).toBeCloseTo(1, 9);
    expect(h!.m11_l7_http_404).toBeCloseTo(1, 9);
    expect(h!.mf_l7_http_5xx).toBeCloseTo(1, 9);
    expect(h!.m13_l7_http_502).toBeCloseTo(0.5, 9);
    expect(h!.m12_l7_http_499).toBeCloseTo(0.1, 9);
    expect(h!.m10_l7_http_other_status).toBe(0);
    expect(h!.md_l7_http_3xx).toBe(0);
    expect(h!.m14_l7_rt).toBeCloseTo(25, 9);
    // Gauges: average of 0,2,4,6,8,10 → 5; of 0…5 → 2.5.
    expect(h!.m1_cps).toBeCloseTo(5, 9);
    expect(h!.m2_act_conn).toBeCloseTo(2.5, 9);
    expect(h!.m3_inact_conn).toBeCloseTo(2.5, 9);
    expect(h!.m9_abnormal_servers).toBeNull(); // load balancers only
    // A TCP listener has no L7 columns.
    const [t] = await points(tcp);
    expect(t!.m4_ncps).toBeCloseTo(1, 9);
    expect(t!.m7_in_Bps).toBeCloseTo(100, 9);
    expect(t!.m1_cps).toBe(4);
    expect([t!.mb_l7_queries, t!.mc_l7_http_2xx, t!.mf_l7_http_5xx, t!.m14_l7_rt]).toEqual([null, null, null, null]);
    // The load balancer: sums of its listeners; L7 from its HTTP listener; m14 over its requests.
    const [lb] = await points(lbWeb);
    expect(lb!.objectKind).toBe("LOAD_BALANCER");
    expect(lb!.loadBalancerId).toBe(lbWeb);
    expect(lb!.m4_ncps).toBeCloseTo(1.7, 9);
    expect(lb!.m7_in_Bps).toBeCloseTo(800, 9);
    expect(lb!.m1_cps).toBeCloseTo(9, 9);
    expect(lb!.mb_l7_queries).toBeCloseTo(7, 9);
    expect(lb!.m14_l7_rt).toBeCloseTo(25, 9);
    // Minute 1 is still open (one report): nothing written for it yet.
    expect((await points(http)).length).toBe(1);
  });

  it("a restarted engine and a listener seen first start new baselines: no negative rate, no jump", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db });
    const NEW = T0 + 25_000;
    await collector.ingest(report(T0, [listener(http, { connections: 500, requests: 900, responseTimeMs: 9000 })]), new Map());
    await collector.ingest(report(T0 + 10_000, [listener(http, { connections: 510, requests: 910, responseTimeMs: 10000 })]), new Map());
    await collector.ingest(report(T0 + 20_000, [listener(http, { connections: 520, requests: 920, responseTimeMs: 11000 })]), new Map());
    // The engine restarted at :25: its counters start again from 0.
    await collector.ingest(report(T0 + 30_000, [listener(http, { connections: 3, requests: 3, responseTimeMs: 300 })], NEW), new Map());
    await collector.ingest(report(T0 + 40_000, [listener(http, { connections: 13, requests: 13, responseTimeMs: 1300 }), listener(tcp, { connections: 4000 })], NEW), new Map());
    await collector.ingest(report(T0 + 50_000, [listener(http, { connections: 23, requests: 23, responseTimeMs: 2300 }), listener(tcp, { connections: 4010 })], NEW), new Map());
    await collector.ingest(report(T0 + 60_000, [listener(http, { connections: 33, requests: 33, responseTimeMs: 3300 })], NEW), new Map());
    const [h] = await points(http);
    // Pairs :00→:10, :10→:20, :30→:40, :40→:50 (the restart pair :20→:30 skipped): 40 per 40 s.
    expect(h!.m4_ncps).toBeCloseTo(1, 9);
    expect(h!.mb_l7_queries).toBeCloseTo(1, 9);
    expect(h!.m14_l7_rt).toBeCloseTo(100, 9);
    // The TCP listener appeared at :40 with 4000 connections: only :40→:50 counts (1/s), not 4010/s.
    const [t] = await points(tcp);
    expect(t!.m4_ncps).toBeCloseTo(1, 9);
  });

  it("a restarted engine is a new baseline even when its counters are already above the old process's (startedAt, not only a decrease)", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db });
    const NEW = T0 + 15_000;
    await collector.ingest(report(T0, [listener(tcp, { connections: 100 })]), new Map());
    await collector.ingest(report(T0 + 10_000, [listener(tcp, { connections: 110 })]), new Map());
    // The new process counted 500 connections in its first 5 s: above 110, yet not an increase of 390.
    await collector.ingest(report(T0 + 20_000, [listener(tcp, { connections: 500 })], NEW), new Map());
    await collector.ingest(report(T0 + 30_000, [listener(tcp, { connections: 510 })], NEW), new Map());
    await collector.ingest(report(T0 + 60_000, [listener(tcp, { connections: 540 })], NEW), new Map());
    const [t] = await points(tcp);
    // Pairs :00→:10 and :20→:30 (the restart pair :10→:20 skipped): 20 per 20 s.
    expect(t!.m4_ncps).toBeCloseTo(1, 9);
  });

  it("any one counter that went down makes a new baseline, the last of them (the response time sum) too", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db });
    await collector.ingest(report(T0, [listener(http, { requests: 100, responseTimeMs: 10_000 })]), new Map());
    await collector.ingest(report(T0 + 10_000, [listener(http, { requests: 110, responseTimeMs: 11_000 })]), new Map());
    await collector.ingest(report(T0 + 20_000, [listener(http, { requests: 120, responseTimeMs: 500 })]), new Map());
    await collector.ingest(report(T0 + 30_000, [listener(http, { requests: 130, responseTimeMs: 1500 })]), new Map());
    await collector.ingest(report(T0 + 60_000, [listener(http, { requests: 140, responseTimeMs: 2500 })]), new Map());
    const [h] = await points(http);
    // Pairs :00→:10 and :20→:30: 20 requests, 2000 ms; the pair whose response time went down is skipped.
    expect(h!.mb_l7_queries).toBeCloseTo(1, 9);
    expect(h!.m14_l7_rt).toBeCloseTo(100, 9);
  });

  it("a counter that went down (a listener removed and added again) is a new baseline too", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db });
    await collector.ingest(report(T0, [listener(tcp, { connections: 100 })]), new Map());
    await collector.ingest(report(T0 + 10_000, [listener(tcp, { connections: 110 })]), new Map());
    await collector.ingest(report(T0 + 20_000, [listener(tcp, { connections: 2 })]), new Map());
    await collector.ingest(report(T0 + 30_000, [listener(tcp, { connections: 12 })]), new Map());
    await collector.ingest(report(T0 + 60_000, [listener(tcp, { connections: 22 })]), new Map());
    const [t] = await points(tcp);
    expect(t!.m4_ncps).toBeCloseTo(1, 9);
  });

  it("a minute without reports has no point (a gap, not a zero); a silent engine's last minute is written after the grace", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db, graceMs: 20_000 });
    await collector.ingest(report(T0, [listener(tcp, { connections: 0 })]), new Map());
    await collector.ingest(report(T0 + 30_000, [listener(tcp, { connections: 30 })]), new Map());
    // Nothing in minutes 1 and 2; the engine reports again in minute 3.
    await collector.ingest(report(T0 + 180_000, [listener(tcp, { connections: 180 })]), new Map());
    await collector.ingest(report(T0 + 190_000, [listener(tcp, { connections: 190 })]), new Map());
    expect((await points(tcp)).map((p) => p.at.toISOString())).toEqual([minute(0)]);
    await collector.closeSilentMinute(T0 + 4 * 60_000 + 10_000); // within the grace: still open
    expect((await points(tcp)).length).toBe(1);
    await collector.closeSilentMinute(T0 + 4 * 60_000 + 20_000);
    const written = await points(tcp);
    expect(written.map((p) => p.at.toISOString())).toEqual([minute(0), minute(3)]);
    // Minute 3's rate spans the gap back to :30 (150 in 150 s) and :00→:10 of minute 3 … both 1/s.
    expect(written[1]!.m4_ncps).toBeCloseTo(1, 9);
  });

  it("a pair further apart than 5 minutes is not differenced: the first minute after a long gap has no rate", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db, graceMs: 0 });
    await collector.ingest(report(T0, [listener(tcp, { connections: 0 })], STARTED), new Map());
    await collector.ingest(report(T0 + 10 * 60_000, [listener(tcp, { connections: 9999 }, [3, 3, 0])], STARTED), new Map());
    await collector.closeSilentMinute(T0 + 12 * 60_000);
    const written = await points(tcp);
    expect(written.map((p) => p.at.toISOString())).toEqual([minute(0), minute(10)]);
    expect(written[1]!.m4_ncps).toBeNull();
    expect(written[1]!.m1_cps).toBe(3);
  });

  it("load balancers: TCP-only ones have null L7 columns; m9/ma count health-checked servers, averaged over the minute", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db });
    const [a, b, c] = checked as [string, string, string];
    await collector.ingest(report(T0, [listener(tcpOnly, { connections: 0 }), listener(http, {})]), health({ [a]: "HEALTHY", [b]: "HEALTHY", [c]: "UNHEALTHY", [unchecked]: "HEALTHY" }));
    await collector.ingest(report(T0 + 30_000, [listener(tcpOnly, { connections: 60 }), listener(http, {})]), health({ [a]: "HEALTHY", [b]: "UNHEALTHY", [c]: "NO_MONITOR", [unchecked]: "HEALTHY" }));
    await collector.ingest(report(T0 + 60_000, [listener(tcpOnly, { connections: 60 })]), new Map());
    const [tcpLb] = await points(lbTcp);
    expect(tcpLb!.m4_ncps).toBeCloseTo(2, 9);
    expect([tcpLb!.mb_l7_queries, tcpLb!.mc_l7_http_2xx, tcpLb!.m13_l7_http_502, tcpLb!.m14_l7_rt]).toEqual([null, null, null, null]);
    // Its only server's group has no health check: counted neither healthy nor unhealthy.
    expect([tcpLb!.ma_normal_servers, tcpLb!.m9_abnormal_servers]).toEqual([0, 0]);
    const [web] = await points(lbWeb);
    // Report 1: 2 healthy, 1 unhealthy; report 2: 1 healthy, 1 unhealthy (NO_MONITOR is neither).
    expect(web!.ma_normal_servers).toBeCloseTo(1.5, 9);
    expect(web!.m9_abnormal_servers).toBeCloseTo(1, 9);
    expect(web!.mb_l7_queries).toBe(0); // an HTTP listener without requests: 0/s, measured
    expect(web!.m14_l7_rt).toBeNull(); // no request: no response time
  });

  it("a listener the database does not know is left out; each minute's rows are written once", async () => {
    await clear();
    const collector = new MetricCollector({ db: bed.ctx.db });
    await collector.ingest(report(T0, [listener("00000000-0000-4000-8000-00000000dead", { connections: 1 }), listener(tcp, {})]), new Map());
    await collector.ingest(report(T0 + 60_000, [listener(tcp, {})]), new Map());
    const rows = await bed.ctx.db.select().from(metricPoints);
    // lbTcp has no listener in the report and no health-checked server: no point for it.
    expect(rows.map((r) => `${r.objectKind}:${r.objectId}`).sort()).toEqual([`LISTENER:${tcp}`, `LOAD_BALANCER:${lbWeb}`].sort());
  });

  it("reads the listener → load balancer topology again after the engine applied a new configuration", async () => {
    await clear();
    // The supervisor's side as the collector sees it: its events and its member health.
    const source = Object.assign(new EventEmitter(), { health: new Map<string, MemberHealthReport>() });
    const collector = new MetricCollector({ db: bed.ctx.db });
    collector.start(source);
    try {
      await collector.ingest(report(T0, [listener(tcp, {})]));
      const added = await createListener(bed.ctx, newListenerInput(lbTcp, "HTTP", 8088));
      const member = (await addMembers(bed.ctx, { poolId: added.pool!.id, members: [{ address: "10.0.2.1", port: 80 }] })).members[0]!.id;
      source.health.set(member, { poolId: added.pool!.id, memberId: member, status: "HEALTHY" });
      source.emit("applied", 2);
      await collector.ingest(report(T0 + 10_000, [listener(tcp, {}), listener(added.id, { requests: 5 })]));
      await collector.ingest(report(T0 + 20_000, [listener(tcp, {}), listener(added.id, { requests: 15 })]));
      await collector.ingest(report(T0 + 60_000, [listener(tcp, {})]));
      const [point] = await points(added.id);
      expect(point!.loadBalancerId).toBe(lbTcp);
      expect(point!.mb_l7_queries).toBeCloseTo(1, 9);
      const [lb] = await points(lbTcp);
      expect(lb!.mb_l7_queries).toBeCloseTo(1, 9); // lbTcp has an HTTP listener now
      expect(lb!.ma_normal_servers).toBeCloseTo(2 / 3, 9); // healthy in 2 of the minute's 3 reports
    } finally {
      collector.stop();
    }
  });
});
