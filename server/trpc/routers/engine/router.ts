import { createTRPCRouter, protectedProcedure } from "../../init";
import { getEngineStatus } from "../../../services/engine/get-engine-status";

/** The engine process (Settings > Engine). Read-only. */
export const engineRouter = createTRPCRouter({
  status: protectedProcedure.query(() => getEngineStatus()),
});
