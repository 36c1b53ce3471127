import type { MetricsRetention } from "../retention/metrics-retention";

const DAY_MS = 86_400_000;

/**
 * The resolution a chart over [from, to) needs: ≤ 1 day → 60 s, ≤ 7 days → 300 s, else 3600 s; a coarser
 * one when retention already removed the finer points at `from` (they are kept `retention` days).
 */
export function chooseResolution(from: number, to: number, retention: MetricsRetention, now = Date.now()): 60 | 300 | 3600 {
  const span = to - from;
  const kept = (days: number) => from >= now - days * DAY_MS;
  if (span <= DAY_MS && kept(retention.rawDays)) return 60;
  if (span <= 7 * DAY_MS && kept(retention.fiveMinuteDays)) return 300;
  return 3600;
}
