import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createLogStreamSchema, listLogStreamsSchema, logStreamIdSchema, updateLogStreamSchema } from "../../../services/log-stream/log-stream.schemas";
import { listLogStreams } from "../../../services/log-stream/list-log-streams";
import { createLogStream } from "../../../services/log-stream/create-log-stream";
import { updateLogStream } from "../../../services/log-stream/update-log-stream";
import { deleteLogStream } from "../../../services/log-stream/delete-log-stream";

/** Log streams are LTS resources (table 9-1 lists no trace for them): traced under their own resource type. */
const trace = (name: string) => ({ trace: { name, resourceType: "logstream" } });

/** Log streams of a log group (guide chapter 7): thin procedures over the services. */
export const logStreamRouter = createTRPCRouter({
  list: protectedProcedure.input(listLogStreamsSchema).query(({ ctx, input }) => listLogStreams(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create log stream"))
    .input(createLogStreamSchema)
    .mutation(({ ctx, input }) => createLogStream(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update log stream"))
    .input(updateLogStreamSchema)
    .mutation(({ ctx, input }) => updateLogStream(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete log stream"))
    .input(logStreamIdSchema)
    .mutation(({ ctx, input }) => deleteLogStream(ctx.service, input)),
});
