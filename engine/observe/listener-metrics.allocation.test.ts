import { constants, PerformanceObserver, performance, type PerformanceEntry } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { createConnectionContext } from "./connection-context";
import { ListenerMetricsTable } from "./listener-metrics";
import { NOOP_OBSERVER } from "./noop-observer";
import type { RequestRecord } from "./observer.types";

/**
 * Issue 11 item 1: counting a request costs no allocation and no closure. Five million requests through a
 * listener's observer hooks (bytes in and out, start, done with every status class and a 499) cause at
 * most one scavenge (V8 installing optimized code may allocate once): the young generation holds at most
 * 16 MB, so even 16 bytes per request (one small object) would fill it five times over. Minor GCs are
 * counted from Node's own 'gc' performance entries.
 */
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** A "gc" performance entry: its detail says which kind of collection ran. */
type GcEntry = PerformanceEntry & { detail?: { kind?: number } };

const STATUSES = [200, 204, 301, 404, 403, 502, 503, 101, 0];

/** Runs `n` requests' hooks on one connection of an HTTP listener's observer. */
function countRequests(n: number): void {
  const table = new ListenerMetricsTable();
  const observer = table.observerFor("l-alloc", "HTTP", null);
  const context = createConnectionContext({ listenerId: "l-alloc", localAddress: "127.0.0.1", localPort: 80, bandwidth: null, observer }, "127.0.0.2", 40000);
  const record: RequestRecord = { method: "GET", status: 200, member: null, error: null, startedAt: 0, responseStartedAt: -1, doneAt: 0, detail: null };
  observer.connectionOpened(context);
  for (let i = 0; i < n; i++) {
    observer.bytesIn(context, 120);
    observer.requestStarted(context);
    record.status = STATUSES[i % STATUSES.length]!;
    record.error = i % 97 === 0 ? "client_closed" : null;
    record.startedAt = i;
    record.doneAt = i + 1.5;
    observer.bytesOut(context, 300);
    observer.requestDone(context, record);
  }
  observer.connectionClosed(context);
  expect(table.report()[0]!.counters[5]).toBe(n); // every request counted (requests is the sixth counter)
}

describe("listener metrics: no allocation per request", () => {
  it("five million requests counted with at most one minor GC", async () => {
    const minor: PerformanceEntry[] = [];
    const watcher = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if ((e as GcEntry).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor.push(e);
    });
    watcher.observe({ entryTypes: ["gc"] });
    try {
      countRequests(500_000); // warm-up: compiled and optimized (twice: the second call runs the optimized code from its start)
      countRequests(500_000);
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const from = performance.now();
      countRequests(5_000_000);
      const to = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries are delivered asynchronously
      expect(minor.filter((e) => e.startTime >= from && e.startTime <= to).length).toBeLessThanOrEqual(1);
    } finally {
      watcher.disconnect();
    }
  });
});
