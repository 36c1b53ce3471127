"use client";
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { chartOptions, type ChartSeries } from "./chart-options";
import type { MetricUnit } from "./format-metric-value";
import { countValues, insertGaps } from "./insert-gaps";

/** Props of a time-series chart; `series`, `unit` and `compact` are read once (give the chart a new key to change them). */
export interface TimeSeriesChartProps {
  /** Accessible name of the chart (the metric's name). */
  label: string;
  series: readonly ChartSeries[];
  unit: MetricUnit;
  /** Period starts in ms, ascending; a missing period is a gap. */
  times: readonly number[];
  /** One array per series, aligned with `times`; null = no value. */
  values: readonly (readonly (number | null)[])[];
  resolutionSeconds: number;
  /** The time range shown on the x axis (ms). */
  from: number;
  to: number;
  /** Height in CSS pixels; default 180 (sparkline: 36). */
  height?: number;
  /** Sparkline: no axes, legend or cursor. Default false. */
  compact?: boolean;
}

/**
 * A uPlot time-series chart: the plot is created once when the component mounts and only its data is
 * replaced (setData) when new points arrive, so auto-refresh does not rebuild the canvas; it follows its
 * container's width. With no value in the range it says "No data" over an empty plot.
 */
export function TimeSeriesChart({ label, series, unit, times, values, resolutionSeconds, from, to, height, compact = false }: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const range = useRef<[number, number]>([from / 1000, to / 1000]);
  range.current = [from / 1000, to / 1000];
  const data = useMemo(() => insertGaps(times, values, resolutionSeconds), [times, values, resolutionSeconds]);
  const points = useMemo(() => values.reduce((n, v) => n + countValues(v), 0), [values]);
  const chartHeight = height ?? (compact ? 36 : 180);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const options = chartOptions({ series, unit, compact, width: Math.max(el.clientWidth, 100), height: chartHeight, xRange: () => range.current });
    const created = new uPlot(options, data, el);
    plot.current = created;
    const resize = new ResizeObserver(() => created.setSize({ width: Math.max(el.clientWidth, 100), height: chartHeight }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
    // Created once per mount: later props arrive through setData below.
  }, []);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data, from, to]);

  return (
    <div role="figure" aria-label={label} data-points={points} className="relative">
      <div ref={container} className="w-full" />
      {points === 0 && !compact && <p className="pointer-events-none absolute inset-x-0 top-1/3 text-center text-sm text-slate-500">No data</p>}
    </div>
  );
}
