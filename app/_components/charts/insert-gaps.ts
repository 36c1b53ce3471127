/** Aligned chart data for uPlot: x in seconds, one value array per series, null = no value (a gap). */
export type ChartData = [xs: number[], ...ys: (number | null)[][]];

/**
 * The points of a series as uPlot draws them, with a null at the start of every missing run of periods.
 * The series leaves a period without a stored point out of `times` (guide: a gap is not a 0); a line
 * drawn straight from the point before the gap to the point after it would invent values that were never
 * measured, so a null goes at the first missing period start (`time + resolution`): with spanGaps off
 * uPlot then breaks the line there. One null per gap is enough, so a week of sparse points stays small.
 * `times` are period starts in ms, ascending; `values` are aligned with them.
 */
export function insertGaps(times: readonly number[], values: readonly (readonly (number | null)[])[], resolutionSeconds: number): ChartData {
  const periodMs = resolutionSeconds * 1000;
  const xs: number[] = [];
  const ys: (number | null)[][] = values.map(() => []);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    xs.push(t / 1000);
    for (let s = 0; s < values.length; s++) ys[s]!.push(values[s]![i] ?? null);
    const next = times[i + 1];
    if (next !== undefined && next - t > periodMs) {
      xs.push((t + periodMs) / 1000);
      for (const y of ys) y.push(null);
    }
  }
  return [xs, ...ys];
}

/** The last non-null value of a series (the "latest" number beside a chart), or null when it has none. */
export function latestValue(values: readonly (number | null)[] | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** How many points of a series carry a value (0: the chart shows "No data"). */
export function countValues(values: readonly (number | null)[] | undefined): number {
  let n = 0;
  for (const v of values ?? []) if (v !== null && v !== undefined) n++;
  return n;
}
