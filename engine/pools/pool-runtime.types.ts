import type { ClientIpTransport, SnapshotMember, SnapshotPool } from "../protocol/snapshot.types";

/**
 * Live view of one backend server: its snapshot config plus engine-side state.
 * An object lives as long as its pool's routing (members' id, address, port, weight in order, and the
 * algorithm) is unchanged: such snapshots keep it (`config` then reads the newest snapshot's entry, e.g.
 * a new name); any routing change makes new objects. `activeConnections` and `healthy` are mutated in
 * place by the engine (connection accounting, health checker) and carried over to a new object of the
 * same server (same id, address, port).
 */
export interface MemberRuntime {
  readonly config: SnapshotMember;
  /** Connections (L4) or in-flight requests (L7) currently assigned; used by weighted least connections. */
  readonly activeConnections: number;
  /** Counts one connection more (1) or fewer (-1); never below 0 (PoolRuntime.acquire/release call it). */
  addConnections(delta: 1 | -1): void;
  /** Smooth weighted round robin's running weight (balancers/weighted-round-robin.ts); 0 for a new balancer. */
  currentWeight: number;
  /** Current health; true when the pool has no health check. */
  healthy: boolean;
  /** Consecutive failed connects (passive health, see passive-ejection.ts); a successful connect resets it. Starts at 0. */
  failures: number;
  /** Passively ejected (skipped by picks) until this time, coarse-clock ms; 0 = not ejected. */
  ejectedUntil: number;
}

/**
 * A backend server group as listeners use it. Built once per snapshot from the pool config; the
 * balancer inside is built once from the members and carried over (with its position) until the pool's
 * members or algorithm change, never rebuilt per request.
 */
export interface PoolRuntime {
  readonly config: SnapshotPool;
  readonly members: readonly MemberRuntime[];
  /**
   * How the members learn the client's address (`config.transferClientIp`, absent = null = off). Read by
   * a TCP connection or UDP session when it opens: a snapshot that changes it reaches new connections,
   * while open ones keep the transport they started with.
   */
  readonly transferClientIp: ClientIpTransport | null;
  /**
   * Picks a member for a new connection or request: healthy, weight > 0, not in `exclude`.
   * `clientIp` feeds source IP hash and source-IP sticky sessions. null = no member available (→ 503 / close).
   */
  pick(clientIp: string, exclude?: ReadonlySet<MemberRuntime>): MemberRuntime | null;
  /** Member by id (L7 cookie stickiness resolves its cookie to a member this way). */
  byId(memberId: string): MemberRuntime | undefined;
  /** True when a member may receive traffic now: healthy, weight > 0 and not passively ejected. */
  isAvailable(member: MemberRuntime): boolean;
  /** Counts a connection/request against a member (weighted least connections); pair with release(). */
  acquire(member: MemberRuntime): void;
  /** Releases what acquire() counted. */
  release(member: MemberRuntime): void;
}
