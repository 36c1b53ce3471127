import "server-only";
import type { Database } from "@/db/client";
import { pruneMetricPoints } from "./prune-metric-points";
import { readMetricsRetention } from "./metrics-retention";
import { ROLL_UP_RESOLUTIONS, rollUpMetricPoints } from "./roll-up-metric-points";

/** One pass: roll the new 1-minute points up into 5-minute and 1-hour points, then prune by retention. */
export async function maintainMetricPoints(db: Database, now = Date.now()): Promise<void> {
  for (const resolution of ROLL_UP_RESOLUTIONS) await rollUpMetricPoints(db, resolution);
  await pruneMetricPoints(db, await readMetricsRetention(db), now);
}

/** Runs `maintainMetricPoints` now and every `intervalMs` (default 60 s); returns the stop function. */
export function startMetricMaintenance(db: Database, intervalMs = 60_000): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    maintainMetricPoints(db)
      .catch((error: unknown) => console.error("[elb] metric roll-up or pruning failed", error))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, intervalMs).unref();
  return () => clearInterval(timer);
}
