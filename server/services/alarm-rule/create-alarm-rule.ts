import "server-only";
import { alarmRules } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { createAlarmRuleSchema } from "./alarm-rule.schemas";
import { getAlarmRuleView, type AlarmRuleView } from "./alarm-rule-view";
import { resolveMonitoredObject } from "./resolve-monitored-object";

/** Create Alarm Rule (guide 8.2.1): starts in Insufficient data until its first evaluation. */
export async function createAlarmRule(ctx: ServiceContext, rawInput: unknown): Promise<AlarmRuleView> {
  const input = parseInput(createAlarmRuleSchema, rawInput);
  const { objectName } = await resolveMonitoredObject(ctx.db, ctx.scope, input);
  const [row] = await ctx.db
    .insert(alarmRules)
    .values({ ...input, projectId: ctx.scope.projectId, objectName, state: "INSUFFICIENT_DATA" })
    .returning({ id: alarmRules.id });
  return (await getAlarmRuleView(ctx.db, ctx.scope, row!.id))!;
}
