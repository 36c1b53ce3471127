import type { AlarmServiceOptions } from "./alarm-service";

/**
 * Alarm service timings from the environment (tests and operators): ELB_ALARM_EVALUATE_INTERVAL_MS
 * [60000], ELB_ALARM_DELIVER_INTERVAL_MS [5000], ELB_ALARM_SETTLE_MS [30000], ELB_ALARM_WEBHOOK_TIMEOUT_MS
 * [5000], ELB_ALARM_RETRY_BACKOFF_MS [10000]. A value that is not a positive whole number keeps the default.
 */
export function alarmServiceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<AlarmServiceOptions, "db"> {
  return {
    evaluateEveryMs: positive(env.ELB_ALARM_EVALUATE_INTERVAL_MS),
    deliverEveryMs: positive(env.ELB_ALARM_DELIVER_INTERVAL_MS),
    settleMs: positive(env.ELB_ALARM_SETTLE_MS, true),
    delivery: { timeoutMs: positive(env.ELB_ALARM_WEBHOOK_TIMEOUT_MS), backoffMs: positive(env.ELB_ALARM_RETRY_BACKOFF_MS) },
  };
}

function positive(value: string | undefined, zeroAllowed = false): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 || (zeroAllowed && n === 0) ? n : undefined;
}
