import type { MetricDefinition } from "@/server/metrics/metric-catalog";

/** A unit of guide 8.1 as the metric catalog writes it. */
export type MetricUnit = MetricDefinition["unit"];

const BYTE_STEPS = ["B/s", "KB/s", "MB/s", "GB/s", "TB/s"] as const;

/** A number with at most `decimals` decimals and no trailing zeros ("2.5", "3", "0.33"). */
export function formatNumber(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toFixed(decimals)));
}

/** How many 1024-steps (B → KB → MB …) fit in a byte rate; 0 below 1 KB/s. */
function byteStep(bytesPerSecond: number): number {
  let step = 0;
  let v = Math.abs(bytesPerSecond);
  while (v >= 1024 && step < BYTE_STEPS.length - 1) {
    v /= 1024;
    step++;
  }
  return step;
}

function formatInStep(value: number, unit: MetricUnit, step: number): string {
  if (unit === "byte/s") return `${formatNumber(value / 1024 ** step)} ${BYTE_STEPS[step]}`;
  return `${formatNumber(value)} ${unit}`;
}

/**
 * A metric value with its unit for legends and key numbers: byte rates in B/s, KB/s, MB/s… (1024 steps),
 * everything else as the number and the guide's unit ("12 Count", "1.5 Count/s", "38.2 ms"). null → "—".
 */
export function formatMetricValue(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return formatInStep(value, unit, unit === "byte/s" ? byteStep(value) : 0);
}

/**
 * Tick labels of a value axis: every tick in the same step as the largest one (0, 512 KB/s, 1 MB/s would
 * read badly), so a byte axis says "0 MB/s, 0.5 MB/s, 1 MB/s". Short units: the axis shows only the number
 * for Count, the unit is in the chart's title.
 */
export function formatAxisTicks(ticks: readonly number[], unit: MetricUnit): string[] {
  if (unit !== "byte/s") return ticks.map((t) => formatNumber(t));
  const step = byteStep(Math.max(0, ...ticks.map((t) => Math.abs(t))));
  return ticks.map((t) => formatInStep(t, unit, step));
}
