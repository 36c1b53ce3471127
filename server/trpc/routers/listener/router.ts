import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createListenerSchema, listenerIdSchema, listListenersSchema, updateListenerSchema } from "../../../services/listener/listener.schemas";
import { listListeners } from "../../../services/listener/list-listeners";
import { createListener } from "../../../services/listener/create-listener";
import { updateListener } from "../../../services/listener/update-listener";
import { deleteListener } from "../../../services/listener/delete-listener";

const trace = (name: string) => ({ trace: { name, resourceType: "listener" } });

/** Listeners (guide 3.3, 3.7): thin procedures over the services. */
export const listenerRouter = createTRPCRouter({
  list: protectedProcedure.input(listListenersSchema).query(({ ctx, input }) => listListeners(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create listener"))
    .input(createListenerSchema)
    .mutation(({ ctx, input }) => createListener(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update listener"))
    .input(updateListenerSchema)
    .mutation(({ ctx, input }) => updateListener(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete listener"))
    .input(listenerIdSchema)
    .mutation(({ ctx, input }) => deleteListener(ctx.service, input)),
});
