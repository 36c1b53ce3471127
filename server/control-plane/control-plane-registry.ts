import "server-only";
import type { EngineSupervisor } from "./engine-supervisor";
import type { SnapshotPublisher } from "./snapshot-publisher";

/** The running control plane: the engine supervisor and the snapshot publisher. */
export interface ControlPlane {
  supervisor: EngineSupervisor;
  publisher: SnapshotPublisher;
}

// Next.js loads the instrumentation hook (which starts the control plane) and each route in separate
// bundles, each with its own module instances: the one control plane of the process lives on globalThis.
const globalForControlPlane = globalThis as unknown as { __elbControlPlane?: ControlPlane };

/** The control plane of this console process, if started. Only request wiring reads it, never a service. */
export function getControlPlane(): ControlPlane | undefined {
  return globalForControlPlane.__elbControlPlane;
}

/** Records the started control plane (by `startControlPlane`, once per process). */
export function registerControlPlane(controlPlane: ControlPlane): void {
  globalForControlPlane.__elbControlPlane = controlPlane;
}
