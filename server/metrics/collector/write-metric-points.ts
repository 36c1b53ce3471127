import "server-only";
import type { Database } from "@/db/client";
import { metricPoints } from "@/db/schema";
import type { MetricPointRow } from "./minute-points";

/**
 * Writes one minute's rows in one statement. A row already there (the same minute written by a console
 * that ran before this one) is kept: the first writer saw the whole minute or as much of it as this one.
 */
export async function writeMetricPoints(db: Database, rows: MetricPointRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(metricPoints).values(rows).onConflictDoNothing();
}
