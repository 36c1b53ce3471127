import "server-only";
import { nobodyListens, type ConfigChangedSignal } from "./config-changed";
import { getControlPlane } from "./control-plane-registry";
import { engineNotRunning, type EngineView } from "./engine-view";
import { liveEngineView } from "./live-engine-view";

/** What a request's ServiceContext gets from the control plane. */
export interface ControlPlaneLinks {
  engine: EngineView;
  configChanged: ConfigChangedSignal;
}

/**
 * The control plane's side of a request's ServiceContext: the engine view and the change signal of the
 * running control plane, or "engine not running" and a signal nobody listens to when this process has none.
 */
export function controlPlaneForRequest(): ControlPlaneLinks {
  const controlPlane = getControlPlane();
  if (!controlPlane) return { engine: engineNotRunning, configChanged: nobodyListens };
  return { engine: liveEngineView(controlPlane), configChanged: controlPlane.publisher.configChanged };
}
