import { describe, expect, it } from "vitest";
import type { AlarmComparison } from "@/db/schema";
import { breaches, evaluateAlarm, evaluationWindow, type AlarmCondition, type MinutePoint } from "./evaluate-alarm";

/** Alarm evaluation (guide 8.2, Cloud Eye conventions) over synthetic series of 1-minute points. */
const MIN = 60_000;
/** 2026-12-01 00:00:00 UTC, a multiple of every period length (1 day included). */
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
/** A minute's point counts once the minute ended 5 s ago. */
const SETTLE = 5_000;

/** Minute points whose last minute ends at `end`: values[i] for minute end − (n − i) minutes; undefined = no row. */
function series(end: number, values: (number | null | undefined)[]): MinutePoint[] {
  const out: MinutePoint[] = [];
  values.forEach((value, i) => {
    if (value !== undefined) out.push({ at: end - (values.length - i) * MIN, value });
  });
  return out;
}

const rule = (over: Partial<AlarmCondition>): AlarmCondition => ({ statistic: "RAW", periodSeconds: 60, comparison: ">", threshold: 10, consecutivePeriods: 1, ...over });

describe("comparisons", () => {
  const cases: [AlarmComparison, number, boolean][] = [
    [">", 11, true],
    [">", 10, false],
    [">", 9, false],
    [">=", 11, true],
    [">=", 10, true],
    [">=", 9, false],
    ["<", 9, true],
    ["<", 10, false],
    ["<", 11, false],
    ["<=", 9, true],
    ["<=", 10, true],
    ["<=", 11, false],
    ["=", 10, true],
    ["=", 10.5, false],
    ["=", 10.4, false], // exact: no rounding, no tolerance
    ["=", 9.6, false],
    ["=", 9, false],
  ];
  it.each(cases)("%s 10 with value %d breaches: %s", (comparison, value, expected) => {
    expect(breaches(comparison, value, 10)).toBe(expected);
    // The same through a whole evaluation: one RAW period.
    const evaluation = evaluateAlarm(rule({ comparison }), series(T0, [value]), T0 + SETTLE, SETTLE);
    expect(evaluation.state).toBe(expected ? "ALARM" : "OK");
    expect(evaluation.value).toBe(value);
  });
});

describe("statistics over a 5-minute period", () => {
  // The 5 minutes of the period [T0 − 5 min, T0): values 1, 2, 9, 4, 4 → avg 4, max 9, min 1, sum 20.
  const points = series(T0, [100, 1, 2, 9, 4, 4]); // the 100 is in the period before, and must be ignored
  const value = (statistic: AlarmCondition["statistic"]) => evaluateAlarm(rule({ statistic, periodSeconds: 300, threshold: 0 }), points, T0 + SETTLE, SETTLE).value;
  it("Avg. is the mean of the period's minutes", () => expect(value("AVG")).toBe(4));
  it("Max. is the largest", () => expect(value("MAX")).toBe(9));
  it("Min. is the smallest", () => expect(value("MIN")).toBe(1));
  it("Sum adds them", () => expect(value("SUM")).toBe(20));
  it("Raw data is the last minute itself (period 1 minute)", () => {
    expect(evaluateAlarm(rule({ statistic: "RAW" }), points, T0 + SETTLE, SETTLE).value).toBe(4);
  });
  it("decides by the statistic: Max. breaches > 8 where Avg. does not", () => {
    expect(evaluateAlarm(rule({ statistic: "MAX", periodSeconds: 300, threshold: 8 }), points, T0 + SETTLE, SETTLE).state).toBe("ALARM");
    expect(evaluateAlarm(rule({ statistic: "AVG", periodSeconds: 300, threshold: 8 }), points, T0 + SETTLE, SETTLE).state).toBe("OK");
  });
  it("a minute without a value (null column) is left out, not counted as 0", () => {
    const withNull = series(T0, [2, null, 4, undefined, 6]);
    expect(evaluateAlarm(rule({ statistic: "AVG", periodSeconds: 300, threshold: 0 }), withNull, T0 + SETTLE, SETTLE).value).toBe(4);
    expect(evaluateAlarm(rule({ statistic: "MIN", periodSeconds: 300, threshold: 0 }), withNull, T0 + SETTLE, SETTLE).value).toBe(2);
  });
});

