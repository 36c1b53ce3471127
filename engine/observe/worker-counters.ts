import type { ConnectionObserver } from "./observer.types";

/** Float64 fields of one worker's counters. */
const ACCEPTED = 0;
const OPEN = 1;
const FIELDS = 2;

/**
 * Per-worker counters in a SharedArrayBuffer: each worker thread writes only its own row (no Atomics
 * needed: one writer), the primary reads every row and sums them. Today: connections accepted (TCP and
 * HTTP connections, UDP sessions) and open now, for Settings → Engine. Listener metrics (guide 8.1) are
 * counted per listener by observe/listener-metrics.ts.
 */
export class WorkerCounters {
  private readonly values: Float64Array;

  constructor(
    /** From `WorkerCounters.allocate` in the primary, passed to every worker. */
    readonly buffer: SharedArrayBuffer,
  ) {
    this.values = new Float64Array(buffer);
  }

  /** A zeroed buffer for `workers` rows. */
  static allocate(workers: number): SharedArrayBuffer {
    return new SharedArrayBuffer(workers * FIELDS * 8);
  }

  /** Connections worker `index` accepted since the engine started (kept across that worker's restarts). */
  accepted(index: number): number {
    return this.values[index * FIELDS + ACCEPTED]!;
  }

  /** Connections worker `index` has open now. */
  open(index: number): number {
    return this.values[index * FIELDS + OPEN]!;
  }

  /** Resets worker `index`'s open count (its thread died: its connections died with it). */
  clearOpen(index: number): void {
    this.values[index * FIELDS + OPEN] = 0;
  }

  /** The observer worker `index` runs: counts into its own row. */
  observerFor(index: number): ConnectionObserver {
    return new CountingObserver(this.values, index * FIELDS);
  }
}

/** Counts connections into one row; every other hook does nothing, and it reads no clock per request. */
class CountingObserver implements ConnectionObserver {
  readonly observesRequests = false;

  constructor(
    private readonly values: Float64Array,
    private readonly base: number,
  ) {}

  connectionOpened(): void {
    const values = this.values;
    values[this.base + ACCEPTED] = values[this.base + ACCEPTED]! + 1;
    values[this.base + OPEN] = values[this.base + OPEN]! + 1;
  }
  connectionClosed(): void {
    const values = this.values;
    const open = values[this.base + OPEN]!;
    if (open > 0) values[this.base + OPEN] = open - 1;
  }
  bytesIn(): void {}
  bytesOut(): void {}
  requestStarted(): void {}
  requestDone(): void {}
  error(): void {}
}
