import "server-only";
import type { HealthCheckProtocol } from "@/db/schema";
import type { healthMonitors } from "@/db/schema";

/** A health check as the console shows it (table 5-1). */
export interface HealthMonitorView {
  id: string;
  poolId: string;
  enabled: boolean;
  protocol: HealthCheckProtocol;
  domainName: string | null;
  port: number | null;
  intervalSeconds: number;
  timeoutSeconds: number;
  path: string;
  maxRetries: number;
  expectedCodes: number[];
}

/** Maps a health_monitors row to its view. */
export function toHealthMonitorView(row: typeof healthMonitors.$inferSelect): HealthMonitorView {
  return {
    id: row.id,
    poolId: row.poolId,
    enabled: row.enabled,
    protocol: row.protocol,
    domainName: row.domainName,
    port: row.port,
    intervalSeconds: row.intervalSeconds,
    timeoutSeconds: row.timeoutSeconds,
    path: row.path,
    maxRetries: row.maxRetries,
    expectedCodes: row.expectedCodes,
  };
}
