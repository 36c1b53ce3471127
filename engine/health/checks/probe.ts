/**
 * Runs one socket probe and settles it exactly once: `start` begins the I/O and returns its cleanup;
 * `done(result)` settles; the timeout settles with `timeoutResult`; an abort settles with false.
 * Cleanup (closing the socket) always runs. A `start` that throws (Node refusing the request up front:
 * an invalid path, header or port) settles with false at once and clears the timer: the promise never
 * rejects and never hangs. A `start` that may throw after opening something must release it itself.
 */
export function probe(
  timeoutMs: number,
  signal: AbortSignal,
  start: (done: (healthy: boolean) => void) => () => void,
  timeoutResult = false,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    let settled = false;
    let cleanup: (() => void) | undefined;
    const done = (healthy: boolean) => {
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
    } catch {
      return done(false);
    }
    if (settled) cleanup();
  });
}
