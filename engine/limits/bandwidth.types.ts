/**
 * What a connection or a datagram path needs of an address's (EIP's) bandwidth limit, so a caller can
 * hold either kind: the per-thread `TokenBucket` (token-bucket.ts) or the `SharedTokenBucket` of
 * every worker thread together (shared-token-bucket.ts). Both satisfy it as they are.
 */
export interface Bandwidth {
  /** Current rate in Mbit/s (0 when disabled). */
  readonly megabitsPerSecond: number;
  /** Burst size in bytes. */
  readonly burstBytes: number;
  /** Shaping: debits `bytes`; returns the milliseconds until the balance is back to ≥ 0 (0 = send now). */
  take(bytes: number, now?: number): number;
  /** Policing: debits `bytes` when they fit in the balance; false = over the limit, drop them. */
  tryTake(bytes: number, now?: number): boolean;
}
