import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { getEngineStatus } from "../../../services/engine/get-engine-status";
import { listConfigDiagnostics } from "../../../services/engine/list-config-diagnostics";
import { upgradeEngine } from "../../../services/engine/upgrade-engine";

/** The engine process and the configuration compiled for it (Settings > Engine); administrators can upgrade it. */
export const engineRouter = createTRPCRouter({
  status: protectedProcedure.query(({ ctx }) => getEngineStatus(ctx.service)),
  diagnostics: protectedProcedure.query(({ ctx }) => listConfigDiagnostics(ctx.service)),
  /** Hand over to the engine build on disk without closing a connection (audited; administrators only). */
  upgrade: mutationProcedure.meta({ trace: { name: "upgrade engine", resourceType: "engine" } }).mutation(({ ctx }) => upgradeEngine(ctx.service)),
});
