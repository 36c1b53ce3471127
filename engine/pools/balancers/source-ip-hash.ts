import type { MemberRuntime } from "../pool-runtime.types";
import type { Balancer, MemberFilter } from "./balancer.types";

/**
 * Source IP hash as rendezvous (highest random weight) hashing: every member scores
 * `mix(hash(clientIp) ^ hash(address:port))` and the highest available score wins. Properties:
 * - a client keeps its member as long as that member is in the pool and available;
 * - removing a member moves only the clients it had; adding one takes ~1/(n+1) of the clients from the others;
 * - an unavailable (unhealthy, weight 0) or excluded member is skipped and its clients fall to their
 *   next-highest score, spread over the rest; they come back when it recovers.
 * Weights do not take effect (guide 3.4), except that weight 0 gets nothing. Members are keyed by
 * address:port, not id, so re-adding the same server brings its clients back. O(members) integer ops per pick.
 */
export function createSourceIpHash(members: readonly MemberRuntime[], isAvailable: MemberFilter): Balancer {
  const seeds = new Uint32Array(members.length);
  for (let i = 0; i < members.length; i++) {
    const { address, port } = members[i]!.config;
    seeds[i] = hashString(`${address}:${port}`, 0);
  }
  return {
    pick(clientIp, exclude) {
      const key = hashIp(clientIp);
      let best: MemberRuntime | null = null;
      let bestScore = -1;
      for (let i = 0; i < members.length; i++) {
        const member = members[i]!;
        if (!isAvailable(member) || (exclude !== undefined && exclude.has(member))) continue;
        const score = mix32(key ^ seeds[i]!);
        if (score > bestScore) {
          best = member;
          bestScore = score;
        }
      }
      return best;
    },
  };
}

/** Hash of a client IP; an IPv4-mapped IPv6 address ("::ffff:1.2.3.4") hashes like the plain IPv4 one. */
export function hashIp(ip: string): number {
  const start = ip.length > 7 && ip.charCodeAt(0) === 58 /* : */ && ip.startsWith("::ffff:") && ip.includes(".") ? 7 : 0;
  return hashString(ip, start);
}

/** FNV-1a over the UTF-16 code units from `start`, finished with mix32 for avalanche. Allocation-free. */
function hashString(text: string, start: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** murmur3's fmix32 finalizer: every input bit flips each output bit with probability ~1/2. Unsigned result. */
function mix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
