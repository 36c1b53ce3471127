import { createPoolRuntime } from "../pools/pool-runtime";
import type { PoolRuntime } from "../pools/pool-runtime.types";
import type { SharedMemberStates } from "../pools/shared-member-states";
import type { SnapshotPool } from "../protocol/snapshot.types";

/**
 * Builds the pool runtimes of a snapshot, each from its config and the same pool's previous
 * runtime (by id), so unchanged members keep connection counts, health and stickiness.
 */
export function buildPools(
  pools: readonly SnapshotPool[],
  previous: ReadonlyMap<string, PoolRuntime>,
  /** Member states in shared memory (several worker threads); default each member's own. */
  memberStates?: SharedMemberStates,
): Map<string, PoolRuntime> {
  const out = new Map<string, PoolRuntime>();
  const options = memberStates === undefined ? undefined : { memberStates };
  for (const config of pools) out.set(config.id, createPoolRuntime(config, previous.get(config.id), options));
  return out;
}
