import { createHash } from "node:crypto";
import type { Snapshot, SnapshotAddressLimit, SnapshotListener, SnapshotPool } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "./load-config-rows";

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Compiles database rows into the engine's snapshot (plain data). Listeners bind on their load
 * balancer's private IP and, when bound, its EIP. Health checks that are disabled compile to null
 * (every member healthy); timeout is clamped to the interval (guide table 5-1). Every bound EIP
 * limits the traffic sent through its address to its bandwidth (`addressLimits`, sorted by address).
 */
export function compileSnapshot(rows: ConfigRows, version: number, epoch: string, now = new Date()): Snapshot {
  const lbById = new Map(rows.loadBalancers.map((lb) => [lb.id, lb]));
  const eipByLb = new Map(rows.eips.filter((e) => e.loadBalancerId).map((e) => [e.loadBalancerId!, e.address]));
  const listeners: SnapshotListener[] = rows.listeners
    .filter((l) => lbById.has(l.loadBalancerId))
    .sort(byId)
    .map((l) => {
      const lb = lbById.get(l.loadBalancerId)!;
      const eip = eipByLb.get(lb.id);
      return {
        id: l.id,
        name: l.name,
        loadBalancerId: lb.id,
        protocol: l.protocol,
        port: l.port,
        bindAddresses: eip ? [lb.privateIp, eip] : [lb.privateIp],
        defaultPoolId: l.defaultPoolId,
        idleTimeoutSeconds: l.idleTimeoutSeconds,
      };
    });
  const addressLimits: SnapshotAddressLimit[] = rows.eips
    .filter((e) => e.loadBalancerId !== null && lbById.has(e.loadBalancerId))
    .map((e) => ({ address: e.address, megabitsPerSecond: e.bandwidthMbit }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const pools: SnapshotPool[] = rows.pools.sort(byId).map((p) => {
    const monitor = rows.healthMonitors.find((h) => h.poolId === p.id && h.enabled);
    return {
      id: p.id,
      name: p.name,
      loadBalancerId: p.loadBalancerId,
      protocol: p.protocol,
      algorithm: p.algorithm,
      stickySession: p.stickySessionType
        ? { type: p.stickySessionType, cookieName: p.cookieName, durationMinutes: p.stickinessDurationMinutes ?? 20 }
        : null,
      members: rows.members
        .filter((m) => m.poolId === p.id)
        .sort(byId)
        .map((m) => ({ id: m.id, name: m.name, address: m.address, port: m.port, weight: m.weight })),
      healthMonitor: monitor
        ? {
            protocol: monitor.protocol,
            domainName: monitor.domainName,
            port: monitor.port,
            intervalSeconds: monitor.intervalSeconds,
            timeoutSeconds: Math.min(monitor.timeoutSeconds, monitor.intervalSeconds),
            path: monitor.path,
            maxRetries: monitor.maxRetries,
            expectedCodes: monitor.expectedCodes,
          }
        : null,
    };
  });
  const hash = snapshotHash(listeners, pools, addressLimits);
  return { epoch, version, hash, createdAt: now.toISOString(), listeners, pools, addressLimits };
}

/**
 * sha256 of the canonical JSON of the configuration (version and time excluded). Address limits
 * count only when there are some, so configurations without EIPs keep the hash they always had.
 */
export function snapshotHash(listeners: SnapshotListener[], pools: SnapshotPool[], addressLimits: SnapshotAddressLimit[] = []): string {
  const config = addressLimits.length === 0 ? { listeners, pools } : { listeners, pools, addressLimits };
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}
