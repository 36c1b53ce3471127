import type { SnapshotAddressLimit } from "../protocol/snapshot.types";
import type { Bandwidth } from "./bandwidth.types";
import type { SharedTokenBucket, SharedTokenBuckets } from "./shared-token-bucket";
import { TokenBucket } from "./token-bucket";

/** A bucket this thread keeps, or one in shared memory (several worker threads). */
type Bucket = TokenBucket | SharedTokenBucket;

/**
 * The token buckets of the limited addresses (EIPs) of the snapshot held, by address. `apply` runs
 * once per snapshot: a bucket whose address stays limited is kept (its balance carries over, a new
 * rate applies at once to every connection holding it); a new address gets a fresh bucket; a bucket
 * whose limit is gone is disabled, so connections still holding it run unlimited. Listeners look an
 * address up once per accepted connection (or per bind for UDP), never per chunk. With `shared` (worker
 * threads) the buckets are the shared ones the primary assigned to each address, so the limit holds for
 * the sum of all workers; rate changes and disabling are idempotent, every worker applies them alike.
 */
export class AddressLimits {
  private buckets = new Map<string, Bucket>();

  constructor(
    /** The engine's shared buckets, slots already assigned for the snapshot being applied; default per-thread buckets. */
    private readonly shared?: SharedTokenBuckets,
  ) {}

  /** Brings the buckets in line with a snapshot's limits (the last entry wins for a repeated address). */
  apply(limits: readonly SnapshotAddressLimit[] | undefined): void {
    const next = new Map<string, Bucket>();
    for (const { address, megabitsPerSecond } of limits ?? []) {
      if (!(megabitsPerSecond > 0)) continue;
      const bucket = next.get(address) ?? this.shared?.bucketFor(address) ?? this.buckets.get(address);
      if (bucket === undefined) next.set(address, new TokenBucket(megabitsPerSecond));
      else {
        if (bucket.megabitsPerSecond !== megabitsPerSecond) bucket.setRate(megabitsPerSecond);
        next.set(address, bucket);
      }
    }
    for (const [address, bucket] of this.buckets) if (!next.has(address)) bucket.disable();
    this.buckets = next;
  }

  /** The bucket limiting traffic sent from `address`, or null when it is not limited. */
  bucketFor(address: string): Bandwidth | null {
    return this.buckets.size === 0 ? null : (this.buckets.get(address) ?? null);
  }

  /** Number of limited addresses. */
  get size(): number {
    return this.buckets.size;
  }
}
