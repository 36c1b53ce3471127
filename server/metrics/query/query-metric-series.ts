import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { metricPoints, type MetricObjectKind } from "@/db/schema";
import type { MetricId } from "../metric-catalog";
import type { MetricSeries } from "../metric-series.types";

/** Which points to read: one object, some metrics, a resolution and [from, to) in ms. */
export interface SeriesSelection {
  objectKind: MetricObjectKind;
  objectId: string;
  metrics: readonly MetricId[];
  resolutionSeconds: number;
  from: number;
  to: number;
}

/**
 * The stored points of one object, ascending (the primary key's range scan). A period without a point is
 * absent from `times` — a gap stays a gap, never a 0. `from` is aligned down to the resolution.
 */
export async function queryMetricSeries(db: Database, selection: SeriesSelection): Promise<MetricSeries> {
  const { resolutionSeconds, metrics } = selection;
  const step = resolutionSeconds * 1000;
  const from = Math.floor(selection.from / step) * step;
  const columns = Object.fromEntries(metrics.map((id) => [id, sql<number | null>`${sql.identifier(id)}`]));
  const rows = (await db
    .select({ at: metricPoints.at, ...columns })
    .from(metricPoints)
    .where(
      and(
        eq(metricPoints.resolutionSeconds, resolutionSeconds),
        eq(metricPoints.objectId, selection.objectId),
        gte(metricPoints.at, new Date(from)),
        lt(metricPoints.at, new Date(selection.to)),
        eq(metricPoints.objectKind, selection.objectKind),
      ),
    )
    .orderBy(asc(metricPoints.at))) as unknown as ({ at: Date } & Record<MetricId, number | null>)[];
  return seriesOf(resolutionSeconds, metrics, rows);
}

/** Arranges rows (ascending) into a MetricSeries. */
export function seriesOf(resolutionSeconds: number, metrics: readonly MetricId[], rows: readonly ({ at: Date } & Partial<Record<MetricId, number | null>>)[]): MetricSeries {
  const values = Object.fromEntries(metrics.map((id) => [id, rows.map((row) => numberOrNull(row[id]))])) as Record<MetricId, (number | null)[]>;
  return { resolutionSeconds, times: rows.map((row) => row.at.getTime()), values };
}

/** Raw SQL columns come back as numbers (node-postgres: float8 → number; PGlite likewise); strings are parsed defensively. */
function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === "number" ? value : Number(value);
}
