import "server-only";
import type { EngineStatus } from "../../control-plane/engine-supervisor.types";
import type { ServiceContext } from "../context";

/** The engine process as the console's supervisor sees it, or null when the control plane is not started. */
export function getEngineStatus(ctx: ServiceContext): EngineStatus | null {
  return ctx.engine.status();
}
