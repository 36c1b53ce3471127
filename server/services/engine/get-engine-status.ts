import { getControlPlane } from "../../control-plane/start-control-plane";
import type { EngineStatus } from "../../control-plane/engine-supervisor";

/** The engine process as the console's supervisor sees it, or null when the control plane is not started. */
export function getEngineStatus(): EngineStatus | null {
  const status = getControlPlane()?.supervisor.status;
  // A copy: the supervisor keeps mutating its own object.
  return status ? structuredClone(status) : null;
}
