import { threadId } from "node:worker_threads";
import type { Bandwidth } from "./bandwidth.types";
import { bytesPerMs } from "./token-bucket";

/** Burst allowance, as TokenBucket's (token-bucket.ts): this much time's worth of bytes, at least MIN_BURST_BYTES. */
const BURST_MS = 100;
const MIN_BURST_BYTES = 16 * 1024;

/** Default number of bucket slots: 4 096 limited addresses × 64 bytes = 256 KiB of shared memory. */
export const DEFAULT_BANDWIDTH_SLOTS = 4096;

/** One slot = one 64-byte cache line: Float64 fields 0–4, then the Int32 lock, limited flag and lock sequence. */
const SLOT_BYTES = 64;
const F64_PER_SLOT = SLOT_BYTES / 8;
const I32_PER_SLOT = SLOT_BYTES / 4;
const TOKENS = 0;
const LAST = 1;
/** Bytes per millisecond. */
const RATE = 2;
const CAPACITY = 3;
const MBPS = 4;
/** Int32 indexes within a slot (bytes 48–59, after the Float64 fields): lock word, limited flag, lock sequence. */
const LOCK = 12;
const LIMITED = 13;
const SEQ = 14;

/** This thread's mark in a lock word (never 0 = free): the main thread is 1, worker n is n + 1. */
const OWNER = threadId + 1;
/** Lock loads before the first sleep; the critical section is a few arithmetic operations. */
const LOCK_SPINS = 256;
/** A lock held this long belongs to a thread that stalled or died holding it: it is taken over. */
const LOCK_STEAL_MS = 100;

/** A bucket's place in shared memory, as the primary assigns it to a limited address. */
export interface BandwidthSlot {
  address: string;
  slot: number;
}

/**
 * The EIP bandwidth buckets of every worker thread in one SharedArrayBuffer: N threads draw from one
 * balance per address, so the limit holds for the sum of all workers. One slot per limited address;
 * the primary assigns slots (`reset` a slot before giving it to a new address) and sends the
 * assignment with each snapshot (`assign`), as for member states (pools/shared-member-states.ts).
 * Rate changes (`setRate`, `disable`) are idempotent, so every worker may apply the same snapshot's
 * limits to the same bucket.
 */
export class SharedTokenBuckets {
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;
  private slots = new Map<string, number>();
  private readonly views = new Map<number, SharedTokenBucket>();

  constructor(
    /** From `SharedTokenBuckets.allocate` in the primary, passed to every worker. */
    readonly buffer: SharedArrayBuffer,
  ) {
    const capacity = buffer.byteLength / SLOT_BYTES;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`shared token buckets: bad buffer size ${buffer.byteLength}`);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /** A zeroed buffer for `capacity` buckets (all disabled until `reset`). */
  static allocate(capacity = DEFAULT_BANDWIDTH_SLOTS): SharedArrayBuffer {
    return new SharedArrayBuffer(capacity * SLOT_BYTES);
  }

  /** Number of slots. */
  get capacity(): number {
    return this.i32.length / I32_PER_SLOT;
  }

  /** Takes the slot assignment sent with a snapshot (it replaces the previous one). */
  assign(slots: readonly BandwidthSlot[]): void {
    const next = new Map<string, number>();
    for (const s of slots) next.set(s.address, s.slot);
    this.slots = next;
  }

  /** The bucket limiting traffic sent from `address`, or null when it has no slot (not limited). */
  bucketFor(address: string): SharedTokenBucket | null {
    const slot = this.slots.size === 0 ? undefined : this.slots.get(address);
    return slot === undefined ? null : this.bucketAt(slot);
  }

  /** The bucket of one slot (one object per slot, reused). */
  bucketAt(slot: number): SharedTokenBucket {
    if (!(slot >= 0 && slot < this.capacity))
      throw new RangeError(`bandwidth slot ${slot} outside 0…${this.capacity - 1}`);
    let view = this.views.get(slot);
    if (view === undefined) {
      view = new SharedTokenBucket(this.f64, this.i32, slot);
      this.views.set(slot, view);
    }
    return view;
  }

