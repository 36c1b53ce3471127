import { memberKey, type SharedMemberStates } from "../pools/shared-member-states";
import type { SnapshotPool } from "../protocol/snapshot.types";
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
  private readonly assigned = new Map<string, MemberSlot>();
  private readonly held: { slot: number; until: number }[] = [];
  private readonly free: number[] = [];
  private next = 0;

  constructor(
    private readonly states: SharedMemberStates,
    /** How long a removed member's slot stays unused; the drain grace plus a margin. */
    private readonly holdMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Slots for every member of `pools`; throws when shared memory has no slot left. */
  assign(pools: readonly SnapshotPool[]): MemberSlot[] {
    const now = this.now();
    while (this.held.length > 0 && this.held[0]!.until <= now) this.free.push(this.held.shift()!.slot);
    const kept = new Set<string>();
    const out: MemberSlot[] = [];
    for (const pool of pools) {
      for (const member of pool.members) {
        const key = memberKey(pool.id, member);
        if (kept.has(key)) continue; // a repeated member shares its state, as in one thread
        kept.add(key);
        let entry = this.assigned.get(key);
        if (entry === undefined) {
          const slot = this.take();
          this.states.reset(slot, pool.healthMonitor === null);
          entry = { poolId: pool.id, memberId: member.id, address: member.address, port: member.port, slot };
          this.assigned.set(key, entry);
        }
        out.push(entry);
      }
    }
    for (const [key, entry] of this.assigned) {
      if (kept.has(key)) continue;
      this.assigned.delete(key);
      this.held.push({ slot: entry.slot, until: now + this.holdMs });
    }
    return out;
  }

  /** Slots in use (tests). */
  get size(): number {
    return this.assigned.size;
  }

  private take(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.next >= this.states.capacity) throw new Error(`no shared member slot left (${this.states.capacity} members)`);
    return this.next++;
  }
}
