import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import {
  createListenerSchema,
  listenerIdSchema,
  listListenersSchema,
  updateAccessControlSchema,
  updateListenerSchema,
  updateSniSchema,
} from "../../../services/listener/listener.schemas";
import { listListeners } from "../../../services/listener/list-listeners";
import { getListener } from "../../../services/listener/get-listener";
import { createListener } from "../../../services/listener/create-listener";
import { updateListener } from "../../../services/listener/update-listener";
import { updateAccessControl } from "../../../services/listener/update-access-control";
import { updateSni } from "../../../services/listener/update-sni";
import { deleteListener } from "../../../services/listener/delete-listener";

const trace = (name: string) => ({ trace: { name, resourceType: "listener" } });

/** Listeners (guide 3.3, 3.6, 3.7, 3.8.5): thin procedures over the services. Access Control and SNI are "update listener" (table 9-1). */
export const listenerRouter = createTRPCRouter({
  list: protectedProcedure.input(listListenersSchema).query(({ ctx, input }) => listListeners(ctx.service, input)),
  get: protectedProcedure.input(listenerIdSchema).query(({ ctx, input }) => getListener(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create listener"))
    .input(createListenerSchema)
    .mutation(({ ctx, input }) => createListener(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update listener"))
    .input(updateListenerSchema)
    .mutation(({ ctx, input }) => updateListener(ctx.service, input)),
  updateAccessControl: mutationProcedure
    .meta(trace("update listener"))
    .input(updateAccessControlSchema)
    .mutation(({ ctx, input }) => updateAccessControl(ctx.service, input)),
  updateSni: mutationProcedure
    .meta(trace("update listener"))
    .input(updateSniSchema)
    .mutation(({ ctx, input }) => updateSni(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete listener"))
    .input(listenerIdSchema)
    .mutation(({ ctx, input }) => deleteListener(ctx.service, input)),
});
