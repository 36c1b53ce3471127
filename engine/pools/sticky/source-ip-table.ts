/** Entry of the sticky table: which member a client IP sticks to, until when. */
interface StickyEntry {
  memberId: string;
  expiresAt: number;
}

/** Default bound on remembered clients per pool; the oldest entry is dropped beyond it. */
export const DEFAULT_STICKY_MAX_ENTRIES = 100_000;

/**
 * Layer-4 sticky sessions by source IP (guide 3.5): remembers the member a client IP was sent to for
 * `durationMs`, refreshed on every use (the session lasts while the client keeps coming back).
 *
 * The Map's insertion order is kept equal to expiry order (every touch re-inserts at the end, and all
 * entries share one duration), so expired entries are swept from the front in amortised O(1) and the
 * size bound evicts the entry closest to expiring. No timers.
 */
export class SourceIpStickyTable {
  private readonly entries = new Map<string, StickyEntry>();

  constructor(
    /** Stickiness duration in ms (pool's durationMinutes × 60 000). */
    private durationMs: number,
    /** Bound on entries; default DEFAULT_STICKY_MAX_ENTRIES. */
    private readonly maxEntries = DEFAULT_STICKY_MAX_ENTRIES,
    /** Clock, injectable for tests. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Number of entries, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  /** Changes the duration (a new snapshot); running entries keep their expiry until next touched. */
  setDuration(durationMs: number): void {
    this.durationMs = durationMs;
  }

  /** The member id the client sticks to, refreshing its expiry; undefined when none or expired. */
  get(clientIp: string): string | undefined {
    const entry = this.entries.get(clientIp);
    if (entry === undefined) return undefined;
    const now = this.now();
    this.entries.delete(clientIp);
    if (entry.expiresAt <= now) return undefined;
    entry.expiresAt = now + this.durationMs;
    this.entries.set(clientIp, entry);
    return entry.memberId;
  }

  /** Sticks the client to a member (new or re-stuck after its member became unavailable). */
  set(clientIp: string, memberId: string): void {
    const now = this.now();
    this.sweep(now);
    const existing = this.entries.get(clientIp);
    if (existing !== undefined) this.entries.delete(clientIp);
    else if (this.entries.size >= this.maxEntries) this.evictOldest();
    const entry = existing ?? { memberId, expiresAt: 0 };
    entry.memberId = memberId;
    entry.expiresAt = now + this.durationMs;
    this.entries.set(clientIp, entry);
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
  }

  private sweep(now: number): void {
    for (const [ip, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(ip);
    }
  }

  private evictOldest(): void {
    const first = this.entries.keys().next();
    if (first.done !== true) this.entries.delete(first.value);
  }
}
