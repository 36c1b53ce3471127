import { getControlPlane } from "../../control-plane/start-control-plane";

/**
 * Listeners the engine could not apply in its last snapshot (e.g. a port below 1024 without the
 * privilege to bind it, or an address in use), by listener id. Empty without a running control plane.
 */
export function engineListenerErrors(): Map<string, string> {
  const errors = getControlPlane()?.supervisor.status.listenerErrors ?? [];
  return new Map(errors.map((e) => [e.listenerId, e.message]));
}
