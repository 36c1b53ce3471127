import type uPlot from "uplot";
import { formatAxisTicks, formatMetricValue, type MetricUnit } from "./format-metric-value";

/** One line of a time-series chart. */
export interface ChartSeries {
  /** Legend label (the metric's name). */
  label: string;
  /** CSS colour of the line; default the console's brand blue. */
  color?: string;
}

/** What a chart's uPlot options are built from. */
export interface ChartOptionsInput {
  series: readonly ChartSeries[];
  unit: MetricUnit;
  width: number;
  height: number;
  /** The x range to show, in seconds (the chosen time range, not just the data's extent); read on every redraw. */
  xRange: () => [number, number];
  /** Sparkline: no axes, no legend, no cursor. Default false. */
  compact?: boolean;
}

const PALETTE = ["#1f6feb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2"];

/**
 * uPlot options for a metric chart: a time x axis over the chosen range, a value axis from 0 labelled in
 * the metric's unit, a legend showing the value under the cursor (formatted with the unit), and
 * spanGaps off on every line so a period without a point is a break in the line, never a line across it.
 */
export function chartOptions(input: ChartOptionsInput): uPlot.Options {
  const { unit, compact = false } = input;
  const lines: uPlot.Series[] = input.series.map((s, i) => ({
    label: s.label,
    stroke: s.color ?? PALETTE[i % PALETTE.length],
    width: compact ? 1 : 1.5,
    fill: compact ? "rgba(31,111,235,0.08)" : undefined,
    spanGaps: false,
    // Alone between two gaps a point has no line to show it: draw a dot for it.
    points: { show: (self, seriesIdx) => isolatedPointsExist(self.data[seriesIdx]), size: compact ? 3 : 5 },
    value: (_self, raw) => formatMetricValue(raw, unit),
  }));
  return {
    width: input.width,
    height: input.height,
    series: [{ label: "Time" }, ...lines],
    scales: {
      x: { time: true, range: () => input.xRange() },
      y: { range: (_self, _min, max) => [0, max !== null && Number.isFinite(max) && max > 0 ? max * 1.1 : 1] },
    },
    axes: compact
      ? [{ show: false }, { show: false }]
      : [{ stroke: "#64748b", grid: { stroke: "#e2e8f0" } }, { stroke: "#64748b", grid: { stroke: "#e2e8f0" }, size: 70, values: (_self, ticks) => formatAxisTicks(ticks, unit) }],
    legend: { show: !compact, live: true },
    cursor: compact ? { show: false } : { drag: { x: false, y: false } },
  };
}

/** Whether a value array has a value with no value on either side (uPlot would draw nothing for it). */
export function isolatedPointsExist(values: ArrayLike<number | null | undefined> | undefined): boolean {
  if (!values) return false;
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) continue;
    if (values[i - 1] == null && values[i + 1] == null) return true;
  }
  return false;
}
