import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createVpcSchema, networkIdSchema } from "../../../services/network/network.schemas";
import { listVpcs } from "../../../services/network/list-vpcs";
import { createVpc } from "../../../services/network/create-vpc";
import { deleteVpc } from "../../../services/network/delete-vpc";

const trace = (name: string) => ({ trace: { name, resourceType: "vpc" } });

/** VPCs of the current region (Settings > Networks). */
export const vpcRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listVpcs(ctx.service)),
  create: mutationProcedure
    .meta(trace("create vpc"))
    .input(createVpcSchema)
    .mutation(({ ctx, input }) => createVpc(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete vpc"))
    .input(networkIdSchema)
    .mutation(({ ctx, input }) => deleteVpc(ctx.service, input)),
});
