import { HealthRegistry } from "../health/health-registry";
import { AddressLimits } from "../limits/address-limits";
import { reportDescriptorExhaustion } from "../observe/descriptor-limit";
import type { ListenerRoute } from "../listeners/listener.types";
import { createConnectionContext } from "../observe/connection-context";
import { NOOP_OBSERVER } from "../observe/noop-observer";
import type { AccessLogSinks } from "../observe/access-log/access-log-sink.types";
import type { ThreadMetrics } from "../observe/metrics-sum";
import type { ConnectionObserver } from "../observe/observer.types";

import type { PoolRuntime } from "../pools/pool-runtime.types";
import type { SharedMemberStates } from "../pools/shared-member-states";
import type { SharedSourceIpTable } from "../pools/sticky/shared-source-ip-table";
import type { SharedTokenBuckets } from "../limits/shared-token-bucket";
import type { ListenerError, MemberHealthReport } from "../protocol/ipc.types";
import type { Snapshot, SnapshotListener } from "../protocol/snapshot.types";
import { DEFAULT_DESCRIPTOR_CHECK_MS, DescriptorWatch } from "./descriptor-watch";
import { ConnectionGate, DEFAULT_MAX_CONNECTIONS } from "./connection-gate";
import { InheritedSockets, type InheritedSocket } from "./inherited-sockets";
import { withAccessControl } from "./access-controlled-handler";
import { DEFAULT_HANDLER_FACTORIES, ListenerSet, type HandlerFactory } from "./listener-set";
import { buildPools } from "./pool-set";

/** Outcome of EngineRuntime.apply. */
export interface ApplyResult {
  /** False when the snapshot was not newer than the one held in the same epoch (nothing changed). */
  applied: boolean;
  /** Epoch, version and hash the engine holds afterwards. */
  epoch: string;
  version: number;
  hash: string;
  /** Per-listener problems of the snapshot now held (bind failures, unsupported protocols). */
  errors: ListenerError[];
}

/** Options of the engine runtime; defaults suit production. */
export interface EngineRuntimeOptions {
  /** Called on every member health transition. */
  onHealthChange?: (report: MemberHealthReport) => void;
  /** Grace period for connections of removed listeners; default 30 000 ms. */
  drainGraceMs?: number;
  /** Handler factories per stream protocol (tests); default TCP and HTTP. */
  handlerFactories?: Readonly<Partial<Record<"TCP" | "HTTP" | "HTTPS", HandlerFactory>>>;
  /** Sees every connection, request and error of every listener (metrics, access logs); default none. */
  observer?: ConnectionObserver;
  /**
   * Period of the check that the process can still open a descriptor (runtime/descriptor-watch.ts:
   * failed accepts at the descriptor limit are otherwise silent); default 1000 ms; 0 = off. Each check
   * that finds the limit reached is logged (rate-limited) and reported as an `internal` error with
   * listener id "" to the observer.
   */
  descriptorCheckMs?: number;
  /**
   * Which part of the engine this runtime is (workers/README.md): "single" (default) does everything in
   * one thread; with several worker threads the "primary" keeps the pools and runs the health checks but
   * binds no listener, and each "worker" binds every listener in its SO_REUSEPORT group and runs no health
   * check (it routes by the health the primary writes into `memberStates`) and no descriptor check (the
   * limit is the process's: the primary watches it).
   */
  role?: "single" | "primary" | "worker";
  /** Member states in shared memory; required for "primary" and "worker". */
  memberStates?: SharedMemberStates;
  /** Source-IP sticky sessions shared by the worker threads (with `memberStates`); default each pool's own table. */
  sourceIpTable?: SharedSourceIpTable;
  /** EIP bandwidth buckets shared by the worker threads (slots assigned by the primary); default per-thread buckets. */
  buckets?: SharedTokenBuckets;
  /**
   * Open client connections allowed at once over every TCP and HTTP listener; default 100 000
   * (DEFAULT_MAX_CONNECTIONS); 0 = no cap. Past it a new connection is closed at accept and reported to
   * the observer as an `internal` error (cause CONNECTION_LIMIT_REACHED, runtime/connection-gate.ts).
   */
  maxConnections?: number;
  /** The count behind `maxConnections`, element 0; pass one over a SharedArrayBuffer so that worker threads share one cap. Default: this runtime's own. */
  connectionCount?: Int32Array;
  /** This runtime's own element of `connectionCount` (a worker thread's, so its connections can be taken off the total when it dies); default none. */
  connectionCountSlot?: number;
  /**
   * Listening sockets inherited from the engine this one replaces (runtime/inherited-sockets.ts): binds
   * take them before opening new ones; those the first apply leaves are closed. Default none.
   */
  inheritedSockets?: readonly InheritedSocket[];
  /**
   * This thread's access-log writers (observe/access-log/): each listener with `accessLog` set gets its
   * stream's sink; retained after every apply, closed by `stop`. Default none (no records written).
   */
  accessLogSinks?: AccessLogSinks;
}

