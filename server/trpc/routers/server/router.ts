import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createServerSchema, listServersSchema, serverIdSchema, updateServerSchema } from "../../../services/server/server.schemas";
import { listServers } from "../../../services/server/list-servers";
import { createServer } from "../../../services/server/create-server";
import { updateServer } from "../../../services/server/update-server";
import { deleteServer } from "../../../services/server/delete-server";

const trace = (name: string) => ({ trace: { name, resourceType: "server" } });

/** The server inventory per subnet (Settings > Networks > Servers; offered by Add Backend Servers). */
export const serverRouter = createTRPCRouter({
  list: protectedProcedure.input(listServersSchema).query(({ ctx, input }) => listServers(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create server"))
    .input(createServerSchema)
    .mutation(({ ctx, input }) => createServer(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update server"))
    .input(updateServerSchema)
    .mutation(({ ctx, input }) => updateServer(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete server"))
    .input(serverIdSchema)
    .mutation(({ ctx, input }) => deleteServer(ctx.service, input)),
});
