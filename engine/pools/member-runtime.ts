import type { SnapshotMember } from "../protocol/snapshot.types";
import type { MemberRuntime } from "./pool-runtime.types";

/**
 * Engine-side state of one backend server, shared by every MemberRuntime that stands for the same
 * server (same id, address and port) across snapshots. Sharing is what makes carry-over correct:
 * a connection opened under an old snapshot releases its count on the state the new snapshot also reads.
 */
export interface MemberState {
  activeConnections: number;
  healthy: boolean;
}

/** A MemberRuntime whose counters live in a shared MemberState. */
export class LiveMember implements MemberRuntime {
  constructor(
    readonly config: SnapshotMember,
    /** Shared with the same server's runtimes in older and newer snapshots. */
    readonly state: MemberState,
  ) {}

  get activeConnections(): number {
    return this.state.activeConnections;
  }
  set activeConnections(value: number) {
    this.state.activeConnections = value;
  }
  get healthy(): boolean {
    return this.state.healthy;
  }
  set healthy(value: boolean) {
    this.state.healthy = value;
  }
}

/** True when two member configs point at the same server, so engine state carries over. */
export function sameServer(a: SnapshotMember, b: SnapshotMember): boolean {
  return a.id === b.id && a.address === b.address && a.port === b.port;
}
