"use client";
import { useQuery } from "@tanstack/react-query";
import type { MetricObjectKind } from "@/db/schema";
import type { MetricId } from "@/server/metrics/metric-catalog";
import { useTRPC } from "@/app/_lib/trpc/react";

/**
 * The points of one object's metrics over [from, to] (ms) from `metrics.series`, in one request for all
 * charts of a view. A new range or metric choice of the same object (a refresh moves `to`) keeps the
 * previous points on screen until the new ones arrive, so charts update in place instead of blinking;
 * another object starts empty (its charts never show the previous object's points). Disabled while
 * `range` is null (a custom range with an error) or no metric is picked.
 */
export function useMetricSeries(objectKind: MetricObjectKind, objectId: string, metrics: readonly MetricId[], range: { from: number; to: number } | null) {
  const trpc = useTRPC();
  const input = { objectKind, objectId, metrics: [...metrics], from: new Date(range?.from ?? 0).toISOString(), to: new Date(range?.to ?? 0).toISOString() };
  return useQuery({
    ...trpc.metrics.series.queryOptions(input),
    enabled: range !== null && metrics.length > 0,
    placeholderData: (previous, previousQuery) => (sameObject(previousQuery?.queryKey, objectId) ? previous : undefined),
  });
}

/** Whether a metrics.series query key (tRPC's [path, { input }]) asked for this object. */
function sameObject(queryKey: readonly unknown[] | undefined, objectId: string): boolean {
  const meta = queryKey?.[1] as { input?: { objectId?: string } } | undefined;
  return meta?.input?.objectId === objectId;
}
