import { WorkerCounters } from "../observe/worker-counters";
import { SharedTokenBuckets } from "../limits/shared-token-bucket";
import { SharedMemberStates } from "../pools/shared-member-states";
import { SharedSourceIpTable } from "../pools/sticky/shared-source-ip-table";
import { MetricsSum, liveIdsOf, type ThreadMetrics } from "../observe/metrics-sum";
import type { MemberHealthReport } from "../protocol/ipc.types";
import type { MetricsReport } from "../protocol/metrics.types";
import type { Snapshot } from "../protocol/snapshot.types";
import { ConnectionGate } from "../runtime/connection-gate";
import { EngineRuntime, type ApplyResult, type EngineRuntimeOptions } from "../runtime/engine-runtime";
import type { TlsEnvironmentData } from "../tls/tls-environment";
import { splitAmongWorkers, type InheritedSocket } from "../runtime/inherited-sockets";
import { AddressSlotAllocator } from "./address-slot-allocator";
import { MemberSlotAllocator } from "./member-slot-allocator";
import type { WorkerStatus } from "./worker-messages.types";
import { WorkerPool } from "./worker-pool";
import type { WorkerThreadData } from "./worker-thread";

/** Options of a MultiWorkerEngine. */
export interface MultiWorkerEngineOptions {
  /** Worker threads (≥ 2; one worker is the single-thread EngineRuntime). */
  workers: number;
  /** Script the worker threads run: the engine bundle (it starts a worker thread when not the main thread). */
  entry: string | URL;
  /** Called on every member health transition (the primary's checks). */
  onHealthChange?: EngineRuntimeOptions["onHealthChange"];
  /** Grace for connections of removed listeners; default 30 000 ms. */
  drainGraceMs?: number;
  /** Listening sockets inherited from the engine this one replaces: split among the workers (round robin per address). */
  inheritedSockets?: readonly InheritedSocket[];
  /** The primary's secret key and ticket-key secret, for every worker's HTTPS listeners; default each worker reads process.env and makes its own ticket secret (no resumption across workers). */
  tls?: TlsEnvironmentData;
  /** The engine's state folder: each worker writes its access logs under it (none when unset). */
  stateDir?: string;
  log: (message: string) => void;
}

/**
 * The engine with several data-plane threads, with EngineRuntime's face towards main.ts: `apply` in
 * order, epoch/version/hash of the snapshot held, the health report, `stop`. The primary thread keeps
 * the pools and runs the health checks (EngineRuntime role "primary": no listeners) over member states in
 * shared memory; the worker threads serve the listeners. A snapshot is reported applied only after every
 * worker applied it (WorkerPool's barrier). See workers/README.md.
 */
