import "server-only";
import { createTRPCRouter, protectedProcedure } from "../../init";
import { getEngineStatus } from "../../../services/engine/get-engine-status";
import { listConfigDiagnostics } from "../../../services/engine/list-config-diagnostics";

/** The engine process and the configuration compiled for it (Settings > Engine). Read-only. */
export const engineRouter = createTRPCRouter({
  status: protectedProcedure.query(({ ctx }) => getEngineStatus(ctx.service)),
  diagnostics: protectedProcedure.query(({ ctx }) => listConfigDiagnostics(ctx.service)),
});
