import type { BandwidthSlot, SharedTokenBuckets } from "../limits/shared-token-bucket";
import type { SnapshotAddressLimit } from "../protocol/snapshot.types";
import { SlotTable } from "./slot-table";

/**
 * The primary's assignment of shared bandwidth buckets (limits/shared-token-bucket.ts) to limited
 * addresses (EIPs): an address keeps its bucket, and its balance, while snapshots keep limiting it; a
 * newly limited address gets a full bucket at its rate; a bucket whose address is no longer limited is
 * reused only after `holdMs`.
 */
export class AddressSlotAllocator {
  private readonly table: SlotTable;

  constructor(
    private readonly buckets: SharedTokenBuckets,
    holdMs: number,
    now: () => number = Date.now,
  ) {
    this.table = new SlotTable(buckets.capacity, holdMs, "shared bandwidth", now);
  }

  /** Buckets for every limited address of a snapshot (rate > 0; the last entry of a repeated address wins, as AddressLimits reads it). */
  assign(limits: readonly SnapshotAddressLimit[] | undefined): BandwidthSlot[] {
    const rates = new Map<string, number>();
    for (const { address, megabitsPerSecond } of limits ?? []) if (megabitsPerSecond > 0) rates.set(address, megabitsPerSecond);
    const slots = this.table.assign(rates.keys(), (slot, address) => this.buckets.reset(slot, rates.get(address)!));
    return [...slots].map(([address, slot]) => ({ address, slot }));
  }
}