/**
 * The engine's data plane: applies snapshots atomically and in order (one at a time), keeps the
 * pool runtimes, the health checks and the live listeners in step with the snapshot held.
 * Versions compare only within one epoch (the identity of the console's database): a snapshot of the
 * held epoch whose version is not newer is ignored; a snapshot of another epoch (database switched,
 * backup restored: versions restart at 1) replaces the held one whatever its version. One with the
 * held hash only takes its epoch and version (unless the last apply left listener errors, then it is
 * re-applied to retry binds).
 */
export class EngineRuntime {
  private current: Snapshot | null = null;
  private pools: ReadonlyMap<string, PoolRuntime> = new Map();
  private errors: ListenerError[] = [];
  private readonly listeners: ListenerSet;
  private readonly health: HealthRegistry;
  private readonly limits: AddressLimits;
  private readonly shared: { memberStates?: SharedMemberStates; sourceIpTable?: SharedSourceIpTable } | undefined;
  private readonly descriptors: DescriptorWatch;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly role: NonNullable<EngineRuntimeOptions["role"]>;
  private readonly memberStates: SharedMemberStates | undefined;
  private readonly sinks: AccessLogSinks | null;

  constructor(options: EngineRuntimeOptions = {}) {
    this.role = options.role ?? "single";
    if (this.role !== "single" && options.memberStates === undefined) throw new Error(`role ${this.role} needs memberStates`);
    this.memberStates = options.memberStates;
    this.shared = options.memberStates === undefined ? undefined : { memberStates: options.memberStates, sourceIpTable: options.sourceIpTable };
    this.limits = new AddressLimits(options.buckets);
    const gate = new ConnectionGate(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, options.connectionCount, options.connectionCountSlot);
    const inherited = new InheritedSockets(options.inheritedSockets);
    // Every stream handler carries its listener's access control, checked at accept (stream-binding.ts).
    const factories = withAccessControl(options.handlerFactories ?? DEFAULT_HANDLER_FACTORIES);
    this.sinks = options.accessLogSinks ?? null;
    this.listeners = new ListenerSet(options.drainGraceMs, factories, this.limits, options.observer, inherited, gate, undefined, this.sinks);
    this.health = new HealthRegistry(options.onHealthChange ?? (() => {}));
    const engineWide = { listenerId: "", localAddress: "", localPort: 0, bandwidth: null, observer: options.observer ?? NOOP_OBSERVER };
    this.descriptors = new DescriptorWatch(
      (err) => reportDescriptorExhaustion(createConnectionContext(engineWide, undefined, undefined), err, "periodic check", "(accepts fail silently at the limit)"),
      this.role === "worker" ? 0 : (options.descriptorCheckMs ?? DEFAULT_DESCRIPTOR_CHECK_MS),
    );
  }

  /** Epoch of the snapshot held ("" = none, or a snapshot persisted before epochs existed). */
  get epoch(): string {
    return this.current?.epoch ?? "";
  }

  /** Version of the snapshot held (0 = none). */
  get version(): number {
    return this.current?.version ?? 0;
  }