describe("complete periods only", () => {
  it("the period still running (or not yet settled) is not evaluated", () => {
    // Minute [T0, T0+1) breaches but is not complete at T0 + 30 s; the last complete minute is fine.
    const points = [...series(T0, [1]), { at: T0, value: 50 }];
    expect(evaluateAlarm(rule({}), points, T0 + 30_000, SETTLE)).toMatchObject({ state: "OK", value: 1 });
    // Complete, but within the settle time: still the minute before.
    expect(evaluateAlarm(rule({}), points, T0 + MIN + 2_000, SETTLE)).toMatchObject({ state: "OK", value: 1 });
    expect(evaluateAlarm(rule({}), points, T0 + MIN + SETTLE, SETTLE)).toMatchObject({ state: "ALARM", value: 50 });
  });
  it("periods are aligned to their length: a 20-minute window starts at a multiple of 20 minutes", () => {
    const now = T0 + 27 * MIN;
    expect(evaluationWindow({ periodSeconds: 1200, consecutivePeriods: 2 }, now, SETTLE)).toEqual({ from: T0 - 20 * MIN, to: T0 + 20 * MIN });
  });
});

describe("consecutive periods", () => {
  const three = rule({ consecutivePeriods: 3 });
  it("alarms only when every one of the last N periods breaches", () => {
    expect(evaluateAlarm(three, series(T0, [20, 20, 20]), T0 + SETTLE, SETTLE)).toMatchObject({ state: "ALARM", value: 20 });
    expect(evaluateAlarm(three, series(T0, [5, 20, 20, 20]), T0 + SETTLE, SETTLE).state).toBe("ALARM");
  });
  it("two breaching periods of three needed are not enough: OK while the latest has data", () => {
    const evaluation = evaluateAlarm(three, series(T0, [5, 20, 20]), T0 + SETTLE, SETTLE);
    expect(evaluation).toMatchObject({ state: "OK", value: 20 });
    expect(evaluation.reason).toMatch(/only 2 of 3/);
    expect(evaluateAlarm(three, series(T0, [20, 5, 20]), T0 + SETTLE, SETTLE).state).toBe("OK");
  });
  it("a non-breaching latest period is OK even after breaches", () => {
    expect(evaluateAlarm(three, series(T0, [20, 20, 5]), T0 + SETTLE, SETTLE)).toMatchObject({ state: "OK", value: 5 });
  });
  it("with 5-minute periods, 2 consecutive: each period's average decides", () => {
    const r = rule({ statistic: "AVG", periodSeconds: 300, consecutivePeriods: 2 });
    // [T0−10, T0−5): avg 12; [T0−5, T0): avg 11 → both > 10.
    expect(evaluateAlarm(r, series(T0, [12, 12, 12, 12, 12, 15, 15, 5, 10, 10]), T0 + SETTLE, SETTLE)).toMatchObject({ state: "ALARM", value: 11 });
    // First period avg 8 → not both.
    expect(evaluateAlarm(r, series(T0, [8, 8, 8, 8, 8, 15, 15, 5, 10, 10]), T0 + SETTLE, SETTLE).state).toBe("OK");
  });
});

describe("insufficient data", () => {
  it("no points at all", () => {
    expect(evaluateAlarm(rule({ consecutivePeriods: 2 }), [], T0 + SETTLE, SETTLE)).toMatchObject({ state: "INSUFFICIENT_DATA", value: null });
  });
  it("the latest period is a gap, even after breaches", () => {
    expect(evaluateAlarm(rule({ consecutivePeriods: 2 }), series(T0, [20, 20, undefined]), T0 + SETTLE, SETTLE)).toMatchObject({ state: "INSUFFICIENT_DATA", value: null });
  });
  it("a gap among the periods needed, the latest breaching, is not an alarm", () => {
    const evaluation = evaluateAlarm(rule({ consecutivePeriods: 3 }), series(T0, [20, undefined, 20]), T0 + SETTLE, SETTLE);
    expect(evaluation).toMatchObject({ state: "INSUFFICIENT_DATA", value: 20 });
    expect(evaluation.reason).toBe("no data in 1 of the last 3 periods");
  });
  it("a row whose metric column is null (not measured) is a gap too", () => {
    expect(evaluateAlarm(rule({}), series(T0, [null]), T0 + SETTLE, SETTLE).state).toBe("INSUFFICIENT_DATA");
  });
  it("a gap before the periods needed does not matter", () => {
    expect(evaluateAlarm(rule({ consecutivePeriods: 2 }), series(T0, [undefined, 20, 20]), T0 + SETTLE, SETTLE).state).toBe("ALARM");
  });
});
