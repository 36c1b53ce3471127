import type { MemberRuntime } from "../pool-runtime.types";

/**
 * Says whether a member may take traffic right now (healthy and weight > 0).
 * Built once per pool runtime and shared by every pick, so picks allocate nothing.
 */
export type MemberFilter = (member: MemberRuntime) => boolean;

/**
 * A picker built once from a pool's member list and never mutated from outside (Pingora's selector seam).
 * Members that are unavailable or in `exclude` are skipped at pick time, without a rebuild.
 */
export interface Balancer {
  /** The chosen member, or null when no member is available. `clientIp` only matters to source IP hash. */
  pick(clientIp: string, exclude: ReadonlySet<MemberRuntime> | undefined): MemberRuntime | null;
}

/**
 * Makes a balancer's read-modify-write of shared member state (smooth round robin's current weights)
 * one step for every thread that picks from the same pool. NO_LOCK in the engine with one thread.
 */
export interface BalancerLock {
  acquire(): void;
  release(): void;
}

/** The lock of a pool only one thread picks from. */
export const NO_LOCK: BalancerLock = { acquire() {}, release() {} };

/** Builds a balancer over a fixed member list; `lock` guards what several threads' balancers share. */
export type BalancerFactory = (members: readonly MemberRuntime[], isAvailable: MemberFilter, lock: BalancerLock) => Balancer;
