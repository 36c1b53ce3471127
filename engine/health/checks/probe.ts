/**
 * True when `err` says the engine itself could not open a socket (the process or the system is out of
 * descriptors: EMFILE/ENFILE), not that the member failed. Such a check is inconclusive (null): marking
 * every member down while the engine is at its descriptor limit would turn an overload into an outage
 * that outlasts it by maxRetries check intervals.
 */
export function inconclusive(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === "EMFILE" || code === "ENFILE";
}

/** A failed check's result: false, or null when it failed for lack of descriptors (`inconclusive`). */
export function failed(err: unknown): boolean | null {
  return inconclusive(err) ? null : false;
}

/**
 * Runs one socket probe and settles it exactly once: `start` begins the I/O and returns its cleanup;
 * `done(result)` settles; the timeout settles with `timeoutResult`; an abort settles with false.
 * `done(null)`: inconclusive (see `failed`). Cleanup (closing the socket) always runs. A `start` that throws (Node refusing the request up front:
 * an invalid path, header or port) settles with false at once and clears the timer: the promise never
 * rejects and never hangs. A `start` that may throw after opening something must release it itself.
 */
export function probe(
  timeoutMs: number,
  signal: AbortSignal,
  start: (done: (healthy: boolean | null) => void) => () => void,
  timeoutResult = false,
): Promise<boolean | null> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    let settled = false;
    let cleanup: (() => void) | undefined;
    const done = (healthy: boolean | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      cleanup?.();
      resolve(healthy);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(timeoutResult), timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      cleanup = start(done);
    } catch (err) {
      return done(failed(err));
    }
    if (settled) cleanup();
  });
}
