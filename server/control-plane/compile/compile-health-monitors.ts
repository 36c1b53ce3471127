import "server-only";
import type { SnapshotHealthMonitor } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";

/**
 * Compiles the enabled health checks, by backend server group id. A disabled check compiles to nothing
 * (every member counts as healthy, guide 5.2); the timeout is clamped to the interval (table 5-1). A check
 * of a group that does not exist is reported and ignored; so is a second enabled check of one group
 * (the first in row order wins, as the engine has always seen it).
 */
export function compileHealthMonitors(rows: ConfigRows, report: ReportDiagnostic): Map<string, SnapshotHealthMonitor> {
  const poolIds = new Set(rows.pools.map((p) => p.id));
  const byPool = new Map<string, SnapshotHealthMonitor>();
  for (const h of rows.healthMonitors) {
    const problem = !poolIds.has(h.poolId)
      ? `it checks backend server group ${h.poolId}, which does not exist`
      : h.enabled && byPool.has(h.poolId)
        ? `backend server group ${h.poolId} already has an enabled health check`
        : null;
    if (problem) {
      report({ kind: "healthMonitor", id: h.id, name: "", message: `${problem}; the health check is left out of the engine's configuration` });
      continue;
    }
    if (!h.enabled) continue;
    byPool.set(h.poolId, {
      protocol: h.protocol,
      domainName: h.domainName,
      port: h.port,
      intervalSeconds: h.intervalSeconds,
      timeoutSeconds: Math.min(h.timeoutSeconds, h.intervalSeconds),
      path: h.path,
      maxRetries: h.maxRetries,
      expectedCodes: h.expectedCodes,
    });
  }
  return byPool;
}
