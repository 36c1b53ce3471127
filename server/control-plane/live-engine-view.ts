import "server-only";
import type { ControlPlane } from "./control-plane-registry";
import { passiveHealthOf, type EngineView } from "./engine-view";

/**
 * The engine view of a running control plane, for one request: reads the supervisor's reports when asked
 * (so a request pays only for what it reads) and the publisher's last diagnostics.
 */
export function liveEngineView({ supervisor, publisher }: ControlPlane): EngineView {
  let listenerErrors: Map<string, string> | undefined;
  return {
    running: supervisor.status.state === "running",
    // A copy: the supervisor keeps mutating its own object.
    status: () => structuredClone(supervisor.status),
    memberHealth: (memberId) => supervisor.health.get(memberId)?.status,
    memberPassiveHealth: (memberId) => passiveHealthOf(supervisor.health.get(memberId)),
    listenerError: (listenerId) => {
      listenerErrors ??= new Map(supervisor.status.listenerErrors.map((e) => [e.listenerId, e.message]));
      return listenerErrors.get(listenerId);
    },
    diagnostics: () => publisher.diagnostics(),
    requestUpgrade: () => supervisor.requestUpgrade(),
  };
}