export class MultiWorkerEngine {
  private readonly states: SharedMemberStates;
  private readonly slots: MemberSlotAllocator;
  private readonly bandwidth: AddressSlotAllocator;
  private readonly primary: EngineRuntime;
  private readonly pool: WorkerPool;
  private readonly counters: WorkerCounters;
  private readonly sum: MetricsSum;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: MultiWorkerEngineOptions) {
    const drainGraceMs = options.drainGraceMs ?? 30_000;
    const buffer = SharedMemberStates.allocate();
    this.states = new SharedMemberStates(buffer);
    const holdMs = drainGraceMs + 10_000;
    this.slots = new MemberSlotAllocator(this.states, holdMs);
    const sourceIpTable = SharedSourceIpTable.allocate();
    const buckets = SharedTokenBuckets.allocate();
    this.bandwidth = new AddressSlotAllocator(new SharedTokenBuckets(buckets), holdMs);
    // The engine-wide connection cap counts every worker's connections (element 0); element 1 + i holds
    // worker i's own, taken off the total when that worker dies (its connections died with it).
    const connectionCount = new SharedArrayBuffer(4 * (1 + options.workers));
    const connectionCounts = new Int32Array(connectionCount);
    this.primary = new EngineRuntime({ role: "primary", memberStates: this.states, onHealthChange: options.onHealthChange, drainGraceMs });
    const counters = WorkerCounters.allocate(options.workers);
    this.counters = new WorkerCounters(counters);
    const workerData: Omit<WorkerThreadData, "workerIndex"> = { memberStates: buffer, sourceIpTable, buckets, connectionCount, counters, drainGraceMs, tls: options.tls, stateDir: options.stateDir };
    this.sum = new MetricsSum(options.workers);
    const onExit = (index: number): void => {
      this.sum.workerEnded(index); // what the dead thread counted stays in the totals
      this.counters.clearOpen(index);
      ConnectionGate.releaseSlot(connectionCounts, 1 + index);
    };
    const initialWorkerData = splitAmongWorkers(options.inheritedSockets ?? [], options.workers).map((inheritedSockets) => ({ inheritedSockets }));
    const onMetrics = (index: number, metrics: ThreadMetrics): void => this.sum.update(index, metrics);
    this.pool = new WorkerPool({ count: options.workers, entry: options.entry, workerData, initialWorkerData, log: options.log, onExit, onMetrics });
  }

  /** Starts the worker threads. */
  start(): Promise<void> {
    return this.pool.start();
  }

  get epoch(): string {
    return this.primary.epoch;
  }
  get version(): number {
    return this.primary.version;
  }
  get hash(): string {
    return this.primary.hash;
  }
  get snapshot(): Snapshot | null {
    return this.primary.snapshot;
  }

  /** The workers with their connection counters, for the console's Settings → Engine. */
  workers(): WorkerStatus[] {
    return this.pool.status().map((status) => ({
      ...status,
      connectionsAccepted: this.counters.accepted(status.index),
      connectionsOpen: this.counters.open(status.index),
    }));
  }

  /**
   * The engine's metrics now: every worker's listener rows and access-log totals, summed (with what
   * workers that died had counted: counters never go down); `startedAt` is the engine process's start.
   */
  async metrics(startedAt: number): Promise<MetricsReport> {
    await this.pool.collectMetrics((index, metrics) => this.sum.update(index, metrics));
    return this.sum.report(startedAt, Date.now(), liveIdsOf(this.primary.snapshot?.listeners ?? []));
  }

  /** Ends worker `index`'s thread; the pool starts a fresh one with the current snapshot. False: no such worker running. */
  restartWorker(index: number): boolean {
    if (!this.pool.hasThread(index)) return false;
    // Its numbers first (up to 1 s), so the totals keep everything it counted, then the thread ends.
    void this.pool.collectMetrics((i, metrics) => this.sum.update(i, metrics), 1000, index).then(() => this.pool.terminate(index));
    return true;
  }

  /** Applies a snapshot after any apply already running: the primary's pools, then every worker. */
  apply(snapshot: Snapshot): Promise<ApplyResult> {
    const run = this.queue.then(() => this.applyNow(snapshot));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Every worker's listening sockets (handed to a new engine build on upgrade). */
  listeningSockets(): Promise<InheritedSocket[]> {
    return this.queue.then(() => this.pool.listeningSockets());
  }

  healthReport(): MemberHealthReport[] {
    return this.primary.healthReport();
  }

  /** Stops the workers (their connections get `graceMs`) and the health checks. */
  async stop(graceMs?: number): Promise<void> {
    await this.queue;
    await this.pool.stop(graceMs ?? 3000);
    await this.primary.stop(0);
  }

  private async applyNow(snapshot: Snapshot): Promise<ApplyResult> {
    if (!this.primary.supersedes(snapshot)) return this.primary.apply(snapshot); // not newer: answered, nothing changes
    const members = this.slots.assign(snapshot.pools);
    this.states.assign(members);
    const bandwidth = this.bandwidth.assign(snapshot.addressLimits);
    const primary = await this.primary.apply(snapshot);
    if (!primary.applied) return primary;
    const workerErrors = await this.pool.apply(snapshot, { members, bandwidth });
    // The primary and every worker see the same snapshot problems (a group missing from it): each once.
    const seen = new Set(workerErrors.map((e) => `${e.listenerId}\n${e.message}`));
    return { ...primary, errors: [...workerErrors, ...primary.errors.filter((e) => !seen.has(`${e.listenerId}\n${e.message}`))] };
  }
}
