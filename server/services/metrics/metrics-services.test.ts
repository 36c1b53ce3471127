import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { metricPoints, metricsTokens, traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { AppError } from "../../errors";
import { buildCrossScopeWorld, type CrossScopeWorld } from "../scope/cross-scope-fixtures";
import { createCaller } from "../../trpc/root";
import { getMetricSeries } from "./get-metric-series";
import { getMetricsOverview } from "./get-metrics-overview";
import { hashMetricsToken } from "../../metrics/prometheus/metrics-token";

let bed: ServiceTestBed;
let w: CrossScopeWorld;
beforeAll(async () => {
  bed = await createServiceTestBed();
  w = await buildCrossScopeWorld(bed);
});
afterAll(async () => {
  await bed?.close();
});

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const point = (resolutionSeconds: number, objectKind: "LOAD_BALANCER" | "LISTENER", objectId: string, at: number, values: Partial<typeof metricPoints.$inferInsert> = {}) => ({
  resolutionSeconds,
  objectKind,
  objectId,
  loadBalancerId: w.lb.id,
  at: new Date(at),
  ...values,
});
/** The AppError an action throws, checked against code, field and message. */
async function expectAppError(action: () => Promise<unknown>, expected: { code?: string; field: string; message?: RegExp }) {
  const error = await action().then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).field).toBe(expected.field);
  if (expected.code) expect((error as AppError).code).toBe(expected.code);
  if (expected.message) expect((error as AppError).message).toMatch(expected.message);
}
const admin = () => createCaller({ ...bed.ctx, sourceIp: "127.0.0.9" });

describe("metrics.series", () => {
  it("answers the stored points in order, a gap left absent (not 0), a null where the point has no value", async () => {
    await bed.ctx.db.delete(metricPoints);
    await bed.ctx.db.insert(metricPoints).values([
      point(60, "LISTENER", w.listenerId, NOW - 10 * MIN, { m4_ncps: 1, mb_l7_queries: null }),
      point(60, "LISTENER", w.listenerId, NOW - 9 * MIN, { m4_ncps: 2, mb_l7_queries: null }),
      // -8 … -6: the engine did not report
      point(60, "LISTENER", w.listenerId, NOW - 5 * MIN, { m4_ncps: 0, mb_l7_queries: null }),
      point(60, "LOAD_BALANCER", w.lb.id, NOW - 5 * MIN, { m4_ncps: 99 }), // another object
      point(300, "LISTENER", w.listenerId, NOW - 10 * MIN, { m4_ncps: 1.5 }), // another resolution
    ]);
    const series = await getMetricSeries(bed.ctx, { objectKind: "LISTENER", objectId: w.listenerId, metrics: ["m4_ncps", "mb_l7_queries"], from: new Date(NOW - 3_600_000).toISOString(), to: new Date(NOW).toISOString() }, NOW);
    expect(series.resolutionSeconds).toBe(60);
    expect(series.times).toEqual([NOW - 10 * MIN, NOW - 9 * MIN, NOW - 5 * MIN]);
    expect(series.values.m4_ncps).toEqual([1, 2, 0]);
    expect(series.values.mb_l7_queries).toEqual([null, null, null]);
  });

  it("chooses the resolution by range (≤ 1 day 60 s, ≤ 7 days 300 s, else 3600 s) and a coarser one when retention removed the finer", async () => {
    const ask = (fromAgo: number, toAgo = 0) =>
      getMetricSeries(bed.ctx, { objectKind: "LOAD_BALANCER", objectId: w.lb.id, metrics: ["m1_cps"], from: new Date(NOW - fromAgo).toISOString(), to: new Date(NOW - toAgo).toISOString() }, NOW);
    expect((await ask(DAY)).resolutionSeconds).toBe(60);
    expect((await ask(DAY + MIN)).resolutionSeconds).toBe(300);
    expect((await ask(7 * DAY)).resolutionSeconds).toBe(300);
    expect((await ask(7 * DAY + MIN)).resolutionSeconds).toBe(3600);
    // One hour, 8 days ago: 1-minute points are kept 7 days, so 5-minute points; 40 days ago: 1-hour points.
    expect((await ask(8 * DAY, 8 * DAY - 3_600_000)).resolutionSeconds).toBe(300);
    expect((await ask(40 * DAY, 40 * DAY - 3_600_000)).resolutionSeconds).toBe(3600);
  });

  it("refuses bad input naming the field, and objects outside the project", async () => {
    const base = { objectKind: "LOAD_BALANCER", objectId: w.lb.id, metrics: ["m1_cps"], from: new Date(NOW - DAY).toISOString(), to: new Date(NOW).toISOString() };
    await expectAppError(() => getMetricSeries(bed.ctx, { ...base, to: base.from }), { field: "to", message: /To: must be later than From/ });
    await expectAppError(() => getMetricSeries(bed.ctx, { ...base, from: "yesterday" }), { field: "from", message: /From: enter a time/ });
    await expectAppError(() => getMetricSeries(bed.ctx, { ...base, from: "+275760-09-12T00:00:00.000Z", to: "+275760-09-13T00:00:00.000Z" }), { field: "from", message: /From: the time must be between 1970 and 9999/ });
    await expectAppError(() => getMetricSeries(bed.ctx, { ...base, metrics: ["m99"] }), { field: "metrics.0", message: /Metric: choose one of m1_cps/ });
    await expectAppError(() => getMetricSeries(bed.ctx, { ...base, metrics: [] }), { field: "metrics", message: /1 to 20/ });
    await expectAppError(() => getMetricSeries(bed.ctx, { ...base, from: new Date(NOW - 2000 * DAY).toISOString() }), { field: "from", message: /at most 1830 days/ });
    await expectAppError(() => getMetricSeries(w.otherProject, base), { code: "NOT_FOUND", field: "objectId" });
    await expectAppError(() => getMetricSeries(w.otherProject, { ...base, objectKind: "LISTENER", objectId: w.listenerId }), { code: "NOT_FOUND", field: "objectId" });
  });
});

