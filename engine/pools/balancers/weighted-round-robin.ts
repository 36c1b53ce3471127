import type { MemberRuntime } from "../pool-runtime.types";
import { NO_LOCK, type Balancer, type BalancerLock, type MemberFilter } from "./balancer.types";

/**
 * Smooth weighted round robin, the nginx algorithm (ngx_http_upstream_get_peer): on every pick each
 * available member's current weight grows by its weight, the largest current weight wins (ties: lowest
 * index) and pays back the round's total. Picks interleave and match the weights exactly over a cycle:
 * weights 5,1,1 give a a b a c a a.
 *
 * Unavailable or excluded members sit the round out (they neither gain nor pay), as nginx does for
 * down peers. O(members) per pick, which is fine for pool sizes a load balancer has. The only mutable
 * state is each member's `currentWeight`, which starts at 0 for a new balancer. With several worker
 * threads it lives in shared memory and `lock` makes each pick one step for all of them, so the ratio
 * holds for the engine, not per worker.
 */
export function createWeightedRoundRobin(members: readonly MemberRuntime[], isAvailable: MemberFilter, lock: BalancerLock = NO_LOCK): Balancer {
  for (const member of members) member.currentWeight = 0;
  return {
    pick(_clientIp, exclude) {
      lock.acquire();
      let total = 0;
      let best: MemberRuntime | null = null;
      let bestWeight = 0;
      for (let i = 0; i < members.length; i++) {
        const member = members[i]!;
        if (!isAvailable(member) || (exclude !== undefined && exclude.has(member))) continue;
        const weight = member.config.weight;
        const cw = (member.currentWeight += weight);
        total += weight;
        if (best === null || cw > bestWeight) {
          best = member;
          bestWeight = cw;
        }
      }
      if (best !== null) best.currentWeight -= total;
      lock.release();
      return best;
    },
  };
}
