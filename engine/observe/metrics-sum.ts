import { LISTENER_GAUGES, type AccessLogStreamReport, type ListenerMetricsReport, type MetricsReport } from "../protocol/metrics.types";

/** What one thread reports: its listeners' rows and its access-log writers' totals. */
export interface ThreadMetrics {
  listeners: ListenerMetricsReport[];
  accessLogs: AccessLogStreamReport[];
}

/** What a live snapshot has: the ids whose numbers are kept while no thread reports them (every worker restarting). */
export interface LiveIds {
  listeners: ReadonlySet<string>;
  streams: ReadonlySet<string>;
}

const LOG_FIELDS = ["written", "dropped", "syslogSent", "syslogDropped"] as const;

/**
 * The primary's sum of its worker threads' metrics into one report. Each worker place's latest report is
 * kept; when a worker's thread ends, what it had counted (its last report) is carried — added to every
 * later sum of the same listener or stream — so a cumulative counter never goes down when a worker dies
 * and starts again from 0. Gauges are summed over the live workers only (a dead worker's connections
 * died with it). Carried numbers of a listener or stream that no worker reports and the snapshot no
 * longer has are dropped.
 */
export class MetricsSum {
  private readonly latest: (ThreadMetrics | null)[];
  private readonly carried = new Map<string, number[]>();
  private readonly carriedLogs = new Map<string, AccessLogStreamReport>();

  constructor(places: number) {
    this.latest = Array.from({ length: places }, () => null);
  }

  /** Worker `index`'s report now. */
  update(index: number, metrics: ThreadMetrics): void {
    this.latest[index] = metrics;
  }

  /** Worker `index`'s thread ended: its counts so far are carried, its gauges dropped. */
  workerEnded(index: number): void {
    const last = this.latest[index];
    this.latest[index] = null;
    if (last == null) return;
    for (const listener of last.listeners) addInto(this.carried, listener.listenerId, listener.counters);
    for (const log of last.accessLogs) {
      const kept = this.carriedLogs.get(log.streamId) ?? { streamId: log.streamId, written: 0, dropped: 0, syslogSent: 0, syslogDropped: 0 };
      for (const field of LOG_FIELDS) kept[field] += log[field];
      this.carriedLogs.set(log.streamId, kept);
    }
  }

  /** The summed report (`startedAt`: the engine's start; `at`: now). */
  report(startedAt: number, at: number, live: LiveIds): MetricsReport {
    const counters = new Map<string, number[]>();
    const gauges = new Map<string, number[]>();
    const logs = new Map<string, AccessLogStreamReport>();
    for (const thread of this.latest) {
      if (thread === null) continue;
      for (const listener of thread.listeners) {
        addInto(counters, listener.listenerId, listener.counters);
        addInto(gauges, listener.listenerId, listener.gauges);
      }
      for (const log of thread.accessLogs) {
        const sum = logs.get(log.streamId) ?? { streamId: log.streamId, written: 0, dropped: 0, syslogSent: 0, syslogDropped: 0 };
        for (const field of LOG_FIELDS) sum[field] += log[field];
        logs.set(log.streamId, sum);
      }
    }
    for (const [id, kept] of this.carried) {
      if (!counters.has(id) && !live.listeners.has(id)) {
        this.carried.delete(id);
        continue;
      }
      addInto(counters, id, kept);
    }
    for (const [id, kept] of this.carriedLogs) {
      if (!logs.has(id) && !live.streams.has(id)) {
        this.carriedLogs.delete(id);
        continue;
      }
      const sum = logs.get(id) ?? { streamId: id, written: 0, dropped: 0, syslogSent: 0, syslogDropped: 0 };
      for (const field of LOG_FIELDS) sum[field] += kept[field];
      logs.set(id, sum);
    }
    const listeners: ListenerMetricsReport[] = [];
    for (const [listenerId, values] of counters) {
      listeners.push({ listenerId, counters: values, gauges: gauges.get(listenerId) ?? new Array<number>(LISTENER_GAUGES.length).fill(0) });
    }
    return { startedAt, at, listeners, accessLogs: [...logs.values()] };
  }
}

/** Adds `values` element by element into `map`'s entry for `id` (a new zeroed entry when there is none). */
function addInto(map: Map<string, number[]>, id: string, values: readonly number[]): void {
  let sum = map.get(id);
  if (sum === undefined) {
    sum = new Array<number>(values.length).fill(0);
    map.set(id, sum);
  }
  for (let i = 0; i < values.length; i++) sum[i]! += values[i]!;
}

/** The live ids of a snapshot's listeners and of the log streams they write to. */
export function liveIdsOf(listeners: readonly { id: string; accessLog?: { streamId: string } | null }[]): LiveIds {
  return {
    listeners: new Set(listeners.map((l) => l.id)),
    streams: new Set(listeners.flatMap((l) => (l.accessLog == null ? [] : [l.accessLog.streamId]))),
  };
}
