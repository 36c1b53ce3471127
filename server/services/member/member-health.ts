import "server-only";
import type { EngineView, PassiveHealth } from "../../control-plane/engine-view";

/**
 * Health of a backend server as the console shows it: Healthy / Unhealthy (the engine's last report),
 * Unavailable (no report yet, or the engine is not running), or DISABLED ("Health check disabled": the
 * group has no health check or it is off, so the engine treats every server as healthy — guide 5.2).
 */
export type MemberHealthStatus = "HEALTHY" | "UNHEALTHY" | "UNAVAILABLE" | "DISABLED";

/**
 * Passive health shown beside the health check result: the proxy's own view of failed connects. It is
 * independent of the health check (it works without one), so it is shown whatever the status is.
 */
export type MemberPassiveHealth = PassiveHealth;

/** What the health status needs of the engine view. */
export type HealthSource = Pick<EngineView, "running" | "memberHealth" | "memberPassiveHealth">;

/** Combines the group's health check switch with the engine's report for one server. */
export function memberHealthStatus(monitorEnabled: boolean, engine: HealthSource, memberId: string): MemberHealthStatus {
  if (!monitorEnabled) return "DISABLED";
  if (!engine.running) return "UNAVAILABLE";
  const reported = engine.memberHealth(memberId);
  // NO_MONITOR: the engine has not applied the snapshot that enabled the check yet.
  return reported === "HEALTHY" || reported === "UNHEALTHY" ? reported : "UNAVAILABLE";
}

/**
 * The passive health to show for one server: null while the engine is not running (its last report is
 * stale) or reports no failed connect for it; otherwise whether it is ejected and after how many failures.
 */
export function memberPassiveHealth(engine: HealthSource, memberId: string): MemberPassiveHealth | null {
  if (!engine.running) return null;
  const passive = engine.memberPassiveHealth(memberId);
  if (!passive || (!passive.ejected && passive.consecutiveFailures === 0)) return null;
  return { ejected: passive.ejected, consecutiveFailures: passive.consecutiveFailures };
}
