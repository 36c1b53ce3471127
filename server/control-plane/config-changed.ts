import { EventEmitter } from "node:events";

/**
 * Services call `notifyConfigChanged()` after a committed change that affects the data plane
 * (addresses, listeners, pools, members, health checks). The snapshot publisher listens and compiles
 * a new snapshot; with no publisher running (unit tests) it is a no-op.
 */
const globalForBus = globalThis as unknown as { __elbConfigBus?: EventEmitter };
const bus = (globalForBus.__elbConfigBus ??= new EventEmitter());

/** Signals that the data-plane configuration changed. */
export function notifyConfigChanged(): void {
  bus.emit("changed");
}

/** Subscribes to configuration changes; returns the unsubscribe function. */
export function onConfigChanged(listener: () => void): () => void {
  bus.on("changed", listener);
  return () => bus.off("changed", listener);
}
