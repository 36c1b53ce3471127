import type { Database } from "@/db/client";
import { metricPoints, type MetricObjectKind } from "@/db/schema";
import type { MetricId } from "../metrics/metric-catalog";

/**
 * Test helper: 1-minute metric points as the collector writes them (resolution 60), one per value,
 * the last one for the minute ending at `end`; `undefined` leaves that minute without a row.
 */
export async function insertMinutePoints(
  db: Database,
  object: { kind: MetricObjectKind; id: string; loadBalancerId: string },
  metric: MetricId,
  end: number,
  values: (number | null | undefined)[],
): Promise<void> {
  const rows = values.flatMap((value, i) =>
    value === undefined
      ? []
      : [{ resolutionSeconds: 60, objectKind: object.kind, objectId: object.id, loadBalancerId: object.loadBalancerId, at: new Date(end - (values.length - i) * 60_000), [metric]: value }],
  );
  if (rows.length) await db.insert(metricPoints).values(rows).onConflictDoNothing();
}