describe("metrics.overview", () => {
  it("lists every load balancer of the project with its last hour and the latest values (null when older than 5 minutes)", async () => {
    await bed.ctx.db.delete(metricPoints);
    await bed.ctx.db.insert(metricPoints).values([
      point(60, "LOAD_BALANCER", w.lb.id, NOW - 2 * 3_600_000, { m1_cps: 50 }), // older than the hour
      point(60, "LOAD_BALANCER", w.lb.id, NOW - 30 * MIN, { m1_cps: 3 }),
      point(60, "LOAD_BALANCER", w.lb.id, NOW - 2 * MIN, { m1_cps: 4, mf_l7_http_5xx: 0.5 }),
      { ...point(60, "LOAD_BALANCER", w.publicLb.id, NOW - 20 * MIN, { m1_cps: 7 }), loadBalancerId: w.publicLb.id },
      point(60, "LISTENER", w.listenerId, NOW - MIN, { m1_cps: 99 }), // a listener of w.lb: not the load balancer's own line
    ]);
    const overview = await getMetricsOverview(bed.ctx, NOW);
    const byId = new Map(overview.map((o) => [o.loadBalancerId, o]));
    expect(byId.get(w.lb.id)!.sparkline.times).toEqual([NOW - 30 * MIN, NOW - 2 * MIN]);
    expect(byId.get(w.lb.id)!.sparkline.values.m1_cps).toEqual([3, 4]);
    expect(byId.get(w.lb.id)!.latest).toMatchObject({ m1_cps: 4, mf_l7_http_5xx: 0.5, m4_ncps: null });
    expect(byId.get(w.publicLb.id)!.latest.m1_cps).toBeNull(); // 20 minutes old: no current value
    expect(byId.get(w.publicLb.id)!.sparkline.values.m1_cps).toEqual([7]);
    expect(overview.map((o) => o.name)).toEqual([...overview.map((o) => o.name)].sort());
    // Another project sees none of these load balancers.
    const theirs = await getMetricsOverview(w.otherProject, NOW);
    expect(theirs.some((o) => o.loadBalancerId === w.lb.id || o.loadBalancerId === w.publicLb.id)).toBe(false);
  });
});

describe("retention and Prometheus tokens (Settings)", () => {
  it("changes the retention with an audit trace; refuses an out-of-range field", async () => {
    await admin().metrics.updateRetention({ rawDays: 3, fiveMinuteDays: 20, hourDays: 100 });
    expect((await admin().metrics.retention()).retention).toEqual({ rawDays: 3, fiveMinuteDays: 20, hourDays: 100 });
    const [trace] = await bed.ctx.db.select().from(traces).where(eq(traces.traceName, "update metrics retention"));
    expect(trace).toMatchObject({ code: "200", resourceType: "metrics" });
    await expect(admin().metrics.updateRetention({ rawDays: 40, fiveMinuteDays: 40, hourDays: 400 })).rejects.toThrow(/1-minute points: enter a whole number of days between 1 and 31/);
    await admin().metrics.updateRetention({ rawDays: 7, fiveMinuteDays: 31, hourDays: 400 });
  });

  it("creates a token shown once (only its sha256 stored, masked in the trace), lists it without the token, deletes it", async () => {
    const created = await admin().metrics.createToken({ name: "prometheus-1" });
    expect(created.token).toMatch(/^elbm_[A-Za-z0-9_-]{43}$/);
    const [row] = await bed.ctx.db.select().from(metricsTokens).where(eq(metricsTokens.id, created.id));
    expect(row!.tokenHash).toBe(hashMetricsToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const [trace] = await bed.ctx.db.select().from(traces).where(eq(traces.traceName, "create metrics token"));
    expect(trace).toMatchObject({ code: "200", resourceId: created.id, resourceName: "prometheus-1" });
    expect(JSON.stringify(trace)).not.toContain(created.token);
    const listed = await admin().metrics.tokens();
    expect(listed.map((t) => t.name)).toEqual(["prometheus-1"]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    await expect(admin().metrics.createToken({ name: "prometheus-1" })).rejects.toThrow(/already exists/);
    await expect(admin().metrics.createToken({ name: "" })).rejects.toThrow(/Name: enter 1 to 64 characters/);
    await admin().metrics.deleteToken({ id: created.id });
    expect(await admin().metrics.tokens()).toEqual([]);
    expect((await bed.ctx.db.select().from(traces).where(eq(traces.traceName, "delete metrics token")))[0]).toMatchObject({ code: "200", resourceId: created.id });
  });
});
