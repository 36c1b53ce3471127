import "server-only";
import { desc, eq } from "drizzle-orm";
import { alarmHistory, alarmNotifications } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { alarmRuleIdSchema } from "./alarm-rule.schemas";
import { getAlarmRuleView, type AlarmRuleView } from "./alarm-rule-view";

/** How many transitions and deliveries the details show. */
export const DETAILS_LIMIT = 100;

/** An alarm rule's details: the rule, its latest state transitions and notification deliveries, newest first. */
export interface AlarmRuleDetails {
  rule: AlarmRuleView;
  history: (typeof alarmHistory.$inferSelect)[];
  notifications: Omit<typeof alarmNotifications.$inferSelect, "payload">[];
}

/** The details page of one alarm rule. */
export async function getAlarmRule(ctx: ServiceContext, rawInput: unknown): Promise<AlarmRuleDetails> {
  const input = parseInput(alarmRuleIdSchema, rawInput);
  const rule = await getAlarmRuleView(ctx.db, ctx.scope, input.id);
  if (!rule) throw new AppError("NOT_FOUND", "Alarm rule: not found (it may have been deleted)", "id");
  const history = await ctx.db.select().from(alarmHistory).where(eq(alarmHistory.ruleId, rule.id)).orderBy(desc(alarmHistory.at), desc(alarmHistory.id)).limit(DETAILS_LIMIT);
  const { payload: _payload, ...columns } = alarmNotificationColumns();
  const notifications = await ctx.db.select(columns).from(alarmNotifications).where(eq(alarmNotifications.ruleId, rule.id)).orderBy(desc(alarmNotifications.createdAt), desc(alarmNotifications.id)).limit(DETAILS_LIMIT);
  return { rule, history, notifications };
}

function alarmNotificationColumns() {
  const { id, ruleId, historyId, url, payload, status, attempts, lastStatusCode, lastError, nextAttemptAt, deliveredAt, createdAt } = alarmNotifications;
  return { id, ruleId, historyId, url, payload, status, attempts, lastStatusCode, lastError, nextAttemptAt, deliveredAt, createdAt };
}
