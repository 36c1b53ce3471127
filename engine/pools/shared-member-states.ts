import type { SnapshotMember } from "../protocol/snapshot.types";
import { NO_LOCK, type BalancerLock } from "./balancers/balancer.types";
import type { MemberState } from "./member-runtime";

/** Int32 fields of one slot. */
const ACTIVE = 0;
const HEALTHY = 1;
const FAILURES = 2;
/** The spin lock of the pool whose first member this slot is (balancers' shared round-robin state). */
const LOCK = 3;
const INTS_PER_SLOT = 4;
/** Float64 fields: ejected-until, round robin's current weight. */
const FLOATS_PER_SLOT = 2;
const BYTES_PER_SLOT = INTS_PER_SLOT * 4 + FLOATS_PER_SLOT * 8;
/** Spins before a lock is taken over: its holder must have died inside the few instructions it guards. */
const MAX_SPINS = 1_000_000;

/** Default number of member slots: 65 536 members × 32 bytes = 2 MiB of shared memory. */
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
  private readonly floats: Float64Array;
  private slots = new Map<string, number>();
  private readonly views = new Map<number, SharedMemberState>();

  constructor(
    /** From `SharedMemberStates.allocate` in the primary, passed to every worker. */
    readonly buffer: SharedArrayBuffer,
  ) {
    const capacity = buffer.byteLength / BYTES_PER_SLOT;
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`shared member states: bad buffer size ${buffer.byteLength}`);
    this.floats = new Float64Array(buffer, 0, capacity * FLOATS_PER_SLOT);
    this.ints = new Int32Array(buffer, capacity * FLOATS_PER_SLOT * 8, capacity * INTS_PER_SLOT);
  }

  /** A zeroed buffer for `capacity` member slots. */
  static allocate(capacity = DEFAULT_MEMBER_SLOTS): SharedArrayBuffer {
    return new SharedArrayBuffer(capacity * BYTES_PER_SLOT);
  }

  /** Number of slots. */
  get capacity(): number {
    return this.floats.length / FLOATS_PER_SLOT;
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
      view = new SharedMemberState(this.ints, this.floats, slot);
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
    Atomics.store(this.ints, base + LOCK, 0);
    this.floats[slot * FLOATS_PER_SLOT] = 0;
    this.floats[slot * FLOATS_PER_SLOT + 1] = 0;
  }

  /**
   * The spin lock stored in `state`'s slot: a pool's balancers lock the slot of the pool's first member,
   * so every thread picking from that pool takes the same lock. For a state of another kind, NO_LOCK.
   */
  lockFor(state: MemberState): BalancerLock {
    return state instanceof SharedMemberState ? new SpinLock(this.ints, state.slot * INTS_PER_SLOT + LOCK) : NO_LOCK;
  }
}

/**
 * A lock word in shared memory, held for a few instructions at a time (one balancer pick). A holder
 * that died inside (a worker thread ended mid-pick) would hold it forever: after MAX_SPINS the waiter
 * takes it over.
 */
class SpinLock implements BalancerLock {
  constructor(
    private readonly ints: Int32Array,
    private readonly index: number,
  ) {}

  acquire(): void {
    for (let spins = 0; Atomics.compareExchange(this.ints, this.index, 0, 1) !== 0; spins++) {
      if (spins === MAX_SPINS) {
        Atomics.store(this.ints, this.index, 1);
        return;
      }
    }
  }

  release(): void {
    Atomics.store(this.ints, this.index, 0);
  }
}

/**
 * One member's state in shared memory (MemberState over a slot). Reads are plain loads of the shared
 * arrays (a value another thread wrote is seen at the latest after its next Atomics operation, in
 * practice at once); connection counts change with Atomics.add, so no thread's count is lost.
 */
export class SharedMemberState implements MemberState {
  private readonly base: number;
  private readonly floatBase: number;

  constructor(
    private readonly ints: Int32Array,
    private readonly floats: Float64Array,
    /** This state's slot. */
    readonly slot: number,
  ) {
    this.base = slot * INTS_PER_SLOT;
    this.floatBase = slot * FLOATS_PER_SLOT;
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
    return this.floats[this.floatBase]!;
  }
  set ejectedUntil(value: number) {
    this.floats[this.floatBase] = value;
  }

  /** Read and written under the pool's SpinLock (Atomics on the lock order these plain accesses). */
  get currentWeight(): number {
    return this.floats[this.floatBase + 1]!;
  }
  set currentWeight(value: number) {
    this.floats[this.floatBase + 1] = value;
  }
}
