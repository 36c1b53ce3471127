import { createPoolRuntime, type PoolRuntimeOptions } from "../pools/pool-runtime";
import type { PoolRuntime } from "../pools/pool-runtime.types";
import type { SnapshotPool } from "../protocol/snapshot.types";

/**
 * Builds the pool runtimes of a snapshot, each from its config and the same pool's previous
 * runtime (by id), so unchanged members keep connection counts, health and stickiness.
 */
export function buildPools(
  pools: readonly SnapshotPool[],
  previous: ReadonlyMap<string, PoolRuntime>,
  /** State shared by worker threads (member states, source-IP sticky table); default each pool's own. */
  shared?: Pick<PoolRuntimeOptions, "memberStates" | "sourceIpTable">,
): Map<string, PoolRuntime> {
  const out = new Map<string, PoolRuntime>();
  for (const config of pools) out.set(config.id, createPoolRuntime(config, previous.get(config.id), shared));
  return out;
}
