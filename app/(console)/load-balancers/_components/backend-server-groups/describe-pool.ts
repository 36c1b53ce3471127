import { algorithmLabels, stickySessionTypeLabels } from "@/server/services/pool/pool.schemas";
import type { PoolView } from "@/server/services/pool/pool-view";
import type { HealthMonitorView } from "@/server/services/health-monitor/health-monitor-view";

/** "Load balancer cookie, 20 min", "Source IP address" (Source IP hash: no duration) or "Disabled". */
export function describeStickySession(pool: PoolView): string {
  const sticky = pool.stickySession;
  if (!sticky) return "Disabled";
  const cookie = sticky.type === "APP_COOKIE" && sticky.cookieName ? ` (${sticky.cookieName})` : "";
  const duration = sticky.durationMinutes === null ? "" : `, ${sticky.durationMinutes} min`;
  return `${stickySessionTypeLabels[sticky.type]}${cookie}${duration}`;
}

/** "Weighted round robin". */
export const describeAlgorithm = (pool: PoolView) => algorithmLabels[pool.algorithm];

/** "HTTP · /health · every 5 s, timeout 3 s, 3 retries" or "Disabled". */
export function describeHealthCheck(monitor: HealthMonitorView | null): string {
  if (!monitor) return "Not configured";
  if (!monitor.enabled) return `Disabled (${monitor.protocol})`;
  const target = monitor.protocol === "HTTP" ? ` · ${monitor.domainName ?? ""}${monitor.path}` : "";
  const port = monitor.port ? ` · port ${monitor.port}` : "";
  return `Enabled · ${monitor.protocol}${target}${port} · every ${monitor.intervalSeconds} s, timeout ${monitor.timeoutSeconds} s, ${monitor.maxRetries} ${monitor.maxRetries === 1 ? "retry" : "retries"}`;
}
