import "server-only";
import type { SnapshotPool } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";
import { compileHealthMonitors } from "./compile-health-monitors";
import { compileMembers } from "./compile-members";
import { byId } from "./sort-by-id";
import { transferClientIpByPool } from "./compile-pool-client-ip";

/** Stickiness duration when none is stored (Source IP hash keeps none): the guide's default, 20 minutes. */
const DEFAULT_STICKINESS_MINUTES = 20;

/**
 * Compiles backend server groups in id order, each with its backend servers and its enabled health
 * check. A group whose load balancer does not exist is left out with a diagnostic (no listener of an
 * existing load balancer can use it). `transferClientIp` is added only to the default group of a TCP/UDP
 * listener with Transfer Client IP Address on, so other groups keep their bytes (and the hash).
 */
export function compilePools(rows: ConfigRows, report: ReportDiagnostic): SnapshotPool[] {
  const lbIds = new Set(rows.loadBalancers.map((lb) => lb.id));
  const members = compileMembers(rows, report);
  const monitors = compileHealthMonitors(rows, report);
  const transfer = transferClientIpByPool(rows, report);
  const compiled: SnapshotPool[] = [];
  for (const p of [...rows.pools].sort(byId)) {
    if (!lbIds.has(p.loadBalancerId)) {
      const message = `its load balancer ${p.loadBalancerId} does not exist; the backend server group is left out of the engine's configuration`;
      report({ kind: "pool", id: p.id, name: p.name, message });
      continue;
    }
    const pool: SnapshotPool = {
      id: p.id,
      name: p.name,
      loadBalancerId: p.loadBalancerId,
      protocol: p.protocol,
      algorithm: p.algorithm,
      stickySession: p.stickySessionType
        ? { type: p.stickySessionType, cookieName: p.cookieName, durationMinutes: p.stickinessDurationMinutes ?? DEFAULT_STICKINESS_MINUTES }
        : null,
      members: members.get(p.id) ?? [],
      healthMonitor: monitors.get(p.id) ?? null,
    };
    const transferClientIp = transfer.get(p.id);
    if (transferClientIp) pool.transferClientIp = transferClientIp;
    compiled.push(pool);
  }
  return compiled;
}
