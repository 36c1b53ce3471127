import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { addMembersSchema, listMembersSchema, removeMembersSchema, updateMemberSchema } from "../../../services/member/member.schemas";
import { listMembers } from "../../../services/member/list-members";
import { addMembers } from "../../../services/member/add-members";
import { updateMember } from "../../../services/member/update-member";
import { removeMembers } from "../../../services/member/remove-members";

const trace = (name: string) => ({ trace: { name, resourceType: "member" } });

/** Backend servers of a group (guide 4.3) with live health from the engine. */
export const memberRouter = createTRPCRouter({
  /** The group's servers, each with `health` (Healthy/Unhealthy/Unavailable/Health check disabled). */
  list: protectedProcedure.input(listMembersSchema).query(({ ctx, input }) => listMembers(ctx.service, input)),
  add: mutationProcedure
    .meta(trace("add backend ecs"))
    .input(addMembersSchema)
    .mutation(({ ctx, input }) => addMembers(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update backend ecs"))
    .input(updateMemberSchema)
    .mutation(({ ctx, input }) => updateMember(ctx.service, input)),
  remove: mutationProcedure
    .meta(trace("remove backend ecs"))
    .input(removeMembersSchema)
    .mutation(({ ctx, input }) => removeMembers(ctx.service, input)),
});
