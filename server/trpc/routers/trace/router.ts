import "server-only";
import { createTRPCRouter, protectedProcedure } from "../../init";
import { listTracesSchema, traceIdSchema } from "../../../services/trace/trace.schemas";
import { listTraces } from "../../../services/trace/list-traces";
import { listTraceFilterOptions } from "../../../services/trace/list-trace-filter-options";
import { getTrace } from "../../../services/trace/get-trace";

/** Cloud Trace Service: the Trace List and View Trace (guide 9.2). Read-only. */
export const traceRouter = createTRPCRouter({
  list: protectedProcedure.input(listTracesSchema).query(({ ctx, input }) => listTraces(ctx.service, input)),
  filterOptions: protectedProcedure.query(({ ctx }) => listTraceFilterOptions(ctx.service)),
  get: protectedProcedure.input(traceIdSchema).query(({ ctx, input }) => getTrace(ctx.service, input)),
});
