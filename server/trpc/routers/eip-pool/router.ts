import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createEipPoolSchema, networkIdSchema } from "../../../services/network/network.schemas";
import { listEipPools } from "../../../services/network/list-eip-pools";
import { createEipPool } from "../../../services/network/create-eip-pool";
import { deleteEipPool } from "../../../services/network/delete-eip-pool";

const trace = (name: string) => ({ trace: { name, resourceType: "eippool" } });

/** EIP pools of the current region (Settings > Networks). */
export const eipPoolRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listEipPools(ctx.service)),
  create: mutationProcedure
    .meta(trace("create eip pool"))
    .input(createEipPoolSchema)
    .mutation(({ ctx, input }) => createEipPool(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete eip pool"))
    .input(networkIdSchema)
    .mutation(({ ctx, input }) => deleteEipPool(ctx.service, input)),
});
