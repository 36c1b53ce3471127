import "server-only";
import type { EngineView } from "../../control-plane/engine-view";

/**
 * Health of a backend server as the console shows it: Healthy / Unhealthy (the engine's last report),
 * Unavailable (no report yet, or the engine is not running), or DISABLED ("Health check disabled": the
 * group has no health check or it is off, so the engine treats every server as healthy — guide 5.2).
 */
export type MemberHealthStatus = "HEALTHY" | "UNHEALTHY" | "UNAVAILABLE" | "DISABLED";

/** What the health status needs of the engine view. */
export type HealthSource = Pick<EngineView, "running" | "memberHealth">;

/** Combines the group's health check switch with the engine's report for one server. */
export function memberHealthStatus(monitorEnabled: boolean, engine: HealthSource, memberId: string): MemberHealthStatus {
  if (!monitorEnabled) return "DISABLED";
  if (!engine.running) return "UNAVAILABLE";
  const reported = engine.memberHealth(memberId);
  // NO_MONITOR: the engine has not applied the snapshot that enabled the check yet.
  return reported === "HEALTHY" || reported === "UNHEALTHY" ? reported : "UNAVAILABLE";
}