  /**
   * Makes `slot` a fresh bucket, as `new TokenBucket(megabitsPerSecond, now)`: full, at that rate
   * (disabled when the rate is not > 0). The primary calls it before giving the slot to an address.
   */
  reset(slot: number, megabitsPerSecond: number, now = Date.now()): void {
    const bucket = this.bucketAt(slot);
    if (!(megabitsPerSecond > 0)) {
      bucket.disable();
      return;
    }
    bucket.disable();
    bucket.setRate(megabitsPerSecond, now);
    bucket.fill();
  }
}

/**
 * One address's bucket in shared memory: the same semantics and methods as TokenBucket
 * (token-bucket.ts — shaping `take`, policing `tryTake`, `setRate` keeping the balance, `disable`),
 * with the balance in a shared slot. Every change runs under the slot's spin lock: a compareExchange
 * of an Int32 lock word to take it, another to release it (failing only if the lock was taken over);
 * the section between is a few arithmetic operations on the slot's Float64 fields, with no call or
 * loop (V8 ends a thread only at those, so no worker is ended while holding the lock). A thread
 * that finds the lock held spins briefly, then sleeps 0.05 ms at a time (the holder may be
 * descheduled and need the core); a lock held by the same holder through the same acquisition for
 * LOCK_STEAL_MS (its thread stalled or died) is taken over — at worst one debit of the stalled thread
 * is lost, a few bytes of accounting.
 * Threads' clocks may differ by a little: a `now` older than the slot's last refill adds nothing.
 * A disabled bucket is read without the lock (one Int32 load): everything passes.
 */
export class SharedTokenBucket implements Bandwidth {
  private readonly base: number;
  private readonly lock: number;
  private readonly limited: number;
  private readonly seq: number;

  constructor(
    private readonly f64: Float64Array,
    private readonly i32: Int32Array,
    slot: number,
  ) {
    this.base = slot * F64_PER_SLOT;
    this.lock = slot * I32_PER_SLOT + LOCK;
    this.limited = slot * I32_PER_SLOT + LIMITED;
    this.seq = slot * I32_PER_SLOT + SEQ;
  }

  /** Current rate in Mbit/s (0 when disabled). */
  get megabitsPerSecond(): number {
    return this.i32[this.limited] === 1 ? this.f64[this.base + MBPS]! : 0;
  }

  /** Burst size in bytes. */
  get burstBytes(): number {
    return this.f64[this.base + CAPACITY]!;
  }

  /** Changes the rate (also re-enables a disabled bucket, from an empty balance); the balance carries over. */
  setRate(megabitsPerSecond: number, now = Date.now()): void {
    const f = this.f64;
    const b = this.base;
    const rate = bytesPerMs(megabitsPerSecond);
    const capacity = Math.max(MIN_BURST_BYTES, rate * BURST_MS);
    this.acquire();
    if (this.i32[this.limited] === 1) {
      const elapsed = now - f[b + LAST]!;
      if (elapsed > 0) {
        f[b + LAST] = now;
        const tokens = f[b + TOKENS]! + elapsed * f[b + RATE]!;
        f[b + TOKENS] = tokens > f[b + CAPACITY]! ? f[b + CAPACITY]! : tokens;
      }
    } else {
      f[b + LAST] = now;
      f[b + TOKENS] = 0;
    }
    f[b + MBPS] = megabitsPerSecond;
    f[b + RATE] = rate;
    f[b + CAPACITY] = capacity;
    if (f[b + TOKENS]! > capacity) f[b + TOKENS] = capacity;
    Atomics.store(this.i32, this.limited, 1);
    Atomics.compareExchange(this.i32, this.lock, OWNER, 0); // release
  }

  /** Lifts the limit: connections still holding this bucket, in every thread, are no longer limited. */
  disable(): void {
    this.acquire();
    Atomics.store(this.i32, this.limited, 0);
    this.f64[this.base + TOKENS] = 0;
    Atomics.compareExchange(this.i32, this.lock, OWNER, 0); // release
  }

