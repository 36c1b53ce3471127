import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { metricPoints, settings } from "@/db/schema";
import { createTestDatabase } from "@/db/test-database";
import type { DatabaseConnection } from "@/db/client";
import { rollUpMetricPoints } from "./roll-up-metric-points";
import { pruneMetricPoints } from "./prune-metric-points";
import { DEFAULT_METRICS_RETENTION, METRICS_RETENTION_KEY, metricsRetentionSchema, readMetricsRetention } from "./metrics-retention";
import { maintainMetricPoints } from "./metric-maintenance";

let connection: DatabaseConnection;
beforeAll(async () => {
  connection = await createTestDatabase();
});
afterAll(async () => {
  await connection?.close();
});

const T0 = Date.UTC(2026, 10, 1, 10, 0, 0);
const raw = (minute: number, values: Partial<typeof metricPoints.$inferInsert>, objectId = "L1") => ({
  resolutionSeconds: 60,
  objectKind: "LISTENER" as const,
  objectId,
  loadBalancerId: "LB1",
  at: new Date(T0 + minute * 60_000),
  samples: 1,
  ...values,
});
const rolled = (resolution: number, objectId = "L1") =>
  connection.db.select().from(metricPoints).where(and(eq(metricPoints.resolutionSeconds, resolution), eq(metricPoints.objectId, objectId))).orderBy(asc(metricPoints.at));

describe("roll-ups", () => {
  it("5-minute and 1-hour points average the raw points they cover; samples = raw points; absent minutes add nothing", async () => {
    const db = connection.db;
    await db.delete(metricPoints);
    await db.insert(metricPoints).values([
      raw(0, { m4_ncps: 1, m1_cps: 10, mb_l7_queries: 1, m14_l7_rt: 100 }),
      raw(1, { m4_ncps: 3, m1_cps: 20, mb_l7_queries: 3, m14_l7_rt: 20 }),
      // minutes 2 and 3: no point (a gap)
      raw(4, { m4_ncps: 5, m1_cps: null, mb_l7_queries: 0, m14_l7_rt: null }),
      raw(5, { m4_ncps: 7, m1_cps: 30 }),
      raw(61, { m4_ncps: 100 }),
    ]);
    await rollUpMetricPoints(db, 300);
    const five = await rolled(300);
    expect(five.map((p) => [p.at.getTime() - T0, p.samples])).toEqual([
      [0, 3],
      [300_000, 1],
      [3_600_000, 1],
    ]);
    expect(five[0]!.m4_ncps).toBeCloseTo(3, 9); // (1 + 3 + 5) / 3: the gap is not a 0
    expect(five[0]!.m1_cps).toBeCloseTo(15, 9); // a null is not measured: (10 + 20) / 2
    expect(five[0]!.m14_l7_rt).toBeCloseTo((100 * 1 + 20 * 3) / 4, 9); // per request, not per minute
    expect(five[0]!.m9_abnormal_servers).toBeNull();
    expect(five[0]!.loadBalancerId).toBe("LB1");
    await rollUpMetricPoints(db, 3600);
    const hour = await rolled(3600);
    expect(hour.map((p) => [p.at.getTime() - T0, p.samples])).toEqual([
      [0, 4],
      [3_600_000, 1],
    ]);
    expect(hour[0]!.m4_ncps).toBeCloseTo(4, 9);
  });

  it("rolling up again is idempotent, and the latest period is rebuilt when its later minutes arrive", async () => {
    const db = connection.db;
    await rollUpMetricPoints(db, 300);
    expect((await rolled(300)).length).toBe(3);
    await db.insert(metricPoints).values([raw(62, { m4_ncps: 200 })]);
    await rollUpMetricPoints(db, 300);
    const five = await rolled(300);
    expect(five.length).toBe(3);
    expect(five[2]!.samples).toBe(2);
    expect(five[2]!.m4_ncps).toBeCloseTo(150, 9);
  });
});

