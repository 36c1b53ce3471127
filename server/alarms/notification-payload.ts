import type { alarmRules, AlarmState } from "@/db/schema";
import { metricDefinition, type MetricId } from "../metrics/metric-catalog";

/** What a rule's webhook receives (JSON POST) on a transition to Alarm, or back to OK from Alarm ("recovered"). */
export interface AlarmNotificationPayload {
  /** ALARM: the condition is met; RECOVERED: back to OK after an alarm. */
  event: "ALARM" | "RECOVERED";
  rule: { id: string; name: string; description: string; severity: string; resourceType: "ELB" };
  object: { dimension: string; loadBalancerId: string; listenerId: string | null; name: string };
  metric: { id: string; name: string; unit: string; statistic: string; periodSeconds: number };
  condition: { comparison: string; threshold: number; consecutivePeriods: number };
  /** The statistic of the latest period evaluated (null: no data). */
  value: number | null;
  fromState: AlarmState;
  toState: AlarmState;
  reason: string;
  /** When the transition was decided (ISO 8601, UTC). */
  time: string;
}

/** The payload of a transition of `rule`. */
export function notificationPayload(rule: typeof alarmRules.$inferSelect, t: { fromState: AlarmState; toState: AlarmState; value: number | null; reason: string; at: Date }): AlarmNotificationPayload {
  const metric = metricDefinition(rule.metric as MetricId);
  return {
    event: t.toState === "ALARM" ? "ALARM" : "RECOVERED",
    rule: { id: rule.id, name: rule.name, description: rule.description, severity: rule.severity, resourceType: "ELB" },
    object: { dimension: rule.dimension, loadBalancerId: rule.loadBalancerId, listenerId: rule.listenerId, name: rule.objectName },
    metric: { id: metric.id, name: metric.name, unit: metric.unit, statistic: rule.statistic, periodSeconds: rule.periodSeconds },
    condition: { comparison: rule.comparison, threshold: rule.threshold, consecutivePeriods: rule.consecutivePeriods },
    value: t.value,
    fromState: t.fromState,
    toState: t.toState,
    reason: t.reason,
    time: t.at.toISOString(),
  };
}

/** Whether a transition is notified: to Alarm, and from Alarm back to OK. */
export function isNotified(fromState: AlarmState, toState: AlarmState): boolean {
  return toState === "ALARM" || (fromState === "ALARM" && toState === "OK");
}
