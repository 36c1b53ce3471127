import { ExpiringTable } from "./expiring-table";

/** Default bound on remembered clients per pool; the oldest entry is dropped beyond it. */
export const DEFAULT_STICKY_MAX_ENTRIES = 100_000;

/**
 * Layer-4 sticky sessions by source IP (guide 3.5): client IP → member id, remembered for
 * `durationMs` after the client's last connection (refreshed on every use), bounded, swept lazily.
 * An ExpiringTable with the pool's defaults; `get`/`set`/`clear`/`setDuration`/`size` are its own.
 */
export class SourceIpStickyTable extends ExpiringTable<string, string> {
  constructor(
    /** Stickiness duration in ms (pool's durationMinutes × 60 000). */
    durationMs: number,
    /** Bound on entries; default DEFAULT_STICKY_MAX_ENTRIES. */
    maxEntries = DEFAULT_STICKY_MAX_ENTRIES,
    /** Clock, injectable for tests; default Date.now. */
    now: () => number = Date.now,
  ) {
    super(durationMs, maxEntries, now);
  }
}
