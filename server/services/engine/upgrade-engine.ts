import "server-only";
import { AppError } from "../../errors";
import type { ServiceContext } from "../context";

/** What an upgrade request answers: the engine asked to hand over (its pid names the trace's resource). */
export interface UpgradeEngineResult {
  id: string;
  name: string;
  pid: number;
}

/**
 * Settings → Engine → Upgrade engine: asks the running engine to hand over to the engine build on disk
 * without closing a connection (engine/control/upgrade.ts). The answer only says the request was sent;
 * the outcome shows in the engine status (upgrade: handing-over, done or failed; the new pid and build).
 */
export function upgradeEngine(ctx: ServiceContext): UpgradeEngineResult {
  const request = ctx.engine.requestUpgrade();
  if (!request.ok) throw new AppError("PRECONDITION_FAILED", request.reason);
  return { id: String(request.pid), name: `engine ${request.pid}`, pid: request.pid };
}
