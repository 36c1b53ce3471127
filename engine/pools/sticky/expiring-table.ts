/** One entry: the value and when it expires (ms on the table's clock). Reused in place on refresh. */
interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded map whose entries expire `durationMs` after their last use: the one table behind both
 * sticky kinds (source IP → member id in pools/sticky, application cookie value → member id in l7/sticky).
 *
 * - `get` refreshes a live entry (sliding expiry: the session lasts while the client keeps coming
 *   back) and drops an expired one; `set` inserts or rebinds with a fresh expiry.
 * - The Map's insertion order is kept equal to expiry order (every touch re-inserts at the end, and
 *   entries share one duration), so `set` sweeps expired entries from the front in amortised O(1),
 *   and at the bound it evicts the first entry: the least recently used, closest to expiring.
 * - No timers. One clock read per `get` of a present key and per `set`; `get` allocates nothing.
 */
export class ExpiringTable<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    /** Lifetime of an entry after its last use, in ms. */
    private durationMs: number,
    /** Bound on entries (expired ones not yet swept count); at the bound `set` evicts the oldest. */
    private readonly maxEntries: number,
    /** Clock in ms, injectable for tests; default Date.now. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Number of entries, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  /** Changes the duration (a new snapshot); existing entries keep their expiry until next touched. */
  setDuration(durationMs: number): void {
    this.durationMs = durationMs;
  }

  /** The value under `key`, refreshing its expiry; undefined when absent or expired (then dropped). */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    entry.expiresAt = now + this.durationMs;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Binds `key` to `value` with a fresh expiry (rebinding an existing key never evicts another). */
  set(key: K, value: V): void {
    const now = this.now();
    this.sweep(now);
    const existing = this.entries.get(key);
    if (existing !== undefined) this.entries.delete(key);
    else if (this.entries.size >= this.maxEntries) this.evictOldest();
    const entry = existing ?? { value, expiresAt: 0 };
    entry.value = value;
    entry.expiresAt = now + this.durationMs;
    this.entries.set(key, entry);
  }

  /** Forgets `key`. */
  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Drops expired entries from the front, stopping at the first live one. */
  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }

  private evictOldest(): void {
    const first = this.entries.keys().next();
    if (first.done !== true) this.entries.delete(first.value);
  }
}
