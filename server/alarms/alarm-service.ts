import "server-only";
import type { Database } from "@/db/client";
import { deliverDueNotifications, type DeliverNotificationsOptions } from "./deliver-notifications";
import { evaluateAlarmRules } from "./evaluate-alarm-rules";

/** Options of the alarm service; defaults in brackets. */
export interface AlarmServiceOptions {
  db: Database;
  /** How often the rules are evaluated [60000 ms]. */
  evaluateEveryMs?: number;
  /** How often due notifications (first attempts and retries) are sent [5000 ms]. */
  deliverEveryMs?: number;
  /** See `EvaluateAlarmRulesOptions.settleMs`. */
  settleMs?: number;
  /** Delivery options (timeout, attempts, backoff). */
  delivery?: Omit<DeliverNotificationsOptions, "db">;
}

/** A running alarm service. */
export interface AlarmService {
  /** Stops both timers and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Evaluates the alarm rules every `evaluateEveryMs` and delivers notifications every `deliverEveryMs`
 * (and right after an evaluation queued some). Runs never overlap; a failed run is logged and the next
 * one tries again. Timers are unref'd: they never keep the process alive.
 */
export function startAlarmService(opts: AlarmServiceOptions): AlarmService {
  const { db } = opts;
  let stopped = false;
  let evaluating: Promise<void> | null = null;
  let delivering: Promise<void> | null = null;
  const deliver = () => {
    if (stopped || delivering) return;
    delivering = deliverDueNotifications({ db, ...opts.delivery })
      .then(() => undefined, (error) => console.error("[elb] alarm notification delivery failed", error))
      .finally(() => void (delivering = null));
  };
  const evaluate = () => {
    if (stopped || evaluating) return;
    evaluating = evaluateAlarmRules({ db, settleMs: opts.settleMs })
      .then((transitions) => {
        if (transitions.some((t) => t.notificationId)) deliver();
      }, (error) => console.error("[elb] alarm evaluation failed", error))
      .finally(() => void (evaluating = null));
  };
  const evaluateTimer = setInterval(evaluate, opts.evaluateEveryMs ?? 60_000);
  const deliverTimer = setInterval(deliver, opts.deliverEveryMs ?? 5_000);
  evaluateTimer.unref();
  deliverTimer.unref();
  evaluate();
  return {
    async stop() {
      stopped = true;
      clearInterval(evaluateTimer);
      clearInterval(deliverTimer);
      await Promise.all([evaluating, delivering]);
    },
  };
}
