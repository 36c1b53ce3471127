import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { accessLogOfSchema, configureAccessLogSchema, disableAccessLogSchema, searchAccessLogsSchema } from "../../../services/access-log/access-log.schemas";
import { getAccessLog } from "../../../services/access-log/get-access-log";
import { configureAccessLog, disableAccessLog } from "../../../services/access-log/configure-access-log";
import { searchAccessLogs } from "../../../services/access-log/search-access-logs";

/** Table 9-1: "Configuring access logs" is create access log, turning them off is delete access log (resource type accesslog). */
const trace = (name: string) => ({ trace: { name, resourceType: "accesslog" } });

/** A load balancer's access logs (guide chapter 7): settings, Configure Access Log, and the Access Logs tab's search. */
export const accessLogRouter = createTRPCRouter({
  get: protectedProcedure.input(accessLogOfSchema).query(({ ctx, input }) => getAccessLog(ctx.service, input)),
  configure: mutationProcedure
    .meta(trace("create access log"))
    .input(configureAccessLogSchema)
    .mutation(({ ctx, input }) => configureAccessLog(ctx.service, input)),
  disable: mutationProcedure
    .meta(trace("delete access log"))
    .input(disableAccessLogSchema)
    .mutation(({ ctx, input }) => disableAccessLog(ctx.service, input)),
  search: protectedProcedure.input(searchAccessLogsSchema).query(({ ctx, input }) => searchAccessLogs(ctx.service, input)),
});
