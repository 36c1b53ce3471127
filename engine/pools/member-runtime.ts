import type { SnapshotMember } from "../protocol/snapshot.types";
import type { MemberRuntime } from "./pool-runtime.types";

/**
 * Engine-side state of one backend server, shared by every MemberRuntime that stands for the same
 * server (same id, address and port) across snapshots. Sharing is what makes carry-over correct:
 * a connection opened under an old snapshot releases its count on the state the new snapshot also reads.
 */
export interface MemberState {
  /** Read by weighted least connections; changed through `addConnections` only (exact across threads). */
  readonly activeConnections: number;
  /** One more (1) or one fewer (-1) connection; never below 0. */
  addConnections(delta: 1 | -1): void;
  healthy: boolean;
  /** Consecutive failed connects (passive-ejection.ts). */
  failures: number;
  /** Passively ejected until (coarse-clock ms); 0 = not. */
  ejectedUntil: number;
  /** Smooth weighted round robin's running weight. */
  currentWeight: number;
}

/** MemberState in plain fields: the engine with one thread (workers > 1 use pools/shared-member-states.ts). */
export class LocalMemberState implements MemberState {
  activeConnections = 0;
  failures = 0;
  ejectedUntil = 0;
  currentWeight = 0;

  constructor(public healthy: boolean) {}

  addConnections(delta: 1 | -1): void {
    if (delta > 0 || this.activeConnections > 0) this.activeConnections += delta;
  }
}

/** A MemberRuntime whose counters live in a shared MemberState. */
export class LiveMember implements MemberRuntime {
  constructor(
    /** The member's config from the latest snapshot that kept this object (replaced only by `adopt`). */
    public config: SnapshotMember,
    /** Shared with the same server's runtimes in older and newer snapshots. */
    readonly state: MemberState,
  ) {}

  /**
   * Takes the config of a newer snapshot that routes to this member alike (same id, address, port
   * and weight: only non-routing fields such as the name may differ), so a kept object never reads a
   * stale name. Throws on a routing change: that needs a new object (and a new balancer).
   */
  adopt(config: SnapshotMember): void {
    if (!sameRouting(this.config, config)) throw new Error(`member ${config.id}: routing changed, cannot adopt`);
    this.config = config;
  }

  get activeConnections(): number {
    return this.state.activeConnections;
  }
  addConnections(delta: 1 | -1): void {
    this.state.addConnections(delta);
  }
  get healthy(): boolean {
    return this.state.healthy;
  }
  set healthy(value: boolean) {
    this.state.healthy = value;
  }
  get failures(): number {
    return this.state.failures;
  }
  set failures(value: number) {
    this.state.failures = value;
  }
  get ejectedUntil(): number {
    return this.state.ejectedUntil;
  }
  set ejectedUntil(value: number) {
    this.state.ejectedUntil = value;
  }
  get currentWeight(): number {
    return this.state.currentWeight;
  }
  set currentWeight(value: number) {
    this.state.currentWeight = value;
  }
}

/** True when two member configs point at the same server, so engine state carries over. */
export function sameServer(a: SnapshotMember, b: SnapshotMember): boolean {
  return a.id === b.id && a.address === b.address && a.port === b.port;
}

/** True when two member configs are the same server with the same weight: a balancer over one serves the other. */
export function sameRouting(a: SnapshotMember, b: SnapshotMember): boolean {
  return sameServer(a, b) && a.weight === b.weight;
}
