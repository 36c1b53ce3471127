import type { Algorithm, SnapshotPool } from "../protocol/snapshot.types";
import type { Balancer, BalancerFactory, MemberFilter } from "./balancers/balancer.types";
import { createSourceIpHash } from "./balancers/source-ip-hash";
import { createWeightedLeastConnections } from "./balancers/weighted-least-connections";
import { createWeightedRoundRobin } from "./balancers/weighted-round-robin";
import { LiveMember, sameServer, type MemberState } from "./member-runtime";
import type { MemberRuntime, PoolRuntime } from "./pool-runtime.types";
import { SourceIpStickyTable } from "./sticky/source-ip-table";

/** One balancer factory per algorithm (guide 3.4). */
const BALANCERS: Record<Algorithm, BalancerFactory> = {
  ROUND_ROBIN: createWeightedRoundRobin,
  LEAST_CONNECTIONS: createWeightedLeastConnections,
  SOURCE_IP: createSourceIpHash,
};

/** A member may take traffic when healthy and weighted above 0 (weight 0: never, health is moot). */
const isAvailable: MemberFilter = (member) => member.healthy && member.config.weight > 0;

/** Options for createPoolRuntime; defaults suit production. */
export interface PoolRuntimeOptions {
  /** Bound on the source-IP sticky table; default 100 000. */
  stickyMaxEntries?: number;
  /** Clock for sticky expiry; default Date.now. */
  now?: () => number;
}

/**
 * Builds the runtime of one backend server group for one snapshot. With `previous` (the same pool's
 * runtime from the last snapshot), members that are the same server (same id, address, port) share
 * their engine state (active connections, health), and the source-IP sticky table carries over.
 * New members are healthy at once when the pool has no health check, otherwise not routable until
 * the health checker's first successful check. Without a health check every member is healthy.
 */
export function createPoolRuntime(
  config: SnapshotPool,
  previous?: PoolRuntime,
  options: PoolRuntimeOptions = {},
): PoolRuntime {
  const prior = previous instanceof LivePool ? previous : undefined;
  const monitored = config.healthMonitor !== null;
  const members = config.members.map((memberConfig) => {
    const old = prior?.liveById(memberConfig.id);
    const carried = old !== undefined && sameServer(old.config, memberConfig) ? old.state : undefined;
    const state: MemberState = carried ?? { activeConnections: 0, healthy: !monitored };
    if (!monitored) state.healthy = true;
    return new LiveMember(memberConfig, state);
  });
  let sticky: SourceIpStickyTable | null = null;
  if (config.stickySession?.type === "SOURCE_IP") {
    const durationMs = config.stickySession.durationMinutes * 60_000;
    sticky = prior?.sticky ?? new SourceIpStickyTable(durationMs, options.stickyMaxEntries, options.now);
    sticky.setDuration(durationMs);
  }
  return new LivePool(config, members, BALANCERS[config.algorithm](members, isAvailable), sticky);
}

/** PoolRuntime implementation: an immutable balancer plus optional source-IP stickiness. */
class LivePool implements PoolRuntime {
  private readonly index = new Map<string, LiveMember>();

  constructor(
    readonly config: SnapshotPool,
    readonly members: readonly LiveMember[],
    private readonly balancer: Balancer,
    /** Source-IP sticky table, when the pool's sticky session type is SOURCE_IP. */
    readonly sticky: SourceIpStickyTable | null,
  ) {
    for (const member of members) this.index.set(member.config.id, member);
  }

  pick(clientIp: string, exclude?: ReadonlySet<MemberRuntime>): MemberRuntime | null {
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

  /** byId with the concrete type, for carry-over. */
  liveById(memberId: string): LiveMember | undefined {
    return this.index.get(memberId);
  }

  isAvailable(member: MemberRuntime): boolean {
    return isAvailable(member);
  }

  acquire(member: MemberRuntime): void {
    member.activeConnections++;
  }

  release(member: MemberRuntime): void {
    if (member.activeConnections > 0) member.activeConnections--;
  }
}
