/**
 * Health of one member as the checker tracks it. INITIAL: just added, not routable until a check
 * succeeds (guide 10.5.6: "considered healthy after one health check").
 */
export type ProbeStatus = "INITIAL" | "HEALTHY" | "UNHEALTHY";

/** A member's status plus the run of consecutive results that disagree with it. */
export interface HealthState {
  status: ProbeStatus;
  /** Consecutive check results pointing away from `status`. */
  streak: number;
}

/**
 * Applies one check result and returns the new status (mutating `state`), per guide 10.5.6 and
 * table 5-1: a new member turns HEALTHY after one success (or UNHEALTHY after `maxRetries`
 * failures); afterwards the state flips only after `maxRetries` consecutive opposite results.
 */
export function applyCheckResult(state: HealthState, healthy: boolean, maxRetries: number): ProbeStatus {
  const agrees = state.status === "HEALTHY" ? healthy : state.status === "UNHEALTHY" ? !healthy : false;
  if (state.status === "INITIAL" && healthy) {
    state.status = "HEALTHY";
    state.streak = 0;
  } else if (agrees) {
    state.streak = 0;
  } else if (++state.streak >= maxRetries) {
    state.status = healthy ? "HEALTHY" : "UNHEALTHY";
    state.streak = 0;
  }
  return state.status;
}
