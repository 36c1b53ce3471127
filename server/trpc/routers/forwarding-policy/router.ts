import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import {
  createForwardingPolicySchema,
  forwardingPolicyIdSchema,
  listForwardingPoliciesSchema,
  updateForwardingPolicySchema,
} from "../../../services/forwarding-policy/forwarding-policy.schemas";
import { listForwardingPolicies } from "../../../services/forwarding-policy/list-forwarding-policies";
import { createForwardingPolicy } from "../../../services/forwarding-policy/create-forwarding-policy";
import { updateForwardingPolicy } from "../../../services/forwarding-policy/update-forwarding-policy";
import { deleteForwardingPolicy } from "../../../services/forwarding-policy/delete-forwarding-policy";

const trace = (name: string) => ({ trace: { name, resourceType: "l7policy" } });

/** Forwarding policies of HTTP/HTTPS listeners (guide 3.8.1): thin procedures over the services. */
export const forwardingPolicyRouter = createTRPCRouter({
  list: protectedProcedure.input(listForwardingPoliciesSchema).query(({ ctx, input }) => listForwardingPolicies(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create forwarding policy"))
    .input(createForwardingPolicySchema)
    .mutation(({ ctx, input }) => createForwardingPolicy(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update forwarding policy"))
    .input(updateForwardingPolicySchema)
    .mutation(({ ctx, input }) => updateForwardingPolicy(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete forwarding policy"))
    .input(forwardingPolicyIdSchema)
    .mutation(({ ctx, input }) => deleteForwardingPolicy(ctx.service, input)),
});
