import type { MemberRuntime } from "../pool-runtime.types";
import type { Balancer, MemberFilter } from "./balancer.types";

/**
 * Smooth weighted round robin, the nginx algorithm (ngx_http_upstream_get_peer): on every pick each
 * available member's current weight grows by its weight, the largest current weight wins (ties: lowest
 * index) and pays back the round's total. Picks interleave and match the weights exactly over a cycle:
 * weights 5,1,1 give a a b a c a a.
 *
 * Unavailable or excluded members sit the round out (they neither gain nor pay), as nginx does for
 * down peers. O(members) per pick, which is fine for pool sizes a load balancer has; the only mutable
 * state is the per-member current weight, private to this instance.
 */
export function createWeightedRoundRobin(members: readonly MemberRuntime[], isAvailable: MemberFilter): Balancer {
  const current = new Float64Array(members.length);
  return {
    pick(_clientIp, exclude) {
      let total = 0;
      let best = -1;
      let bestWeight = 0;
      for (let i = 0; i < members.length; i++) {
        const member = members[i]!;
        if (!isAvailable(member) || (exclude !== undefined && exclude.has(member))) continue;
        const weight = member.config.weight;
        const cw = (current[i]! += weight);
        total += weight;
        if (best < 0 || cw > bestWeight) {
          best = i;
          bestWeight = cw;
        }
      }
      if (best < 0) return null;
      current[best]! -= total;
      return members[best]!;
    },
  };
}
