import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createEipSchema, eipIdSchema, listEipsSchema } from "../../../services/eip/eip.schemas";
import { listEips } from "../../../services/eip/list-eips";
import { createEip } from "../../../services/eip/create-eip";
import { releaseEip } from "../../../services/eip/release-eip";

const trace = (name: string) => ({ trace: { name, resourceType: "eip" } });

/** EIPs of the current region's pools (Settings > Networks): list, Allocate EIP, Release. */
export const eipRouter = createTRPCRouter({
  list: protectedProcedure.input(listEipsSchema).query(({ ctx, input }) => listEips(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create eip"))
    .input(createEipSchema)
    .mutation(({ ctx, input }) => createEip(ctx.service, input)),
  release: mutationProcedure
    .meta(trace("release eip"))
    .input(eipIdSchema)
    .mutation(({ ctx, input }) => releaseEip(ctx.service, input)),
});
