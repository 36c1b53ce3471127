import type { LiveMember } from "../member-runtime";
import { SharedMemberState } from "../shared-member-states";
import { SharedSourceIpTable } from "./shared-source-ip-table";
import type { SourceIpStickyTable } from "./source-ip-table";

/**
 * Source-IP sticky sessions (guide 3.5) as a pool's pick sees them: which member a client is stuck to,
 * and remembering the member picked for it. Two kinds: one thread's table (`LocalSourceIpStickiness`),
 * and the table all worker threads share (`SharedSourceIpStickiness`), where the first thread to stick a
 * new client decides for every thread.
 */
export interface SourceIpStickiness {
  /** The member `clientIp` is stuck to in this pool (refreshed), if any; the caller checks it is available. */
  stuck(clientIp: string): LiveMember | undefined;
  /**
   * Sticks `clientIp` to `picked` (`stale`: the stuck member the caller could not use). Returns the member
   * to route to: `picked`, or the member another thread stuck the client to first.
   */
  remember(clientIp: string, picked: LiveMember, stale: LiveMember | undefined): LiveMember;
  /** Takes a new snapshot's duration. */
  setDuration(durationMs: number): void;
}

/** One thread's stickiness: the pool's SourceIpStickyTable (client IP → member id), carried across snapshots. */
export class LocalSourceIpStickiness implements SourceIpStickiness {
  constructor(
    /** The table; kept by the next snapshot's runtime of the same pool. */
    readonly table: SourceIpStickyTable,
    private readonly index: ReadonlyMap<string, LiveMember>,
  ) {}

  stuck(clientIp: string): LiveMember | undefined {
    const id = this.table.get(clientIp);
    return id === undefined ? undefined : this.index.get(id);
  }

  remember(clientIp: string, picked: LiveMember): LiveMember {
    this.table.set(clientIp, picked.config.id);
    return picked;
  }

  setDuration(durationMs: number): void {
    this.table.setDuration(durationMs);
  }
}

/**
 * Every worker thread's stickiness for one pool: entries in the engine's SharedSourceIpTable name the
 * member's slot in shared memory (its SharedMemberState), so a client stays on one member whichever
 * worker accepts it. An entry naming a slot that is not a member of this pool any more is a miss (the
 * next pick rebinds it); nothing is ever cleared, old entries expire.
 */
export class SharedSourceIpStickiness implements SourceIpStickiness {
  private readonly poolKey: number;
  private readonly bySlot = new Map<number, LiveMember>();

  constructor(
    private readonly table: SharedSourceIpTable,
    poolId: string,
    members: readonly LiveMember[],
    private durationMs: number,
  ) {
    this.poolKey = SharedSourceIpTable.poolKey(poolId);
    for (const member of members) if (member.state instanceof SharedMemberState) this.bySlot.set(member.state.slot, member);
  }

  stuck(clientIp: string): LiveMember | undefined {
    const slot = this.table.get(this.poolKey, clientIp, this.durationMs, Date.now());
    return slot < 0 ? undefined : this.bySlot.get(slot);
  }

  remember(clientIp: string, picked: LiveMember, stale: LiveMember | undefined): LiveMember {
    const slot = slotOf(picked);
    if (slot < 0) return picked; // not in shared memory (cannot happen with workers): no stickiness
    const staleSlot = stale === undefined ? -1 : slotOf(stale);
    const now = Date.now();
    const winner =
      staleSlot < 0
        ? this.table.claim(this.poolKey, clientIp, slot, this.durationMs, now)
        : this.table.rebind(this.poolKey, clientIp, staleSlot, slot, this.durationMs, now);
    return winner === slot ? picked : (this.bySlot.get(winner) ?? picked);
  }

  setDuration(durationMs: number): void {
    this.durationMs = durationMs;
  }
}

function slotOf(member: LiveMember): number {
  return member.state instanceof SharedMemberState ? member.state.slot : -1;
}
