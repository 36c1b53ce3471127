import type { SnapshotHealthMonitor } from "../../protocol/snapshot.types";

/** Where a health check goes: the member's address and the check port (monitor port or member port). */
export interface CheckTarget {
  address: string;
  port: number;
  /**
   * Bytes the probe sends first (HAProxy `check-send-proxy`): the PROXY header of a group that transfers
   * the client IP that way (v2 LOCAL, v1 `PROXY UNKNOWN`), so a member that requires one stays healthy.
   * TCP: written once connected; HTTP: before the request, on the same connection; UDP: in front of the
   * probe payload, in the same datagram. Absent/null = none.
   */
  proxyHeader?: Buffer | null;
}

/**
 * One health check attempt. Resolves true (healthy) or false, never rejects; gives up after the
 * monitor's timeout; an aborted signal ends it early with false and releases its socket. Resolves
 * null when the engine could not check at all (out of descriptors: EMFILE/ENFILE): that says nothing
 * about the member, which keeps its status (see probe.ts, `inconclusive`).
 */
export type HealthCheck = (target: CheckTarget, monitor: SnapshotHealthMonitor, signal: AbortSignal) => Promise<boolean | null>;
