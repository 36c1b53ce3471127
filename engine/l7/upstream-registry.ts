import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import { UpstreamPool, type UpstreamPoolOptions } from "./upstream-pool";

/**
 * The backend connection pools of one HTTP handler, keyed by "address:port" so keep-alive
 * connections survive snapshots that keep the server. `resolve` maps a pool's members to their
 * connection pools once per route; pools no route uses any more are closed by `retain`.
 */
export class UpstreamRegistry {
  private readonly pools = new Map<string, UpstreamPool>();

  constructor(private readonly options: UpstreamPoolOptions) {}

  /** Member → connection pool for every member of `pool` (creating pools as needed). */
  resolve(pool: PoolRuntime | null): Map<MemberRuntime, UpstreamPool> {
    const targets = new Map<MemberRuntime, UpstreamPool>();
    if (pool === null) return targets;
    for (const member of pool.members) {
      const { address, port } = member.config;
      const key = `${address}:${port}`;
      let upstream = this.pools.get(key);
      if (upstream === undefined) {
        upstream = new UpstreamPool(address, port, this.options);
        this.pools.set(key, upstream);
      }
      targets.set(member, upstream);
    }
    return targets;
  }

  /** Closes and forgets every pool not in `inUse` (in-flight requests finish; their connections then close). */
  retain(inUse: Iterable<UpstreamPool>): void {
    const keep = new Set(inUse);
    for (const [key, upstream] of this.pools) {
      if (!keep.has(upstream)) {
        upstream.close();
        this.pools.delete(key);
      }
    }
  }

  /** Closes idle connections past their idle timeout. */
  sweep(now: number): void {
    for (const upstream of this.pools.values()) upstream.sweep(now);
  }

  /** Closes every idle connection and stops keeping new ones (drain). */
  closeAll(): void {
    for (const upstream of this.pools.values()) upstream.close();
  }
}
