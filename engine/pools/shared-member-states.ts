import type { SnapshotMember } from "../protocol/snapshot.types";
import type { MemberState } from "./member-runtime";

/** Int32 fields of one slot. */
const ACTIVE = 0;
const HEALTHY = 1;
const FAILURES = 2;
const INTS_PER_SLOT = 4;

/** Default number of member slots: 65 536 members × 24 bytes ≈ 1.5 MiB of shared memory. */
export const DEFAULT_MEMBER_SLOTS = 65_536;

/** A member's place in shared memory, as the primary assigns it (workers/worker-messages.types.ts MemberSlot). */
export interface MemberSlotKey {
  poolId: string;
  memberId: string;
  address: string;
  port: number;
  slot: number;
}

/** The key of one server of one pool: same pool, id, address and port = same state (member-runtime.ts sameServer). */
export function memberKey(poolId: string, member: Pick<SnapshotMember, "id" | "address" | "port">): string {
  return `${poolId}\n${member.id}\n${member.address}\n${member.port}`;
}

/**
 * Member states in a SharedArrayBuffer, so every worker thread routes by the same numbers: active
 * connections of all workers (weighted least connections sees them all, exactly: Atomics.add), the
 * health the primary's checks write, and passive ejection (consecutive failures, ejected-until) seen by
 * every worker. One slot per member of a pool; the primary assigns slots and sends the assignment with
 * each snapshot (`assign`). Failure counts are incremented without a lock: two workers failing at the
 * same instant may count one failure (ejection can come one failure late); nothing else is lost.
 */
export class SharedMemberStates {
  private readonly ints: Int32Array;
  private readonly ejectedUntil: Float64Array;
  private slots = new Map<string, number>();
  private readonly views = new Map<number, SharedMemberState>();

  constructor(
    /** From `SharedMemberStates.allocate` in the primary, passed to every worker. */
    readonly buffer: SharedArrayBuffer,
  ) {
    const capacity = buffer.byteLength / (INTS_PER_SLOT * 4 + 8);
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`shared member states: bad buffer size ${buffer.byteLength}`);
    this.ejectedUntil = new Float64Array(buffer, 0, capacity);
    this.ints = new Int32Array(buffer, capacity * 8, capacity * INTS_PER_SLOT);
  }

  /** A zeroed buffer for `capacity` member slots. */
  static allocate(capacity = DEFAULT_MEMBER_SLOTS): SharedArrayBuffer {
    return new SharedArrayBuffer(capacity * (INTS_PER_SLOT * 4 + 8));
  }

  /** Number of slots. */
  get capacity(): number {
    return this.ejectedUntil.length;
  }

  /** Takes the slot assignment sent with a snapshot (it replaces the previous one). */
  assign(slots: readonly MemberSlotKey[]): void {
    const next = new Map<string, number>();
    for (const s of slots) next.set(memberKey(s.poolId, { id: s.memberId, address: s.address, port: s.port }), s.slot);
    this.slots = next;
  }

  /** The shared state of `member` of `poolId` under the current assignment; undefined when it has no slot. */
  stateFor(poolId: string, member: SnapshotMember): MemberState | undefined {
    const slot = this.slots.get(memberKey(poolId, member));
    return slot === undefined ? undefined : this.stateAt(slot);
  }

  /** The state view of one slot (one object per slot, reused). */
  stateAt(slot: number): SharedMemberState {
    if (!(slot >= 0 && slot < this.capacity)) throw new RangeError(`member slot ${slot} outside 0…${this.capacity - 1}`);
    let view = this.views.get(slot);
    if (view === undefined) {
      view = new SharedMemberState(this.ints, this.ejectedUntil, slot);
      this.views.set(slot, view);
    }
    return view;
  }

  /** Resets a slot before the primary gives it to a new member: no connections, no failures, `healthy` as given. */
  reset(slot: number, healthy: boolean): void {
    const base = slot * INTS_PER_SLOT;
    Atomics.store(this.ints, base + ACTIVE, 0);
    Atomics.store(this.ints, base + HEALTHY, healthy ? 1 : 0);
    Atomics.store(this.ints, base + FAILURES, 0);
    this.ejectedUntil[slot] = 0;
  }
}

/**
 * One member's state in shared memory (MemberState over a slot). Reads are plain loads of the shared
 * arrays (a value another thread wrote is seen at the latest after its next Atomics operation, in
 * practice at once); connection counts change with Atomics.add, so no thread's count is lost.
 */
export class SharedMemberState implements MemberState {
  private readonly base: number;

  constructor(
    private readonly ints: Int32Array,
    private readonly ejected: Float64Array,
    private readonly slot: number,
  ) {
    this.base = slot * INTS_PER_SLOT;
  }

  get activeConnections(): number {
    return this.ints[this.base + ACTIVE]!;
  }
  set activeConnections(value: number) {
    Atomics.store(this.ints, this.base + ACTIVE, value);
  }

  addConnections(delta: 1 | -1): void {
    const index = this.base + ACTIVE;
    if (delta > 0) {
      Atomics.add(this.ints, index, 1);
      return;
    }
    for (;;) {
      const count = Atomics.load(this.ints, index);
      if (count <= 0 || Atomics.compareExchange(this.ints, index, count, count - 1) === count) return; // never below 0
    }
  }

  get healthy(): boolean {
    return this.ints[this.base + HEALTHY] === 1;
  }
  set healthy(value: boolean) {
    Atomics.store(this.ints, this.base + HEALTHY, value ? 1 : 0);
  }

  get failures(): number {
    return this.ints[this.base + FAILURES]!;
  }
  set failures(value: number) {
    Atomics.store(this.ints, this.base + FAILURES, value);
  }

  get ejectedUntil(): number {
    return this.ejected[this.slot]!;
  }
  set ejectedUntil(value: number) {
    this.ejected[this.slot] = value;
  }
}
