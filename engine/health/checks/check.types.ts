import type { SnapshotHealthMonitor } from "../../protocol/snapshot.types";

/** Where a health check goes: the member's address and the check port (monitor port or member port). */
export interface CheckTarget {
  address: string;
  port: number;
}

/**
 * One health check attempt. Resolves true (healthy) or false, never rejects; gives up after the
 * monitor's timeout; an aborted signal ends it early with false and releases its socket. Resolves
 * null when the engine could not check at all (out of descriptors: EMFILE/ENFILE): that says nothing
 * about the member, which keeps its status (see probe.ts, `inconclusive`).
 */
export type HealthCheck = (target: CheckTarget, monitor: SnapshotHealthMonitor, signal: AbortSignal) => Promise<boolean | null>;
