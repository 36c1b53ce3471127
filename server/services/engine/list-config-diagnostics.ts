import "server-only";
import type { ConfigDiagnostic } from "../../control-plane/compile/diagnostic";
import type { ServiceContext } from "../context";

/**
 * What the snapshot compiler left out of the engine's configuration, and why (Settings → Engine), for
 * every load balancer: the engine serves one configuration for all of them. Empty without a control plane.
 */
export function listConfigDiagnostics(ctx: ServiceContext): ConfigDiagnostic[] {
  return [...ctx.engine.diagnostics()];
}
