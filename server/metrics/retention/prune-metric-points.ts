import "server-only";
import { and, eq, lt } from "drizzle-orm";
import type { Database } from "@/db/client";
import { metricPoints } from "@/db/schema";
import type { MetricsRetention } from "./metrics-retention";

const DAY_MS = 86_400_000;

/** Deletes the points older than the retention of their resolution (one transaction). */
export async function pruneMetricPoints(db: Database, retention: MetricsRetention, now = Date.now()): Promise<void> {
  const keep: [number, number][] = [
    [60, retention.rawDays],
    [300, retention.fiveMinuteDays],
    [3600, retention.hourDays],
  ];
  await db.transaction(async (tx) => {
    for (const [resolution, days] of keep)
      await tx.delete(metricPoints).where(and(eq(metricPoints.resolutionSeconds, resolution), lt(metricPoints.at, new Date(now - days * DAY_MS))));
  });
}
