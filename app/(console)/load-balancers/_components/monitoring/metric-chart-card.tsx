"use client";
import { useMemo } from "react";
import { TimeSeriesChart } from "@/app/_components/charts/time-series-chart";
import { formatMetricValue } from "@/app/_components/charts/format-metric-value";
import { latestValue } from "@/app/_components/charts/insert-gaps";
import type { MetricDefinition } from "@/server/metrics/metric-catalog";
import type { MetricSeries } from "@/server/metrics/metric-series.types";

/**
 * One metric's panel: its name and unit, the guide's description (how the engine measures it), the latest
 * value in the range, and the chart with hover values in its legend ("No data" when the range has none).
 */
export function MetricChartCard({ metric, series, from, to }: { metric: MetricDefinition; series: MetricSeries | undefined; from: number; to: number }) {
  const values = series?.values[metric.id];
  const latest = latestValue(values);
  const lines = useMemo(() => (values ? [values] : EMPTY_VALUES), [values]);
  return (
    <section aria-label={metric.name} className="rounded bg-white p-3 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold">
          {metric.name} <span className="font-normal text-slate-500">({metric.unit})</span>
        </h3>
        <span className="text-sm tabular-nums text-slate-700" aria-label={`Latest ${metric.name}`}>
          {latest === null ? "No data" : formatMetricValue(latest, metric.unit)}
        </span>
      </div>
      <p className="mb-2 text-xs text-slate-500">{metric.description}</p>
      <TimeSeriesChart
        label={`${metric.name} chart`}
        series={[{ label: metric.name }]}
        unit={metric.unit}
        times={series?.times ?? EMPTY_TIMES}
        values={lines}
        resolutionSeconds={series?.resolutionSeconds ?? 60}
        from={from}
        to={to}
      />
    </section>
  );
}

const EMPTY_TIMES: number[] = [];
const EMPTY_VALUES: (number | null)[][] = [[]];
