import type { AlarmComparison, AlarmDimension, AlarmSeverity, AlarmState, AlarmStatistic } from "@/db/schema/alarms";

/** The words the Alarm Rules pages show for the stored values (Cloud Eye's labels). */
export const STATISTIC_LABELS: Record<AlarmStatistic, string> = { RAW: "Raw data", AVG: "Avg.", MAX: "Max.", MIN: "Min.", SUM: "Sum" };
export const COMPARISON_LABELS: Record<AlarmComparison, string> = { ">": ">", ">=": "≥", "<": "<", "<=": "≤", "=": "=" };
export const SEVERITY_LABELS: Record<AlarmSeverity, string> = { CRITICAL: "Critical", MAJOR: "Major", MINOR: "Minor", INFORMATIONAL: "Informational" };
export const DIMENSION_LABELS: Record<AlarmDimension, string> = { LOAD_BALANCER: "Enhanced Load Balancers", LISTENER: "Listeners" };
export const STATE_LABELS: Record<AlarmState, string> = { OK: "OK", ALARM: "Alarm", INSUFFICIENT_DATA: "Insufficient data" };
/** Period choices by length in seconds. */
export const PERIOD_LABELS: Record<number, string> = { 60: "1 minute", 300: "5 minutes", 1200: "20 minutes", 3600: "1 hour", 14400: "4 hours", 86400: "1 day" };

/** "Avg. 5xx Status Codes > 1 Count/s for 3 consecutive periods of 5 minutes". */
export function conditionText(rule: { statistic: AlarmStatistic; comparison: AlarmComparison; threshold: number; consecutivePeriods: number; periodSeconds: number }, unit: string): string {
  const periods = rule.consecutivePeriods === 1 ? "1 period" : `${rule.consecutivePeriods} consecutive periods`;
  return `${STATISTIC_LABELS[rule.statistic]} ${COMPARISON_LABELS[rule.comparison]} ${rule.threshold} ${unit}, ${periods} of ${PERIOD_LABELS[rule.periodSeconds] ?? `${rule.periodSeconds} s`}`;
}
