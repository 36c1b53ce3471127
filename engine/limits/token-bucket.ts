/** Burst allowance: this much time's worth of bytes, at least MIN_BURST_BYTES. */
const BURST_MS = 100;
const MIN_BURST_BYTES = 16 * 1024;

/** Bytes per millisecond of a rate in Mbit/s (10^6 bits per second, 8 bits per byte). */
export function bytesPerMs(megabitsPerSecond: number): number {
  return (megabitsPerSecond * 1_000_000) / 8 / 1000;
}

/**
 * The bandwidth of one EIP address, shared by every connection and datagram sent through it to
 * clients. Tokens are bytes; they refill at `rate` up to `capacity` (100 ms worth, at least 16 KiB).
 * Shaping (TCP, HTTP): `take` always debits, the balance may go negative, and the caller holds the
 * bytes for the returned milliseconds (until the debt is paid). Policing (UDP): `tryTake` debits only
 * when the bytes fit, otherwise the caller drops them. A rate change applies at once and keeps the
 * balance (clamped to the new burst). A disabled bucket (its limit was removed) lets everything pass.
 * The clock is a parameter for tests; callers pass nothing (Date.now()).
 */
export class TokenBucket {
  /** Bytes per millisecond. */
  private rate = 0;
  private capacity = 0;
  private tokens = 0;
  private last: number;
  private limited = true;
  private mbps = 0;

  constructor(megabitsPerSecond: number, now = Date.now()) {
    this.last = now;
    this.setRate(megabitsPerSecond, now);
    this.tokens = this.capacity;
  }

  /** Current rate in Mbit/s (0 when disabled). */
  get megabitsPerSecond(): number {
    return this.limited ? this.mbps : 0;
  }

  /** Burst size in bytes. */
  get burstBytes(): number {
    return this.capacity;
  }

  /** Changes the rate (also re-enables a disabled bucket); the balance carries over. */
  setRate(megabitsPerSecond: number, now = Date.now()): void {
    if (this.limited) this.refill(now);
    else {
      this.limited = true;
      this.last = now;
    }
    this.mbps = megabitsPerSecond;
    this.rate = bytesPerMs(megabitsPerSecond);
    this.capacity = Math.max(MIN_BURST_BYTES, this.rate * BURST_MS);
    if (this.tokens > this.capacity) this.tokens = this.capacity;
  }

  /** Lifts the limit: connections still holding this bucket are no longer limited. */
  disable(): void {
    this.limited = false;
    this.tokens = 0;
  }

  /** Debits `bytes`; returns the milliseconds until the balance is back to ≥ 0 (0 = send now). */
  take(bytes: number, now = Date.now()): number {
    if (!this.limited) return 0;
    this.refill(now);
    const tokens = (this.tokens -= bytes);
    return tokens >= 0 ? 0 : Math.ceil(-tokens / this.rate);
  }

  /** Debits `bytes` when they fit in the balance; false = over the limit, drop them. */
  tryTake(bytes: number, now = Date.now()): boolean {
    if (!this.limited) return true;
    this.refill(now);
    if (this.tokens < bytes) return false;
    this.tokens -= bytes;
    return true;
  }

  private refill(now: number): void {
    const elapsed = now - this.last;
    if (elapsed <= 0) return;
    this.last = now;
    const tokens = this.tokens + elapsed * this.rate;
    this.tokens = tokens > this.capacity ? this.capacity : tokens;
  }
}
