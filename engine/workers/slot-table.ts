/**
 * Slots of a shared-memory table handed out by key (the primary's side of pools/shared-member-states.ts
 * and limits/shared-token-bucket.ts). A key keeps its slot for as long as successive `assign` calls
 * name it; a new key gets a free slot (`onNew` resets it first); a key no longer named gives its slot
 * back only after `holdMs` — connections opened under older snapshots still use it while they drain.
 */
export class SlotTable {
  private readonly assigned = new Map<string, number>();
  private readonly held: { slot: number; until: number }[] = [];
  private readonly free: number[] = [];
  private next = 0;

  constructor(
    /** Number of slots of the table. */
    private readonly capacity: number,
    /** How long a released slot stays unused. */
    private readonly holdMs: number,
    /** What the slots are, for the error when none is left. */
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The slot of every key of `keys` (each once); `onNew(slot, key)` runs for a key that had none.
   * Throws when the table has no slot left.
   */
  assign(keys: Iterable<string>, onNew: (slot: number, key: string) => void): Map<string, number> {
    const now = this.now();
    while (this.held.length > 0 && this.held[0]!.until <= now) this.free.push(this.held.shift()!.slot);
    const out = new Map<string, number>();
    for (const key of keys) {
      if (out.has(key)) continue;
      let slot = this.assigned.get(key);
      if (slot === undefined) {
        slot = this.take();
        onNew(slot, key);
        this.assigned.set(key, slot);
      }
      out.set(key, slot);
    }
    for (const [key, slot] of this.assigned) {
      if (out.has(key)) continue;
      this.assigned.delete(key);
      this.held.push({ slot, until: now + this.holdMs });
    }
    return out;
  }

  /** Keys holding a slot now. */
  get size(): number {
    return this.assigned.size;
  }

  private take(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.next >= this.capacity) throw new Error(`no ${this.what} slot left (${this.capacity})`);
    return this.next++;
  }
}
