import { memberKey, type SharedMemberStates } from "../pools/shared-member-states";
import type { SnapshotPool } from "../protocol/snapshot.types";
import { SlotTable } from "./slot-table";
import type { MemberSlot } from "./worker-messages.types";

/**
 * The primary's assignment of shared-memory slots to members (pools/shared-member-states.ts). A member
 * keeps its slot for as long as snapshots keep it (same pool, id, address and port), so its connection
 * count, health and ejection carry over as they do in one thread. A new member gets a free slot, reset
 * first (no connections, healthy at once only when its pool has no health check). A removed member's
 * slot is held for `holdMs` (connections opened under older snapshots still release on it while they
 * drain) and only then reused.
 */
export class MemberSlotAllocator {
  private readonly table: SlotTable;

  constructor(
    private readonly states: SharedMemberStates,
    /** How long a removed member's slot stays unused; the drain grace plus a margin. */
    holdMs: number,
    now: () => number = Date.now,
  ) {
    this.table = new SlotTable(states.capacity, holdMs, "shared member", now);
  }

  /** Slots for every member of `pools`; throws when shared memory has no slot left. */
  assign(pools: readonly SnapshotPool[]): MemberSlot[] {
    const entries = new Map<string, MemberSlot>();
    const monitored = new Map<string, boolean>();
    for (const pool of pools) {
      for (const member of pool.members) {
        const key = memberKey(pool.id, member);
        if (entries.has(key)) continue; // a repeated member shares its state, as in one thread
        entries.set(key, { poolId: pool.id, memberId: member.id, address: member.address, port: member.port, slot: -1 });
        monitored.set(key, pool.healthMonitor !== null);
      }
    }
    const slots = this.table.assign(entries.keys(), (slot, key) => this.states.reset(slot, !monitored.get(key)));
    for (const [key, entry] of entries) entry.slot = slots.get(key)!;
    return [...entries.values()];
  }

  /** Members holding a slot (tests). */
  get size(): number {
    return this.table.size;
  }
}
