import "server-only";
import { createTRPCRouter, protectedProcedure } from "../../init";
import { listScopes } from "../../../services/scope/list-scopes";

/** The console shell: who is signed in, regions and projects for the selector. */
export const scopeRouter = createTRPCRouter({
  current: protectedProcedure.query(({ ctx }) => listScopes(ctx.service)),
});
