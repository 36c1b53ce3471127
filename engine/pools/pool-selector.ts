import { coarseClock } from "../io/coarse-clock";
import type { Algorithm, SnapshotPool } from "../protocol/snapshot.types";
import { NO_LOCK, type Balancer, type BalancerFactory, type MemberFilter } from "./balancers/balancer.types";
import { createSourceIpHash } from "./balancers/source-ip-hash";
import { createWeightedLeastConnections } from "./balancers/weighted-least-connections";
import { createWeightedRoundRobin } from "./balancers/weighted-round-robin";
import { LiveMember, LocalMemberState, sameRouting, sameServer, type MemberState } from "./member-runtime";
import type { SharedMemberStates } from "./shared-member-states";

/** One balancer factory per algorithm (guide 3.4). */
const BALANCERS: Record<Algorithm, BalancerFactory> = {
  ROUND_ROBIN: createWeightedRoundRobin,
  LEAST_CONNECTIONS: createWeightedLeastConnections,
  SOURCE_IP: createSourceIpHash,
};

/**
 * A member may take traffic when healthy, weighted above 0 (weight 0: never, health is moot) and not
 * passively ejected (passive-ejection.ts; one compare against the coarse clock).
 */
export const isAvailable: MemberFilter = (member) =>
  member.healthy && member.config.weight > 0 && (member.ejectedUntil === 0 || member.ejectedUntil <= coarseClock.now);

/**
 * The routing part of a backend server group (Pingora's selector): its member objects in config
 * order, the balancer built over exactly those objects, and an index by member id. Built once from the
 * members and the algorithm and never changed after; a new snapshot gets either this same selector
 * (routing unchanged, see selectorFor) or a new one, so `pick()` always returns one of `members`.
 */
export class PoolSelector {
  /** Member by id (the last one wins if ids repeat). */
  readonly index = new Map<string, LiveMember>();

  constructor(
    /** Algorithm the balancer implements. */
    readonly algorithm: Algorithm,
    /** Member objects, in config order; the balancer picks among these. */
    readonly members: readonly LiveMember[],
    /** Balancer over `members`. */
    readonly balancer: Balancer,
  ) {
    for (const member of members) this.index.set(member.config.id, member);
  }

  /** True when `config` routes like this selector: same algorithm, same members (id, address, port, weight) in order. */
  fits(config: SnapshotPool): boolean {
    const next = config.members;
    if (config.algorithm !== this.algorithm || next.length !== this.members.length) return false;
    for (let i = 0; i < next.length; i++) if (!sameRouting(this.members[i]!.config, next[i]!)) return false;
    return true;
  }
}

/**
 * The selector for `config`, given the same pool's selector from the last snapshot (if any).
 *
 * Routing unchanged (`prior.fits(config)`): `prior` itself, member objects and balancer position
 * included, after each member adopts its new config (a renamed member reads its new name).
 * Otherwise a new selector with new member objects; a member that is the same server (id, address,
 * port) as one of `prior` shares its engine state (connections, health), a new one starts healthy
 * without a health check and unroutable until its first successful check with one. With `shared` (several
 * worker threads) every member's state is its slot in shared memory, so all threads count and route alike.
 * Either way, without a health check every member is healthy (a removed check makes them all routable).
 */
export function selectorFor(config: SnapshotPool, prior: PoolSelector | undefined, shared?: SharedMemberStates): PoolSelector {
  const monitored = config.healthMonitor !== null;
  if (prior !== undefined && prior.fits(config)) {
    for (let i = 0; i < prior.members.length; i++) {
      const member = prior.members[i]!;
      member.adopt(config.members[i]!);
      if (!monitored) member.healthy = true;
    }
    return prior;
  }
  const members = config.members.map((memberConfig) => {
    const old = prior?.index.get(memberConfig.id);
    const carried = old !== undefined && sameServer(old.config, memberConfig) ? old.state : undefined;
    const state: MemberState = shared?.stateFor(config.id, memberConfig) ?? carried ?? new LocalMemberState(!monitored);
    if (!monitored) state.healthy = true;
    return new LiveMember(memberConfig, state);
  });
  const lock = shared !== undefined && members.length > 0 ? shared.lockFor(members[0]!.state) : NO_LOCK;
  return new PoolSelector(config.algorithm, members, BALANCERS[config.algorithm](members, isAvailable, lock));
}