describe("retention", () => {
  it("defaults to 7 / 31 / 400 days and validates each field's range, naming it", async () => {
    expect(await readMetricsRetention(connection.db)).toEqual(DEFAULT_METRICS_RETENTION);
    expect(DEFAULT_METRICS_RETENTION).toEqual({ rawDays: 7, fiveMinuteDays: 31, hourDays: 400 });
    const issue = (input: unknown) => {
      const result = metricsRetentionSchema.safeParse(input);
      return result.success ? null : { field: result.error.issues[0]!.path.join("."), message: result.error.issues[0]!.message };
    };
    expect(issue({ rawDays: 0, fiveMinuteDays: 31, hourDays: 400 })).toEqual({ field: "rawDays", message: "1-minute points: enter a whole number of days between 1 and 31" });
    expect(issue({ rawDays: 7, fiveMinuteDays: 1.5, hourDays: 400 })?.field).toBe("fiveMinuteDays");
    expect(issue({ rawDays: 7, fiveMinuteDays: 31, hourDays: 5000 })).toEqual({ field: "hourDays", message: "1-hour points: enter a whole number of days between 1 and 1830" });
    expect(issue({ rawDays: 10, fiveMinuteDays: 5, hourDays: 400 })).toEqual({ field: "fiveMinuteDays", message: "5-minute points: keep them at least as long as 1-minute points (10 days)" });
    // 1-hour points shorter than 5-minute ones (yet longer than 1-minute ones) are refused on hourDays.
    expect(issue({ rawDays: 7, fiveMinuteDays: 31, hourDays: 20 })).toEqual({ field: "hourDays", message: "1-hour points: keep them at least as long as 5-minute points (31 days)" });
    expect(issue({ rawDays: 7, fiveMinuteDays: 31, hourDays: 31 })).toBeNull();
    expect(issue({ rawDays: 7, fiveMinuteDays: 31, hourDays: 400 })).toBeNull();
  });

  it("prunes each resolution by its own retention", async () => {
    const db = connection.db;
    await db.delete(metricPoints);
    const now = T0 + 40 * 86_400_000;
    const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000);
    const row = (resolutionSeconds: number, daysAgo: number) => ({ resolutionSeconds, objectKind: "LISTENER" as const, objectId: "L1", loadBalancerId: "LB1", at: at(daysAgo) });
    await db.insert(metricPoints).values([row(60, 6.9), row(60, 7.1), row(300, 30), row(300, 32), row(3600, 39), row(3600, 401)]);
    await pruneMetricPoints(db, DEFAULT_METRICS_RETENTION, now);
    const left = await db.select({ r: metricPoints.resolutionSeconds, at: metricPoints.at }).from(metricPoints).orderBy(asc(metricPoints.resolutionSeconds));
    expect(left.map((p) => [p.r, Math.round((now - p.at.getTime()) / 86_400_000 * 10) / 10])).toEqual([
      [60, 6.9],
      [300, 30],
      [3600, 39],
    ]);
  });

  it("the maintenance pass uses the stored retention", async () => {
    const db = connection.db;
    await db.delete(metricPoints);
    await db.insert(settings).values({ key: METRICS_RETENTION_KEY, value: { rawDays: 1, fiveMinuteDays: 2, hourDays: 4 } });
    const now = T0 + 2 * 86_400_000;
    // Two minutes: 3.1 days and half a day before now.
    await db.insert(metricPoints).values([raw(-1.1 * 24 * 60, { m4_ncps: 1 }), raw(1.5 * 24 * 60, { m4_ncps: 2 })]);
    await maintainMetricPoints(db, now);
    const byResolution = async (r: number) => (await rolled(r)).map((p) => (now - p.at.getTime()) / 86_400_000);
    expect(await byResolution(60)).toEqual([0.5]); // 1 day kept
    expect(await byResolution(300)).toEqual([0.5]); // 2 days kept
    expect((await byResolution(3600)).length).toBe(2); // 4 days kept: both hours
  });
});
