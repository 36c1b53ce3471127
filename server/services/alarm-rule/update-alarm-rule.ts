import "server-only";
import { eq } from "drizzle-orm";
import { alarmRules } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { updateAlarmRuleSchema } from "./alarm-rule.schemas";
import { getAlarmRuleView, type AlarmRuleView } from "./alarm-rule-view";
import { requireAlarmRule } from "./require-alarm-rule";
import { resolveMonitoredObject } from "./resolve-monitored-object";

/**
 * Modify Alarm Rule (guide 8.2.2): every field again. The state is kept; the next evaluation judges the
 * new condition and records the transition, if any, in the history.
 */
export async function updateAlarmRule(ctx: ServiceContext, rawInput: unknown): Promise<AlarmRuleView> {
  const { id, ...input } = parseInput(updateAlarmRuleSchema, rawInput);
  await ctx.db.transaction(async (tx) => {
    await requireAlarmRule(tx, ctx.scope, id);
    const { objectName } = await resolveMonitoredObject(tx, ctx.scope, input);
    await tx
      .update(alarmRules)
      .set({ ...input, objectName, updatedAt: new Date() })
      .where(eq(alarmRules.id, id));
  });
  return (await getAlarmRuleView(ctx.db, ctx.scope, id))!;
}
