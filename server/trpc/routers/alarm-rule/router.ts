import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { alarmRuleIdSchema, createAlarmRuleSchema, setAlarmRuleEnabledSchema, updateAlarmRuleSchema } from "../../../services/alarm-rule/alarm-rule.schemas";
import { listAlarmRules } from "../../../services/alarm-rule/list-alarm-rules";
import { getAlarmRule } from "../../../services/alarm-rule/get-alarm-rule";
import { listMonitoredObjects } from "../../../services/alarm-rule/list-monitored-objects";
import { createAlarmRule } from "../../../services/alarm-rule/create-alarm-rule";
import { updateAlarmRule } from "../../../services/alarm-rule/update-alarm-rule";
import { setAlarmRuleEnabled } from "../../../services/alarm-rule/set-alarm-rule-enabled";
import { deleteAlarmRule } from "../../../services/alarm-rule/delete-alarm-rule";

/**
 * Table 9-1 lists ELB's own operations; alarm rules belong to Cloud Eye, whose traces name the resource
 * "alarmrule" with the same verbs ("create alarm rule", …). Enable/Disable is a modification.
 */
const trace = (name: string) => ({ trace: { name, resourceType: "alarmrule" } });

/** Alarm rules (guide 8.2): thin procedures over the services. */
export const alarmRuleRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listAlarmRules(ctx.service)),
  get: protectedProcedure.input(alarmRuleIdSchema).query(({ ctx, input }) => getAlarmRule(ctx.service, input)),
  monitoredObjects: protectedProcedure.query(({ ctx }) => listMonitoredObjects(ctx.service)),
  create: mutationProcedure
    .meta(trace("create alarm rule"))
    .input(createAlarmRuleSchema)
    .mutation(({ ctx, input }) => createAlarmRule(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update alarm rule"))
    .input(updateAlarmRuleSchema)
    .mutation(({ ctx, input }) => updateAlarmRule(ctx.service, input)),
  setEnabled: mutationProcedure
    .meta(trace("update alarm rule"))
    .input(setAlarmRuleEnabledSchema)
    .mutation(({ ctx, input }) => setAlarmRuleEnabled(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete alarm rule"))
    .input(alarmRuleIdSchema)
    .mutation(({ ctx, input }) => deleteAlarmRule(ctx.service, input)),
});
