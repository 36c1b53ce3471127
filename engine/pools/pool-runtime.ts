import type { SnapshotPool } from "../protocol/snapshot.types";
import type { Balancer } from "./balancers/balancer.types";
import type { LiveMember } from "./member-runtime";
import { readmitAll } from "./passive-ejection";
import { isAvailable, PoolSelector, selectorFor } from "./pool-selector";
import type { MemberRuntime, PoolRuntime } from "./pool-runtime.types";
import type { SharedMemberStates } from "./shared-member-states";
import { SourceIpStickyTable } from "./sticky/source-ip-table";

/** Options for createPoolRuntime; defaults suit production. */
export interface PoolRuntimeOptions {
  /** Bound on the source-IP sticky table; default 100 000. */
  stickyMaxEntries?: number;
  /** Clock for sticky expiry; default Date.now. */
  now?: () => number;
  /** Member states in shared memory (several worker threads); default: each member's own fields. */
  memberStates?: SharedMemberStates;
}

/**
 * Builds the runtime of one backend server group for one snapshot. With `previous` (the same pool's
 * runtime from the last snapshot):
 * - when the members (id, address, port, weight, in order) and the algorithm are unchanged, the new
 *   runtime keeps the previous member objects and balancer (its position: weighted round robin goes on
 *   where it was), with the new pool config (name, sticky settings, health check) around them;
 * - otherwise members and balancer are rebuilt, and members that are the same server (same id,
 *   address, port) share their engine state (active connections, health).
 * The source-IP sticky table carries over either way. New members are healthy at once when the pool
 * has no health check, otherwise not routable until the health checker's first successful check.
 * Without a health check every member is healthy.
 */
export function createPoolRuntime(
  config: SnapshotPool,
  previous?: PoolRuntime,
  options: PoolRuntimeOptions = {},
): PoolRuntime {
  const prior = previous instanceof LivePool ? previous : undefined;
  const selector = selectorFor(config, prior?.selector, options.memberStates);
  let sticky: SourceIpStickyTable | null = null;
  if (config.stickySession?.type === "SOURCE_IP") {
    const durationMs = config.stickySession.durationMinutes * 60_000;
    sticky = prior?.sticky ?? new SourceIpStickyTable(durationMs, options.stickyMaxEntries, options.now);
    sticky.setDuration(durationMs);
  }
  return new LivePool(config, selector, sticky);
}

/** PoolRuntime implementation: an immutable selector (members + balancer) plus optional source-IP stickiness. */
class LivePool implements PoolRuntime {
  readonly members: readonly LiveMember[];
  private readonly balancer: Balancer;
  private readonly index: ReadonlyMap<string, LiveMember>;

  constructor(
    readonly config: SnapshotPool,
    /** Members and balancer; shared with the previous runtime when the routing did not change. */
    readonly selector: PoolSelector,
    /** Source-IP sticky table, when the pool's sticky session type is SOURCE_IP. */
    readonly sticky: SourceIpStickyTable | null,
  ) {
    this.members = selector.members;
    this.balancer = selector.balancer;
    this.index = selector.index;
  }

  pick(clientIp: string, exclude?: ReadonlySet<MemberRuntime>): MemberRuntime | null {
    const picked = this.pickAvailable(clientIp, exclude);
    // Nothing available: when ejection is why, readmit everyone and try once more (rare path).
    return picked !== null || !readmitAll(this.members) ? picked : this.pickAvailable(clientIp, exclude);
  }

  private pickAvailable(clientIp: string, exclude: ReadonlySet<MemberRuntime> | undefined): MemberRuntime | null {
    const sticky = this.sticky;
    if (sticky === null) return this.balancer.pick(clientIp, exclude);
    const stuckId = sticky.get(clientIp);
    if (stuckId !== undefined) {
      const stuck = this.index.get(stuckId);
      if (stuck !== undefined && isAvailable(stuck) && (exclude === undefined || !exclude.has(stuck))) return stuck;
    }
    const picked = this.balancer.pick(clientIp, exclude);
    if (picked !== null) sticky.set(clientIp, picked.config.id);
    return picked;
  }

  byId(memberId: string): MemberRuntime | undefined {
    return this.index.get(memberId);
  }

  isAvailable(member: MemberRuntime): boolean {
    return isAvailable(member);
  }

  acquire(member: MemberRuntime): void {
    member.addConnections(1);
  }

  release(member: MemberRuntime): void {
    member.addConnections(-1);
  }
}
