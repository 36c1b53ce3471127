import type { AlarmComparison, AlarmState, AlarmStatistic } from "@/db/schema";

/** One 1-minute point of the rule's metric: the start of its minute (ms since the epoch) and its value (null: not measured). */
export interface MinutePoint {
  at: number;
  value: number | null;
}

/** The parts of an alarm rule its evaluation needs. */
export interface AlarmCondition {
  statistic: AlarmStatistic;
  /** Length of one period in seconds (60 for RAW). */
  periodSeconds: number;
  comparison: AlarmComparison;
  threshold: number;
  /** How many complete periods in a row must breach (1–5). */
  consecutivePeriods: number;
}

/** The statistic of one complete period: null when none of its minutes has a value (a gap). */
export interface PeriodValue {
  /** Start of the period (ms since the epoch, aligned to the period length). */
  start: number;
  value: number | null;
  breaches: boolean;
}

/** What one evaluation concluded. */
export interface AlarmEvaluation {
  state: AlarmState;
  /** The statistic of the latest complete period (null when it has no data). */
  value: number | null;
  /** The periods looked at, oldest first. */
  periods: PeriodValue[];
  reason: string;
}

const MINUTE_MS = 60_000;

/** Whether `value` breaches the threshold by the rule's comparison. */
export function breaches(comparison: AlarmComparison, value: number, threshold: number): boolean {
  switch (comparison) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "=":
      return value === threshold;
  }
}

/** Combines the values of one period's minutes by the statistic (RAW: the single minute's value). */
export function combine(statistic: AlarmStatistic, values: readonly number[]): number | null {
  if (values.length === 0) return null;
  switch (statistic) {
    case "RAW":
      return values[values.length - 1]!;
    case "AVG":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "MAX":
      return Math.max(...values);
    case "MIN":
      return Math.min(...values);
    case "SUM":
      return values.reduce((a, b) => a + b, 0);
  }
}

/**
 * The window of 1-minute points one evaluation reads: the last `consecutivePeriods` periods that ended at
 * least `settleMs` before `now` (the collector writes a minute's point shortly after the minute ends).
 * Periods are aligned to multiples of their length since the epoch, as Cloud Eye aligns them.
 */
export function evaluationWindow(condition: Pick<AlarmCondition, "periodSeconds" | "consecutivePeriods">, now: number, settleMs: number): { from: number; to: number } {
  const periodMs = condition.periodSeconds * 1000;
  const to = Math.floor((now - settleMs) / periodMs) * periodMs;
  return { from: to - condition.consecutivePeriods * periodMs, to };
}

/**
 * Evaluates an alarm rule over its 1-minute points (pure; points outside the window are ignored):
 * ALARM when each of the last `consecutivePeriods` complete periods has data and breaches; OK when the
 * latest complete period has data and does not breach (or the breaches are not yet consecutive enough);
 * INSUFFICIENT_DATA when a period needed has no point with a value.
 */
export function evaluateAlarm(condition: AlarmCondition, points: readonly MinutePoint[], now: number, settleMs: number): AlarmEvaluation {
  const periodMs = condition.periodSeconds * 1000;
  const { from, to } = evaluationWindow(condition, now, settleMs);
  const periods: PeriodValue[] = [];
  for (let start = from; start < to; start += periodMs) {
    const values = points.filter((p) => p.value !== null && p.at >= start && p.at + MINUTE_MS <= start + periodMs).map((p) => p.value!);
    const value = combine(condition.statistic, values);
    periods.push({ start, value, breaches: value !== null && breaches(condition.comparison, value, condition.threshold) });
  }
  const latest = periods[periods.length - 1]!;
  const breaching = periods.filter((p) => p.breaches).length;
  const condText = `${condition.comparison} ${condition.threshold}`;
  if (breaching === periods.length)
    return { state: "ALARM", value: latest.value, periods, reason: `${latest.value} ${condText} in ${periods.length} consecutive period${periods.length === 1 ? "" : "s"}` };
  if (latest.value !== null && !latest.breaches) return { state: "OK", value: latest.value, periods, reason: `${latest.value} is not ${condText}` };
  const gaps = periods.filter((p) => p.value === null).length;
  if (gaps > 0)
    return { state: "INSUFFICIENT_DATA", value: latest.value, periods, reason: `no data in ${gaps} of the last ${periods.length} period${periods.length === 1 ? "" : "s"}` };
  return { state: "OK", value: latest.value, periods, reason: `${latest.value} ${condText}, but only ${breaching} of ${periods.length} consecutive periods breached` };
}
