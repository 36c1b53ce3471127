import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createLogGroupSchema, logGroupIdSchema, updateLogGroupSchema } from "../../../services/log-group/log-group.schemas";
import { listLogGroups } from "../../../services/log-group/list-log-groups";
import { createLogGroup } from "../../../services/log-group/create-log-group";
import { updateLogGroup } from "../../../services/log-group/update-log-group";
import { deleteLogGroup } from "../../../services/log-group/delete-log-group";

/** Log groups are LTS resources (table 9-1 lists no trace for them): traced under their own resource type. */
const trace = (name: string) => ({ trace: { name, resourceType: "loggroup" } });

/** Log groups of the Log Management page (guide chapter 7): thin procedures over the services. */
export const logGroupRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listLogGroups(ctx.service)),
  create: mutationProcedure
    .meta(trace("create log group"))
    .input(createLogGroupSchema)
    .mutation(({ ctx, input }) => createLogGroup(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update log group"))
    .input(updateLogGroupSchema)
    .mutation(({ ctx, input }) => updateLogGroup(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete log group"))
    .input(logGroupIdSchema)
    .mutation(({ ctx, input }) => deleteLogGroup(ctx.service, input)),
});
