import type { ClientIpTransport, SnapshotPool } from "../protocol/snapshot.types";
import type { Balancer } from "./balancers/balancer.types";
import type { LiveMember } from "./member-runtime";
import { readmitAll } from "./passive-ejection";
import { isAvailable, PoolSelector, selectorFor } from "./pool-selector";
import type { MemberRuntime, PoolRuntime } from "./pool-runtime.types";
import type { SharedMemberStates } from "./shared-member-states";
import type { SharedSourceIpTable } from "./sticky/shared-source-ip-table";
import { LocalSourceIpStickiness, SharedSourceIpStickiness, type SourceIpStickiness } from "./sticky/source-ip-stickiness";
import { SourceIpStickyTable } from "./sticky/source-ip-table";

/** Options for createPoolRuntime; defaults suit production. */
export interface PoolRuntimeOptions {
  /** Bound on the source-IP sticky table; default 100 000. */
  stickyMaxEntries?: number;
  /** Clock for sticky expiry; default Date.now. */
  now?: () => number;
  /** Member states in shared memory (several worker threads); default: each member's own fields. */
  memberStates?: SharedMemberStates;
  /** Source-IP sticky sessions shared by every worker thread (needs `memberStates`); default the pool's own table. */
  sourceIpTable?: SharedSourceIpTable;
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
  let sticky: SourceIpStickiness | null = null;
  if (config.stickySession?.type === "SOURCE_IP") {
    const durationMs = config.stickySession.durationMinutes * 60_000;
    if (options.sourceIpTable !== undefined && options.memberStates !== undefined) {
      sticky = new SharedSourceIpStickiness(options.sourceIpTable, config.id, selector.members, durationMs);
    } else {
      const carried = prior?.sticky instanceof LocalSourceIpStickiness ? prior.sticky.table : undefined;
      const table = carried ?? new SourceIpStickyTable(durationMs, options.stickyMaxEntries, options.now);
      table.setDuration(durationMs);
      sticky = new LocalSourceIpStickiness(table, selector.index);
    }
  }
  return new LivePool(config, selector, sticky);
}

/** PoolRuntime implementation: an immutable selector (members + balancer) plus optional source-IP stickiness. */
class LivePool implements PoolRuntime {
  readonly members: readonly LiveMember[];
  readonly transferClientIp: ClientIpTransport | null;
  private readonly balancer: Balancer;
  private readonly index: ReadonlyMap<string, LiveMember>;

  constructor(
    readonly config: SnapshotPool,
    /** Members and balancer; shared with the previous runtime when the routing did not change. */
    readonly selector: PoolSelector,
    /** Source-IP sticky sessions, when the pool's sticky session type is SOURCE_IP. */
    readonly sticky: SourceIpStickiness | null,
  ) {
    this.members = selector.members;
    this.transferClientIp = config.transferClientIp ?? null;
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
    const stuck = sticky.stuck(clientIp);
    if (stuck !== undefined && usable(stuck, exclude)) return stuck;
    const picked = this.balancer.pick(clientIp, exclude) as LiveMember | null; // the balancer is built over `members`
    if (picked === null) return null;
    const chosen = sticky.remember(clientIp, picked, stuck);
    return chosen === picked || usable(chosen, exclude) ? chosen : picked; // another thread stuck it first
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

/** Available and not excluded. */
function usable(member: LiveMember, exclude: ReadonlySet<MemberRuntime> | undefined): boolean {
  return isAvailable(member) && (exclude === undefined || !exclude.has(member));
}
