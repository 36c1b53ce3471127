/**
 * Milliseconds since the epoch, refreshed by every HTTP handler's sweep and on each accepted
 * connection, so it is stale by at most one sweep period. Per-request deadlines and idle stamps
 * read it instead of calling Date.now() several times per request.
 */
export const coarseClock = { now: Date.now() };

/** Refreshes the clock and returns the current time. */
export function tickClock(): number {
  return (coarseClock.now = Date.now());
}
