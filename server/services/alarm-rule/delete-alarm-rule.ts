import "server-only";
import { eq } from "drizzle-orm";
import { alarmRules } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { alarmRuleIdSchema } from "./alarm-rule.schemas";
import { requireAlarmRule } from "./require-alarm-rule";

/** Delete an alarm rule with its history and notifications (the tables cascade). */
export async function deleteAlarmRule(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const input = parseInput(alarmRuleIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const rule = await requireAlarmRule(tx, ctx.scope, input.id);
    await tx.delete(alarmRules).where(eq(alarmRules.id, rule.id));
    return { id: rule.id, name: rule.name };
  });
}
