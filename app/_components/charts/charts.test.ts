import { describe, expect, it } from "vitest";
import { chartOptions, isolatedPointsExist } from "./chart-options";
import { formatAxisTicks, formatMetricValue, formatNumber } from "./format-metric-value";
import { countValues, insertGaps, latestValue } from "./insert-gaps";

const MIN = 60_000;
const t0 = Date.UTC(2026, 11, 1, 10, 0);

describe("insertGaps", () => {
  it("puts a null at the first missing period start of every gap, in every series, and converts ms to s", () => {
    // Points at 10:00, 10:01, (10:02–10:04 missing), 10:05, (10:06 missing), 10:07.
    const times = [t0, t0 + MIN, t0 + 5 * MIN, t0 + 7 * MIN];
    const [xs, a, b] = insertGaps(times, [[1, 2, 3, 4], [10, null, 30, 40]], 60);
    expect(xs).toEqual([t0, t0 + MIN, t0 + 2 * MIN, t0 + 5 * MIN, t0 + 6 * MIN, t0 + 7 * MIN].map((t) => t / 1000));
    expect(a).toEqual([1, 2, null, 3, null, 4]);
    // A null the series itself carries stays null (never 0).
    expect(b).toEqual([10, null, null, 30, null, 40]);
  });

  it("adds nothing to a series without gaps, at any resolution", () => {
    const times = [t0, t0 + 5 * MIN, t0 + 10 * MIN];
    expect(insertGaps(times, [[0, 0, 7]], 300)).toEqual([times.map((t) => t / 1000), [0, 0, 7]]);
    // The same points read at 1-minute resolution have two gaps of four minutes.
    expect(insertGaps(times, [[0, 0, 7]], 60)[1]).toEqual([0, null, 0, null, 7]);
  });

  it("prepares a week of 1-minute points of ten metrics quickly, a null per gap and no more", () => {
    // 10 080 periods, every 7th missing: 1 440 gaps of one period each.
    const times: number[] = [];
    for (let i = 0; i < 7 * 1440; i++) if (i % 7 !== 3) times.push(t0 + i * MIN);
    const values = Array.from({ length: 10 }, (_, s) => times.map((_t, i) => s + i));
    const started = performance.now();
    const [xs, ...ys] = insertGaps(times, values, 60);
    const elapsed = performance.now() - started;
    expect(xs.length).toBe(times.length + 1440);
    expect(ys[9]!.filter((v) => v === null)).toHaveLength(1440);
    expect(ys[9]!.includes(0)).toBe(false);
    // Bound generous for a shared 2-core box; it takes a few ms.
    expect(elapsed).toBeLessThan(500);
  });

  it("keeps an empty series empty", () => {
    expect(insertGaps([], [[]], 60)).toEqual([[], []]);
  });
});

describe("latest value and point count", () => {
  it("reads the last value that is not null and counts only real values", () => {
    expect(latestValue([1, 2, null])).toBe(2);
    expect(latestValue([0, null])).toBe(0);
    expect(latestValue([null, null])).toBeNull();
    expect(latestValue(undefined)).toBeNull();
    expect(countValues([0, null, 3])).toBe(2);
    expect(countValues([])).toBe(0);
  });
});

describe("metric value formatting", () => {
  it("shows byte rates in 1024 steps and other units with the guide's unit", () => {
    expect(formatMetricValue(512, "byte/s")).toBe("512 B/s");
    expect(formatMetricValue(1536, "byte/s")).toBe("1.5 KB/s");
    expect(formatMetricValue(5 * 1024 * 1024, "byte/s")).toBe("5 MB/s");
    expect(formatMetricValue(3 * 1024 ** 3, "byte/s")).toBe("3 GB/s");
    expect(formatMetricValue(12, "Count")).toBe("12 Count");
    expect(formatMetricValue(1 / 3, "Count/s")).toBe("0.33 Count/s");
    expect(formatMetricValue(0, "Query/s")).toBe("0 Query/s");
    expect(formatMetricValue(38.25, "ms")).toBe("38.25 ms");
    expect(formatMetricValue(null, "ms")).toBe("—");
    expect(formatNumber(2.5)).toBe("2.5");
  });

  it("labels every tick of a byte axis in the step of the largest tick", () => {
    expect(formatAxisTicks([0, 512 * 1024, 1024 * 1024], "byte/s")).toEqual(["0 MB/s", "0.5 MB/s", "1 MB/s"]);
    expect(formatAxisTicks([0, 500, 1000], "byte/s")).toEqual(["0 B/s", "500 B/s", "1000 B/s"]);
    expect(formatAxisTicks([0, 0.5, 1], "Count")).toEqual(["0", "0.5", "1"]);
  });
});

describe("chart options", () => {
  const options = chartOptions({ series: [{ label: "Inbound Rate" }], unit: "byte/s", width: 400, height: 180, xRange: () => [100, 200] });

  it("never spans gaps, shows the chosen range on a time axis, and formats legend values with the unit", () => {
    const line = options.series[1]!;
    expect(line.spanGaps).toBe(false);
    expect(line.label).toBe("Inbound Rate");
    expect(options.scales!.x!.time).toBe(true);
    const xRange = options.scales!.x!.range as () => [number, number];
    expect(xRange()).toEqual([100, 200]);
    const value = line.value as (self: unknown, raw: number | null) => string;
    expect(value(null, 2048)).toBe("2 KB/s");
    expect(value(null, null)).toBe("—");
    expect(options.legend!.show).toBe(true);
  });

  it("starts the value axis at 0 and gives an empty chart a range", () => {
    const yRange = options.scales!.y!.range as (self: unknown, min: number | null, max: number | null) => [number, number];
    expect(yRange(null, 5, 10)).toEqual([0, 11]);
    expect(yRange(null, null, null)).toEqual([0, 1]);
  });

  it("hides axes, legend and cursor for a sparkline", () => {
    const spark = chartOptions({ series: [{ label: "x" }], unit: "Count", width: 100, height: 36, xRange: () => [0, 1], compact: true });
    expect(spark.legend!.show).toBe(false);
    expect(spark.axes!.every((a) => a.show === false)).toBe(true);
    expect(spark.series[1]!.spanGaps).toBe(false);
  });

  it("draws a dot for a point that has a gap on both sides", () => {
    expect(isolatedPointsExist([1, null, 2, 3])).toBe(true);
    expect(isolatedPointsExist([null, 2, 3, null])).toBe(false);
    expect(isolatedPointsExist([])).toBe(false);
  });
});
