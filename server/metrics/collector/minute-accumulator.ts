import { LISTENER_COUNTERS, LISTENER_GAUGES, type MetricsReport } from "@/engine/protocol/metrics.types";

/** Length of a raw metric point's period. */
export const MINUTE_MS = 60_000;

/**
 * Two reports further apart than this are not differenced (the engine or the console was away for a
 * while): the later one starts a new baseline instead of spreading its increase over one minute.
 */
export const MAX_PAIR_MS = 5 * MINUTE_MS;

/** What one listener did during one minute: counter increases over the differenced time, and gauge sums. */
export interface ListenerMinute {
  /** Increase of each LISTENER_COUNTERS counter over `seconds`. */
  deltas: number[];
  /** Seconds covered by the differenced report pairs whose later report fell in this minute (0: no rate). */
  seconds: number;
  /** Sum of each LISTENER_GAUGES gauge over `gaugeSamples` reports. */
  gaugeSums: number[];
  gaugeSamples: number;
}

/** Healthy / unhealthy backend servers of one load balancer as counted at one report. */
export interface HealthCount {
  healthy: number;
  unhealthy: number;
}

/** A minute that ended: what each listener and each load balancer's servers did in it. */
export interface ClosedMinute {
  /** Start of the minute (ms since the epoch, aligned to 60 s). */
  start: number;
  /** Reports received in the minute (≥ 1: a minute without reports is never closed — it is a gap). */
  reports: number;
  listeners: Map<string, ListenerMinute>;
  /** Sums of the health counts over `reports` reports, by load balancer id. */
  health: Map<string, HealthCount>;
}

interface Baseline {
  startedAt: number;
  at: number;
  counters: number[];
}

/**
 * Turns the engine's cumulative reports into per-minute increases: each report is differenced with the
 * previous one of the same listener, and the increase is counted in the minute of the later report (so the
 * reports at a minute's edges bound its rate: Σ increases / Σ seconds). No pair is differenced across an
 * engine restart (`startedAt` changed), a listener's first report, a counter that went down, or more than
 * MAX_PAIR_MS: those start a new baseline, never a negative delta. Pure: no clock, no database.
 */
export class MinuteAccumulator {
  private readonly baselines = new Map<string, Baseline>();
  private open: ClosedMinute | null = null;

  /** Adds one report (with the health counted at it); answers the minute it closed, if its minute is later. */
  add(report: MetricsReport, health: ReadonlyMap<string, HealthCount>): ClosedMinute | null {
    const start = Math.floor(report.at / MINUTE_MS) * MINUTE_MS;
    let closed: ClosedMinute | null = null;
    if (this.open && start > this.open.start) closed = this.close();
    // A report older than the open minute (the clock went back) counts in no point; it still rebaselines.
    const minute = this.open && start < this.open.start ? null : (this.open ??= emptyMinute(start));
    const seen = new Set<string>();
    for (const listener of report.listeners) {
      seen.add(listener.listenerId);
      const base = this.baselines.get(listener.listenerId);
      this.baselines.set(listener.listenerId, { startedAt: report.startedAt, at: report.at, counters: listener.counters });
      if (!minute) continue;
      const into = listenerMinute(minute, listener.listenerId);
      for (let i = 0; i < LISTENER_GAUGES.length; i++) into.gaugeSums[i]! += listener.gauges[i] ?? 0;
      into.gaugeSamples += 1;
      if (!base || !differenceable(base, report, listener.counters)) continue;
      for (let i = 0; i < LISTENER_COUNTERS.length; i++) into.deltas[i]! += listener.counters[i]! - base.counters[i]!;
      into.seconds += (report.at - base.at) / 1000;
    }
    for (const id of this.baselines.keys()) if (!seen.has(id)) this.baselines.delete(id);
    if (minute) {
      minute.reports += 1;
      for (const [loadBalancerId, count] of health) {
        const sum = minute.health.get(loadBalancerId) ?? { healthy: 0, unhealthy: 0 };
        sum.healthy += count.healthy;
        sum.unhealthy += count.unhealthy;
        minute.health.set(loadBalancerId, sum);
      }
    }
    return closed;
  }

  /** Closes the open minute when it ended at or before `until` (no later report came to close it). */
  closeEndedBefore(until: number): ClosedMinute | null {
    return this.open && this.open.start + MINUTE_MS <= until ? this.close() : null;
  }

  private close(): ClosedMinute | null {
    const closed = this.open;
    this.open = null;
    return closed;
  }
}

function emptyMinute(start: number): ClosedMinute {
  return { start, reports: 0, listeners: new Map(), health: new Map() };
}

function listenerMinute(minute: ClosedMinute, listenerId: string): ListenerMinute {
  let into = minute.listeners.get(listenerId);
  if (!into) {
    into = { deltas: LISTENER_COUNTERS.map(() => 0), seconds: 0, gaugeSums: LISTENER_GAUGES.map(() => 0), gaugeSamples: 0 };
    minute.listeners.set(listenerId, into);
  }
  return into;
}

/** Same engine process, later, close enough, and no counter went down. */
function differenceable(base: Baseline, report: MetricsReport, counters: number[]): boolean {
  if (base.startedAt !== report.startedAt || report.at <= base.at || report.at - base.at > MAX_PAIR_MS) return false;
  if (counters.length < LISTENER_COUNTERS.length || base.counters.length < LISTENER_COUNTERS.length) return false;
  for (let i = 0; i < LISTENER_COUNTERS.length; i++) if (counters[i]! < base.counters[i]!) return false;
  return true;
}
