import "server-only";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Database } from "@/db/client";
import { alarmHistory, alarmNotifications, alarmRules, metricPoints, type AlarmState } from "@/db/schema";
import type { MetricId } from "../metrics/metric-catalog";
import { evaluateAlarm, evaluationWindow, type MinutePoint } from "./evaluate-alarm";
import { isNotified, notificationPayload } from "./notification-payload";

/** One state change written by an evaluation run. */
export interface AlarmTransition {
  ruleId: string;
  fromState: AlarmState;
  toState: AlarmState;
  value: number | null;
  historyId: string;
  /** Set when a notification was queued for the rule's webhook. */
  notificationId: string | null;
}

/** Options of one evaluation run. */
export interface EvaluateAlarmRulesOptions {
  db: Database;
  /** Evaluation time (default: now). */
  now?: Date;
  /** How long after a minute ends its point is taken as written (default 30 s: the collector writes a minute at the next engine report, 10 s, or after its 20 s grace). */
  settleMs?: number;
}

/** Default of `settleMs`. */
export const DEFAULT_SETTLE_MS = 30_000;

/**
 * Evaluates every enabled alarm rule against the 1-minute metric points (`metric_points`, resolution 60)
 * of its object. A state change updates the rule, writes an `alarm_history` row and — for a change to
 * Alarm, or from Alarm back to OK, of a rule with a webhook — queues an `alarm_notifications` row, all in
 * one transaction that re-reads the rule under its row lock (a rule modified or deleted meanwhile, or
 * evaluated by another console process, is judged again or skipped). Returns the transitions written.
 */
export async function evaluateAlarmRules(opts: EvaluateAlarmRulesOptions): Promise<AlarmTransition[]> {
  const { db } = opts;
  const now = opts.now ?? new Date();
  const settleMs = opts.settleMs ?? DEFAULT_SETTLE_MS;
  const rules = await db.select().from(alarmRules).where(eq(alarmRules.enabled, true)).orderBy(asc(alarmRules.id));
  const transitions: AlarmTransition[] = [];
  for (const candidate of rules) {
    try {
      const transition = await evaluateOne(db, candidate.id, now, settleMs);
      if (transition) transitions.push(transition);
    } catch (error) {
      // One rule that cannot be evaluated never stops the others.
      console.error(`[elb] alarm rule ${candidate.id} could not be evaluated`, error);
    }
  }
  return transitions;
}

async function evaluateOne(db: Database, ruleId: string, now: Date, settleMs: number): Promise<AlarmTransition | null> {
  return db.transaction(async (tx) => {
    const [rule] = await tx.select().from(alarmRules).where(eq(alarmRules.id, ruleId)).for("update");
    if (!rule || !rule.enabled) return null;
    const window = evaluationWindow(rule, now.getTime(), settleMs);
    const column = metricPoints[rule.metric as MetricId];
    const rows = await tx
      .select({ at: metricPoints.at, value: column })
      .from(metricPoints)
      .where(
        and(
          eq(metricPoints.resolutionSeconds, 60),
          eq(metricPoints.objectKind, rule.dimension),
          eq(metricPoints.objectId, rule.dimension === "LISTENER" ? rule.listenerId! : rule.loadBalancerId),
          gte(metricPoints.at, new Date(window.from)),
          lt(metricPoints.at, new Date(window.to)),
        ),
      );
    const points: MinutePoint[] = rows.map((r) => ({ at: r.at.getTime(), value: r.value }));
    const evaluation = evaluateAlarm(rule, points, now.getTime(), settleMs);
    if (evaluation.state === rule.state) {
      await tx.update(alarmRules).set({ lastEvaluatedAt: now }).where(eq(alarmRules.id, rule.id));
      return null;
    }
    const transition = { fromState: rule.state, toState: evaluation.state, value: evaluation.value, reason: evaluation.reason, at: now };
    const [history] = await tx.insert(alarmHistory).values({ ruleId: rule.id, ...transition }).returning({ id: alarmHistory.id });
    await tx.update(alarmRules).set({ state: evaluation.state, stateChangedAt: now, lastEvaluatedAt: now }).where(eq(alarmRules.id, rule.id));
    let notificationId: string | null = null;
    if (rule.webhookUrl && isNotified(rule.state, evaluation.state)) {
      const [notification] = await tx
        .insert(alarmNotifications)
        .values({ ruleId: rule.id, historyId: history!.id, url: rule.webhookUrl, payload: notificationPayload(rule, transition), nextAttemptAt: now })
        .returning({ id: alarmNotifications.id });
      notificationId = notification!.id;
    }
    return { ruleId: rule.id, fromState: rule.state, toState: evaluation.state, value: evaluation.value, historyId: history!.id, notificationId };
  });
}
