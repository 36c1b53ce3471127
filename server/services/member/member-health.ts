import type { MemberHealth } from "@/engine/protocol/snapshot.types";
import { getControlPlane } from "../../control-plane/start-control-plane";

/**
 * Health of a backend server as the console shows it: Healthy / Unhealthy (the engine's last report),
 * Unavailable (no report yet, or the engine is not running), or DISABLED ("Health check disabled": the
 * group has no health check or it is off, so the engine treats every server as healthy — guide 5.2).
 */
export type MemberHealthStatus = "HEALTHY" | "UNHEALTHY" | "UNAVAILABLE" | "DISABLED";

/** Where health reports come from: the engine supervisor in the console process, or a test double. */
export interface HealthSource {
  engineRunning: boolean;
  statusOf(memberId: string): MemberHealth | undefined;
}

/** The running engine supervisor's reports (none when the control plane is not started, e.g. in tests). */
export function engineHealthSource(): HealthSource {
  const supervisor = getControlPlane()?.supervisor;
  return {
    engineRunning: supervisor?.status.state === "running",
    statusOf: (memberId) => supervisor?.health.get(memberId)?.status,
  };
}

/** Combines the group's health check switch with the engine's report for one server. */
export function memberHealthStatus(monitorEnabled: boolean, source: HealthSource, memberId: string): MemberHealthStatus {
  if (!monitorEnabled) return "DISABLED";
  if (!source.engineRunning) return "UNAVAILABLE";
  const reported = source.statusOf(memberId);
  // NO_MONITOR: the engine has not applied the snapshot that enabled the check yet.
  return reported === "HEALTHY" || reported === "UNHEALTHY" ? reported : "UNAVAILABLE";
}
