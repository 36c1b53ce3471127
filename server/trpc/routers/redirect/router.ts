import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createRedirectSchema, listRedirectsSchema, redirectIdSchema, updateRedirectSchema } from "../../../services/redirect/redirect.schemas";
import { listRedirects } from "../../../services/redirect/list-redirects";
import { createRedirect } from "../../../services/redirect/create-redirect";
import { updateRedirect } from "../../../services/redirect/update-redirect";
import { deleteRedirect } from "../../../services/redirect/delete-redirect";

/**
 * Table 9-1 has no redirect traces: the API models a redirect as an l7policy whose action is
 * REDIRECT_TO_LISTENER, so its calls are traced as forwarding policy calls (the body says the action).
 */
const trace = (name: string) => ({ trace: { name, resourceType: "l7policy" } });

/** Redirects of HTTP listeners (guide 3.8.4): thin procedures over the services. */
export const redirectRouter = createTRPCRouter({
  list: protectedProcedure.input(listRedirectsSchema).query(({ ctx, input }) => listRedirects(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create forwarding policy"))
    .input(createRedirectSchema)
    .mutation(({ ctx, input }) => createRedirect(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update forwarding policy"))
    .input(updateRedirectSchema)
    .mutation(({ ctx, input }) => updateRedirect(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete forwarding policy"))
    .input(redirectIdSchema)
    .mutation(({ ctx, input }) => deleteRedirect(ctx.service, input)),
});
