import type { MemberRuntime } from "../pool-runtime.types";
import type { Balancer, MemberFilter } from "./balancer.types";

/**
 * Weighted least connections (guide 3.4): the member with the lowest overhead
 * `activeConnections / weight` wins. Overheads are compared by cross-multiplication, so no division
 * and no rounding. Ties go round robin: the scan starts one past the previous winner and keeps the
 * first of equal overheads, so idle members with equal load take turns instead of the first one
 * taking everything (with sequential short connections every member sits at 0).
 */
export function createWeightedLeastConnections(
  members: readonly MemberRuntime[],
  isAvailable: MemberFilter,
): Balancer {
  const count = members.length;
  let cursor = 0;
  return {
    pick(_clientIp, exclude) {
      let best: MemberRuntime | null = null;
      let bestIndex = 0;
      for (let k = 0; k < count; k++) {
        let i = cursor + k;
        if (i >= count) i -= count;
        const member = members[i]!;
        if (!isAvailable(member) || (exclude !== undefined && exclude.has(member))) continue;
        // a/wa < b/wb  ⇔  a·wb < b·wa (weights are > 0 for available members)
        if (
          best === null ||
          member.activeConnections * best.config.weight < best.activeConnections * member.config.weight
        ) {
          best = member;
          bestIndex = i;
        }
      }
      if (best !== null) cursor = bestIndex + 1 === count ? 0 : bestIndex + 1;
      return best;
    },
  };
}
