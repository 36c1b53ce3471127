import "server-only";
import { createTRPCRouter, mutationProcedure } from "../../init";
import { createHealthMonitorSchema, healthMonitorPoolSchema, updateHealthMonitorSchema } from "../../../services/health-monitor/health-monitor.schemas";
import { createHealthMonitor } from "../../../services/health-monitor/create-health-monitor";
import { updateHealthMonitor } from "../../../services/health-monitor/update-health-monitor";
import { deleteHealthMonitor } from "../../../services/health-monitor/delete-health-monitor";

const trace = (name: string) => ({ trace: { name, resourceType: "healthmonitor" } });

/** Health checks of backend server groups (guide chapter 5); read through `pool.get`/`pool.list`. */
export const healthMonitorRouter = createTRPCRouter({
  create: mutationProcedure
    .meta(trace("create healthmonitor"))
    .input(createHealthMonitorSchema)
    .mutation(({ ctx, input }) => createHealthMonitor(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update healthmonitor"))
    .input(updateHealthMonitorSchema)
    .mutation(({ ctx, input }) => updateHealthMonitor(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete healthmonitor"))
    .input(healthMonitorPoolSchema)
    .mutation(({ ctx, input }) => deleteHealthMonitor(ctx.service, input)),
});
