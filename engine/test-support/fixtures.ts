import type {
  SnapshotHealthMonitor,
  SnapshotListener,
  SnapshotMember,
  SnapshotPool,
  Snapshot,
} from "../protocol/snapshot.types";

/** Test builders for snapshot objects with sensible defaults. */

/** A member on 127.0.0.1 unless told otherwise; weight 1. */
export function member(id: string, port: number, weight = 1, address = "127.0.0.1"): SnapshotMember {
  return { id, name: id, address, port, weight };
}

/** A TCP round-robin pool without stickiness or health check. */
export function pool(id: string, members: SnapshotMember[], overrides: Partial<SnapshotPool> = {}): SnapshotPool {
  return {
    id,
    name: id,
    loadBalancerId: "lb-1",
    protocol: "TCP",
    algorithm: "ROUND_ROBIN",
    stickySession: null,
    members,
    healthMonitor: null,
    ...overrides,
  };
}

/** A fast TCP health check: 1 s interval, 1 s timeout, 2 retries. */
export function monitor(overrides: Partial<SnapshotHealthMonitor> = {}): SnapshotHealthMonitor {
  return {
    protocol: "TCP",
    domainName: null,
    port: null,
    intervalSeconds: 1,
    timeoutSeconds: 1,
    path: "/",
    maxRetries: 2,
    expectedCodes: [200, 202, 401],
    ...overrides,
  };
}

/** A TCP listener on 127.0.0.1. */
export function listener(
  id: string,
  port: number,
  defaultPoolId: string | null,
  overrides: Partial<SnapshotListener> = {},
): SnapshotListener {
  return {
    id,
    name: id,
    loadBalancerId: "lb-1",
    protocol: "TCP",
    port,
    bindAddresses: ["127.0.0.1"],
    defaultPoolId,
    idleTimeoutSeconds: 300,
    ...overrides,
  };
}

/** Epoch of the snapshots `snapshot()` builds unless told otherwise. */
export const TEST_EPOCH = "epoch-test";

/** A snapshot of epoch `epoch`; the hash is derived from the version so equal versions hash equal. */
export function snapshot(
  version: number,
  listeners: SnapshotListener[],
  pools: SnapshotPool[],
  epoch: string = TEST_EPOCH,
): Snapshot {
  return { epoch, version, hash: `hash-${version}`, createdAt: new Date(0).toISOString(), listeners, pools };
}
