import type { ConnectionObserver } from "./observer.types";

/** The observer used when nothing observes (production until metrics land): every hook does nothing. */
class NoopObserver implements ConnectionObserver {
  readonly observesRequests = false;
  connectionOpened(): void {}
  bytesIn(): void {}
  bytesOut(): void {}
  requestStarted(): void {}
  requestDone(): void {}
  error(): void {}
  connectionClosed(): void {}
}

/** The shared no-op observer. */
export const NOOP_OBSERVER: ConnectionObserver = new NoopObserver();
