import "server-only";
import type { ServiceContext } from "../context";
import { queryAlarmRuleViews, type AlarmRuleView } from "./alarm-rule-view";

/** The Alarm Rules list: the project's rules with their state and object (orphaned when it was deleted). */
export async function listAlarmRules(ctx: ServiceContext): Promise<AlarmRuleView[]> {
  return queryAlarmRuleViews(ctx.db, ctx.scope);
}
