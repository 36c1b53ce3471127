import { describe, expect, it } from "vitest";
import type { AccessLogStreamReport, ListenerMetricsReport } from "../protocol/metrics.types";
import { MetricsSum, liveIdsOf, type ThreadMetrics } from "./metrics-sum";

/**
 * The primary's sum of worker reports (metrics-sum.ts): counters and gauges add up over workers; a dead
 * worker's counts are carried (no counter goes down while its new thread starts from 0), its gauges
 * are not; carried numbers of a listener or stream the snapshot no longer has are dropped.
 */
const counters = (base: number) => Array.from({ length: 15 }, (_, i) => base + i);
const row = (listenerId: string, base: number, gauges = [1, 1, 0]): ListenerMetricsReport => ({ listenerId, counters: counters(base), gauges });
const log = (streamId: string, written: number, dropped = 0): AccessLogStreamReport => ({ streamId, written, dropped, syslogSent: written, syslogDropped: 0 });
const thread = (listeners: ListenerMetricsReport[], accessLogs: AccessLogStreamReport[] = []): ThreadMetrics => ({ listeners, accessLogs });
const live = liveIdsOf([{ id: "a", accessLog: { streamId: "s" } }, { id: "b" }]);

describe("metrics sum", () => {
  it("adds the workers' counters and gauges per listener and their access-log totals per stream", () => {
    const sum = new MetricsSum(2);
    sum.update(0, thread([row("a", 10), row("b", 0, [2, 0, 2])], [log("s", 5, 1)]));
    sum.update(1, thread([row("a", 100, [3, 2, 1])], [log("s", 7)]));
    const report = sum.report(1, 2, live);
    expect(report).toMatchObject({ startedAt: 1, at: 2 });
    expect(report.listeners).toEqual([
      { listenerId: "a", counters: counters(110).map((v, i) => v + i), gauges: [4, 3, 1] },
      { listenerId: "b", counters: counters(0), gauges: [2, 0, 2] },
    ]);
    expect(report.accessLogs).toEqual([{ streamId: "s", written: 12, dropped: 1, syslogSent: 12, syslogDropped: 0 }]);
  });

  it("carries what a dead worker counted: its replacement starts from 0 and no counter goes down; its gauges go", () => {
    const sum = new MetricsSum(2);
    sum.update(0, thread([row("a", 10, [5, 5, 0])], [log("s", 5)]));
    sum.update(1, thread([row("a", 100, [1, 1, 0])], [log("s", 7)]));
    const before = sum.report(0, 1, live);
    sum.workerEnded(0);
    const between = sum.report(0, 2, live); // dead, not yet replaced
    expect(between.listeners[0]!.counters).toEqual(before.listeners[0]!.counters);
    expect(between.listeners[0]!.gauges).toEqual([1, 1, 0]);
    sum.update(0, thread([row("a", 0, [0, 0, 0])], [log("s", 0)])); // the new thread: from 0
    const after = sum.report(0, 3, live);
    expect(after.listeners[0]!.counters).toEqual(before.listeners[0]!.counters.map((v, i) => v + i)); // + the new thread's 0..14
    expect(after.accessLogs).toEqual([{ streamId: "s", written: 12, dropped: 0, syslogSent: 12, syslogDropped: 0 }]);
  });

  it("adds to what it carries when the same place's worker dies again: two restarts lose neither thread's counts", () => {
    const sum = new MetricsSum(1);
    sum.update(0, thread([row("a", 10)], [log("s", 3, 1)]));
    sum.workerEnded(0);
    sum.update(0, thread([row("a", 100)], [log("s", 5, 2)])); // the replacement counted more, then died too
    sum.workerEnded(0);
    const report = sum.report(0, 1, live);
    expect(report.listeners).toEqual([{ listenerId: "a", counters: counters(110).map((v, i) => v + i), gauges: [0, 0, 0] }]);
    expect(report.accessLogs).toEqual([{ streamId: "s", written: 8, dropped: 3, syslogSent: 8, syslogDropped: 0 }]);
  });

  it("keeps carried counts of a live listener no worker reports yet, and drops those of a listener and stream the snapshot removed", () => {
    const sum = new MetricsSum(1);
    sum.update(0, thread([row("a", 10)], [log("s", 3)]));
    sum.workerEnded(0);
    expect(sum.report(0, 1, live).listeners).toEqual([{ listenerId: "a", counters: counters(10), gauges: [0, 0, 0] }]);
    expect(sum.report(0, 1, live).accessLogs).toEqual([{ streamId: "s", written: 3, dropped: 0, syslogSent: 3, syslogDropped: 0 }]);
    const gone = liveIdsOf([]);
    expect(sum.report(0, 2, gone)).toMatchObject({ listeners: [], accessLogs: [] });
    expect(sum.report(0, 3, live)).toMatchObject({ listeners: [], accessLogs: [] }); // dropped for good
  });
});