  /** Hash of the snapshot held ("" = none). */
  get hash(): string {
    return this.current?.hash ?? "";
  }

  /** The snapshot held, as applied (for persistence). */
  get snapshot(): Snapshot | null {
    return this.current;
  }

  /** Applies a snapshot after any apply already running. */
  apply(snapshot: Snapshot): Promise<ApplyResult> {
    const run = this.queue.then(() => this.applyNow(snapshot));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Health of every member of every pool (NO_MONITOR for pools without a health check). */
  healthReport(): MemberHealthReport[] {
    return this.health.report();
  }

  /** Every listening socket of the live listeners once the applies queued now are done, with its descriptor (handed to a new engine build on upgrade). */
  async listeningSockets(): Promise<InheritedSocket[]> {
    await this.queue;
    return this.listeners.listeningSockets();
  }

  /**
   * This thread's listener metrics (counters since the runtime started, gauges now) and its access-log
   * writers' totals; a "primary" has no listeners and reports none.
   */
  metrics(): ThreadMetrics {
    return { listeners: this.listeners.metrics.report(), accessLogs: this.sinks?.stats() ?? [] };
  }

  /** Pool runtime by id (tests, diagnostics). */
  pool(poolId: string): PoolRuntime | undefined {
    return this.pools.get(poolId);
  }

  /** Stops health checks and listeners; established connections get `graceMs` to finish. */
  async stop(graceMs?: number): Promise<void> {
    this.stopped = true;
    this.descriptors.stop();
    await this.queue;
    this.health.stop();
    await this.listeners.stop(graceMs);
    await this.sinks?.close();
  }

  private async applyNow(snapshot: Snapshot): Promise<ApplyResult> {
    if (this.stopped || !this.supersedes(snapshot)) return this.result(false);
    if (snapshot.hash === this.hash && this.errors.length === 0) {
      this.current = snapshot;
      return this.result(true);
    }
    const pools = buildPools(snapshot.pools, this.pools, this.shared);
    if (this.role !== "worker") this.health.update(pools.values());
    const certificates = new Map((snapshot.certificates ?? []).map((c) => [c.id, c]));
    const routes: ListenerRoute[] = (this.role === "primary" ? [] : snapshot.listeners).map((listener) => ({
      listener,
      pool: listener.defaultPoolId === null ? null : (pools.get(listener.defaultPoolId) ?? null),
      policyPools: policyPoolsOf(listener, pools),
      certificates,
    }));
    this.limits.apply(snapshot.addressLimits); // before binding: new sockets see the new buckets
    const errors = await this.listeners.apply(routes);
    for (const listener of snapshot.listeners) {
      if (listener.defaultPoolId !== null && !pools.has(listener.defaultPoolId)) {
        errors.push({ listenerId: listener.id, message: `backend server group ${listener.defaultPoolId} not in snapshot` });
      }
    }
    this.pools = pools;
    this.current = snapshot;
    this.errors = errors;
    return this.result(true);
  }

  /** True when `snapshot` replaces the held one: none held, another epoch, or a newer version of this epoch. */
  supersedes(snapshot: Snapshot): boolean {
    const current = this.current;
    return current === null || snapshot.epoch !== current.epoch || snapshot.version > current.version;
  }

  private result(applied: boolean): ApplyResult {
    return { applied, epoch: this.epoch, version: this.version, hash: this.hash, errors: this.errors };
  }
}

/** The pools a listener's forwarding policies target, by id; undefined when it has no policies. */
function policyPoolsOf(listener: SnapshotListener, pools: ReadonlyMap<string, PoolRuntime>): ReadonlyMap<string, PoolRuntime> | undefined {
  const policies = listener.forwardingPolicies;
  if (policies === undefined || policies.length === 0) return undefined;
  const out = new Map<string, PoolRuntime>();
  for (const policy of policies) {
    const pool = pools.get(policy.poolId);
    if (pool !== undefined) out.set(policy.poolId, pool);
  }
  return out;
}
