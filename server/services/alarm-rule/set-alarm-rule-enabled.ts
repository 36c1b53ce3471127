import "server-only";
import { eq } from "drizzle-orm";
import { alarmRules } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { setAlarmRuleEnabledSchema } from "./alarm-rule.schemas";
import { getAlarmRuleView, type AlarmRuleView } from "./alarm-rule-view";
import { requireAlarmRule } from "./require-alarm-rule";

/** Enable or Disable an alarm rule: a disabled rule is not evaluated and sends nothing; its state stays as it was. */
export async function setAlarmRuleEnabled(ctx: ServiceContext, rawInput: unknown): Promise<AlarmRuleView> {
  const input = parseInput(setAlarmRuleEnabledSchema, rawInput);
  await ctx.db.transaction(async (tx) => {
    await requireAlarmRule(tx, ctx.scope, input.id);
    await tx.update(alarmRules).set({ enabled: input.enabled, updatedAt: new Date() }).where(eq(alarmRules.id, input.id));
  });
  return (await getAlarmRuleView(ctx.db, ctx.scope, input.id))!;
}
