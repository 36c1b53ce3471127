import "server-only";
import type { EventEmitter } from "node:events";
import type { Database } from "@/db/client";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import type { MetricsReport } from "@/engine/protocol/metrics.types";
import { MINUTE_MS, MinuteAccumulator, type ClosedMinute } from "./minute-accumulator";
import { countHealth, loadMetricTopology, type MetricTopology } from "./metric-topology";
import { minutePoints } from "./minute-points";
import { writeMetricPoints } from "./write-metric-points";

/** Where the collector hears the engine: the supervisor's "metrics" and "applied" events and its member health. */
export interface MetricsSource extends Pick<EventEmitter, "on" | "off"> {
  readonly health: ReadonlyMap<string, MemberHealthReport>;
}

/** Options of the collector. */
export interface MetricCollectorOptions {
  db: Database;
  /**
   * How long after a minute ended it is written even though no later report came (the engine stopped
   * reporting). Default 20 s: two reports' worth at the default 10 s interval.
   */
  graceMs?: number;
  /** A write failed. Default: logged to stderr. */
  onError?(error: unknown): void;
}

/**
 * The console's metric store writer: hears every engine report, keeps the latest (Prometheus answers it)
 * and writes a minute's 1-minute points (listeners and load balancers) in one statement once the minute is
 * over. The listener → load balancer topology is read from the database once and again after the engine
 * applied a new configuration, or when a report names a listener it does not know (at most every 5 s).
 */
export class MetricCollector {
  private readonly accumulator = new MinuteAccumulator();
  private topology: MetricTopology | null = null;
  private topologyReadAt = 0;
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private source: MetricsSource | null = null;
  private latestReport: MetricsReport | null = null;
  private readonly onMetrics = (report: MetricsReport) => void this.ingest(report);
  private readonly onApplied = () => void (this.topology = null);

  constructor(private readonly options: MetricCollectorOptions) {}

  /** Listens to the engine's reports and closes silent minutes every 5 s. */
  start(source: MetricsSource): void {
    this.source = source;
    source.on("metrics", this.onMetrics);
    source.on("applied", this.onApplied);
    this.timer ??= setInterval(() => void this.closeSilentMinute(Date.now()), 5000).unref();
  }

  /** Stops listening (the open minute is not written). */
  stop(): void {
    this.source?.off("metrics", this.onMetrics);
    this.source?.off("applied", this.onApplied);
    this.source = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The engine's last report (null before the first): cumulative counters for Prometheus. */
  latest(): MetricsReport | null {
    return this.latestReport;
  }

  /** Member health as the engine last reported it (empty without a source). */
  health(): ReadonlyMap<string, MemberHealthReport> {
    return this.source?.health ?? new Map();
  }

  /** Adds one report (in arrival order); resolves once a minute it closed is written. */
  ingest(report: MetricsReport, health: ReadonlyMap<string, MemberHealthReport> = this.health()): Promise<void> {
    this.latestReport = report;
    return this.serially(async () => {
      const topology = await this.topologyFor(report);
      const closed = this.accumulator.add(report, countHealth(topology, health));
      if (closed) await this.write(closed, topology);
    });
  }

  /** Writes the open minute when it ended more than graceMs before `now` (the engine went quiet). */
  closeSilentMinute(now: number): Promise<void> {
    return this.serially(async () => {
      const closed = this.accumulator.closeEndedBefore(now - (this.options.graceMs ?? 20_000));
      if (closed) await this.write(closed, this.topology ?? (await this.readTopology()));
    });
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work).catch((error: unknown) => (this.options.onError ?? ((e) => console.error("[elb] metric points not written", e)))(error));
    this.queue = run;
    return run;
  }

  private async topologyFor(report: MetricsReport): Promise<MetricTopology> {
    const known = this.topology;
    const unknown = known && report.listeners.some((l) => !known.listeners.has(l.listenerId));
    if (known && !(unknown && Date.now() - this.topologyReadAt > 5000)) return known;
    return this.readTopology();
  }

  private async readTopology(): Promise<MetricTopology> {
    this.topologyReadAt = Date.now();
    this.topology = await loadMetricTopology(this.options.db);
    return this.topology;
  }

  private async write(minute: ClosedMinute, topology: MetricTopology): Promise<void> {
    await writeMetricPoints(this.options.db, minutePoints(minute, topology));
  }
}

