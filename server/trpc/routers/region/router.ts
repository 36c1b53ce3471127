import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createRegionSchema, regionIdSchema, renameRegionSchema } from "../../../services/region/region.schemas";
import { listRegions } from "../../../services/region/list-regions";
import { createRegion } from "../../../services/region/create-region";
import { renameRegion } from "../../../services/region/rename-region";
import { deleteRegion } from "../../../services/region/delete-region";

const trace = (name: string) => ({ trace: { name, resourceType: "region" } });

/** Regions (guide 1.7.2), managed under Settings > Regions and Enterprise Projects. */
export const regionRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listRegions(ctx.service)),
  create: mutationProcedure
    .meta(trace("create region"))
    .input(createRegionSchema)
    .mutation(({ ctx, input }) => createRegion(ctx.service, input)),
  rename: mutationProcedure
    .meta(trace("update region"))
    .input(renameRegionSchema)
    .mutation(({ ctx, input }) => renameRegion(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete region"))
    .input(regionIdSchema)
    .mutation(({ ctx, input }) => deleteRegion(ctx.service, input)),
});