  /** Debits `bytes`; returns the milliseconds until the balance is back to ≥ 0 (0 = send now). */
  take(bytes: number, now = Date.now()): number {
    const i32 = this.i32;
    if (i32[this.limited] === 0) return 0;
    if (Atomics.compareExchange(i32, this.lock, 0, OWNER) !== 0) this.acquireSlow();
    i32[this.seq] = i32[this.seq]! + 1;
    if (i32[this.limited] === 0) {
      Atomics.compareExchange(i32, this.lock, OWNER, 0); // disabled while waiting for the lock
      return 0;
    }
    const f = this.f64;
    const b = this.base;
    const rate = f[b + RATE]!;
    let tokens = f[b + TOKENS]!;
    const elapsed = now - f[b + LAST]!;
    if (elapsed > 0) {
      f[b + LAST] = now;
      tokens += elapsed * rate;
      const capacity = f[b + CAPACITY]!;
      if (tokens > capacity) tokens = capacity;
    }
    f[b + TOKENS] = tokens -= bytes;
    Atomics.compareExchange(i32, this.lock, OWNER, 0);
    return tokens >= 0 ? 0 : Math.ceil(-tokens / rate);
  }

  /** Debits `bytes` when they fit in the balance; false = over the limit, drop them. */
  tryTake(bytes: number, now = Date.now()): boolean {
    const i32 = this.i32;
    if (i32[this.limited] === 0) return true;
    if (Atomics.compareExchange(i32, this.lock, 0, OWNER) !== 0) this.acquireSlow();
    i32[this.seq] = i32[this.seq]! + 1;
    if (i32[this.limited] === 0) {
      Atomics.compareExchange(i32, this.lock, OWNER, 0); // disabled while waiting for the lock
      return true;
    }
    const f = this.f64;
    const b = this.base;
    let tokens = f[b + TOKENS]!;
    const elapsed = now - f[b + LAST]!;
    if (elapsed > 0) {
      f[b + LAST] = now;
      tokens += elapsed * f[b + RATE]!;
      const capacity = f[b + CAPACITY]!;
      if (tokens > capacity) tokens = capacity;
    }
    const fits = tokens >= bytes;
    f[b + TOKENS] = fits ? tokens - bytes : tokens;
    Atomics.compareExchange(i32, this.lock, OWNER, 0);
    return fits;
  }

  /** Fills the balance to the burst (a fresh bucket: SharedTokenBuckets.reset). */
  fill(): void {
    this.acquire();
    this.f64[this.base + TOKENS] = this.f64[this.base + CAPACITY]!;
    Atomics.compareExchange(this.i32, this.lock, OWNER, 0); // release
  }

  private acquire(): void {
    if (Atomics.compareExchange(this.i32, this.lock, 0, OWNER) !== 0) this.acquireSlow();
    this.i32[this.seq] = this.i32[this.seq]! + 1;
  }

  /**
   * The lock is held: spin, then sleep in short steps. Each holder bumps the slot's sequence word, so
   * a lock whose holder and sequence stay the same for LOCK_STEAL_MS is stuck, and taken over.
   */
  private acquireSlow(): void {
    const i32 = this.i32;
    const lock = this.lock;
    for (let spin = 0; spin < LOCK_SPINS; spin++) {
      if (Atomics.load(i32, lock) === 0 && Atomics.compareExchange(i32, lock, 0, OWNER) === 0) return;
    }
    let holder = Atomics.load(i32, lock);
    let seq = Atomics.load(i32, this.seq);
    let since = Date.now();
    for (;;) {
      if (holder === 0) {
        if (Atomics.compareExchange(i32, lock, 0, OWNER) === 0) return;
      } else if (Date.now() - since >= LOCK_STEAL_MS) {
        if (Atomics.compareExchange(i32, lock, holder, OWNER) === holder) return;
      } else Atomics.wait(i32, lock, holder, 0.05);
      const current = Atomics.load(i32, lock);
      const currentSeq = Atomics.load(i32, this.seq);
      if (current !== holder || currentSeq !== seq) {
        holder = current;
        seq = currentSeq;
        since = Date.now();
      }
    }
  }
}
