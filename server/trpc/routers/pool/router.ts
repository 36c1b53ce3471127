import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createPoolSchema, listPoolsSchema, poolIdSchema, updatePoolSchema } from "../../../services/pool/pool.schemas";
import { listPools } from "../../../services/pool/list-pools";
import { getPool } from "../../../services/pool/get-pool";
import { createPool } from "../../../services/pool/create-pool";
import { updatePool } from "../../../services/pool/update-pool";
import { deletePool } from "../../../services/pool/delete-pool";

const trace = (name: string) => ({ trace: { name, resourceType: "pool" } });

/** Backend server groups (guide 4.3, tables 4-1/4-2). */
export const poolRouter = createTRPCRouter({
  list: protectedProcedure.input(listPoolsSchema).query(({ ctx, input }) => listPools(ctx.service, input)),
  get: protectedProcedure.input(poolIdSchema).query(({ ctx, input }) => getPool(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create backend member group"))
    .input(createPoolSchema)
    .mutation(({ ctx, input }) => createPool(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update backend member group"))
    .input(updatePoolSchema)
    .mutation(({ ctx, input }) => updatePool(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete backend member group"))
    .input(poolIdSchema)
    .mutation(({ ctx, input }) => deletePool(ctx.service, input)),
});
