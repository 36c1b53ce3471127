import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createSubnetSchema, listSubnetsSchema, networkIdSchema } from "../../../services/network/network.schemas";
import { listSubnets } from "../../../services/network/list-subnets";
import { createSubnet } from "../../../services/network/create-subnet";
import { deleteSubnet } from "../../../services/network/delete-subnet";

const trace = (name: string) => ({ trace: { name, resourceType: "subnet" } });

/** Subnets of a VPC (Settings > Networks). */
export const subnetRouter = createTRPCRouter({
  list: protectedProcedure.input(listSubnetsSchema).query(({ ctx, input }) => listSubnets(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create subnet"))
    .input(createSubnetSchema)
    .mutation(({ ctx, input }) => createSubnet(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete subnet"))
    .input(networkIdSchema)
    .mutation(({ ctx, input }) => deleteSubnet(ctx.service, input)),
});
