import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createServiceTestBed, type ServiceTestBed } from "../../services/test-support";
import { createTestLoadBalancer } from "../../services/listener/test-fixtures";
import { createListener } from "../../services/listener/create-listener";
import { getMetricSeries } from "../../services/metrics/get-metric-series";
import { getMetricsOverview } from "../../services/metrics/get-metrics-overview";

/**
 * Dashboards stay fast with a week of 1-minute points for 100 listeners: 100 listeners + 10 load
 * balancers × 10 080 minutes (1.1 M raw rows) plus their 5-minute and 1-hour roll-ups, seeded by one
 * INSERT … SELECT generate_series. Bound: each query below answers in under BOUND_MS (best of 3 runs),
 * on PGlite and on PostgreSQL, on a shared 2-core machine; measured times are printed.
 */
const BOUND_MS = 500;
const LISTENERS = 100;
const LOAD_BALANCERS = 10;
const MINUTES = 7 * 24 * 60;

let bed: ServiceTestBed;
let lbIds: string[];
let listenerId: string;
const now = Math.floor(Date.now() / 60_000) * 60_000;

beforeAll(async () => {
  bed = await createServiceTestBed();
  lbIds = [];
  for (let i = 0; i < LOAD_BALANCERS; i++) lbIds.push((await createTestLoadBalancer(bed, `perf-${i}`)).id);
  listenerId = (await createListener(bed.ctx, { loadBalancerId: lbIds[0]!, name: "perf-listener", protocol: "HTTP", port: 8080, pool: { mode: "new", name: "perf-group", algorithm: "ROUND_ROBIN" } })).id;
  const lbArray = sql`array[${sql.join(lbIds.map((id) => sql`${id}`), sql`, `)}]::text[]`;
  const started = performance.now();
  // The indexes are built once after the insert (as a bulk load would), which is many times faster on
  // PGlite than maintaining them row by row; the same primary key and indexes answer the queries.
  await bed.ctx.db.execute(sql`alter table metric_points drop constraint metric_points_resolution_seconds_object_id_at_pk`);
  await bed.ctx.db.execute(sql`drop index metric_points_lb_idx, metric_points_at_idx`);
  // Objects 1…100 are listeners (object 1 the real one), 101…110 the load balancers; every minute of the
  // week at 60 s, every 5th at 300 s, every 60th at 3600 s.
  await bed.ctx.db.execute(sql`
    with objects as (
      select o,
        case when o <= ${LISTENERS} then 'LISTENER' else 'LOAD_BALANCER' end as kind,
        case when o = 1 then ${listenerId} when o <= ${LISTENERS} then 'listener-' || o else (${lbArray})[o - ${LISTENERS}] end as id,
        (${lbArray})[case when o <= ${LISTENERS} then 1 + (o - 1) % ${LOAD_BALANCERS} else o - ${LISTENERS} end] as lb
      from generate_series(1, ${LISTENERS + LOAD_BALANCERS}) as o
    ),
    minutes as (
      select m, r.res, to_timestamp(${now / 1000} - m * 60) as at
      from generate_series(0, ${MINUTES - 1}) as m
      join (values (60), (300), (3600)) as r(res) on m % (r.res / 60) = 0
    )
    insert into metric_points (resolution_seconds, object_kind, object_id, load_balancer_id, at, samples,
      m1_cps, m2_act_conn, m3_inact_conn, m4_ncps, "m7_in_Bps", "m8_out_Bps", mb_l7_queries, mc_l7_http_2xx, mf_l7_http_5xx, m14_l7_rt, m9_abnormal_servers, ma_normal_servers)
    select res, kind, id, lb, at, res / 60,
      o % 7 + m % 13, o % 5, o % 3, (m % 60) / 10.0, 1000.0 * (m % 17), 5000.0 * (m % 19), (m % 30) / 3.0, (m % 30) / 3.5, (m % 7) / 100.0, 10 + m % 40, m % 2, 3
    from objects cross join minutes
  `);
  await bed.ctx.db.execute(sql`alter table metric_points add constraint metric_points_resolution_seconds_object_id_at_pk primary key (resolution_seconds, object_id, at)`);
  await bed.ctx.db.execute(sql`create index metric_points_lb_idx on metric_points (resolution_seconds, load_balancer_id, at)`);
  await bed.ctx.db.execute(sql`create index metric_points_at_idx on metric_points (resolution_seconds, at)`);
  await bed.ctx.db.execute(sql`analyze metric_points`);
  const [{ n }] = (await bed.ctx.db.execute(sql`select count(*)::int as n from metric_points`)).rows as [{ n: number }];
  console.log(`[perf] seeded ${n} metric points in ${Math.round(performance.now() - started)} ms`);
  expect(n).toBeGreaterThan(1_100_000);
}, 600_000);
afterAll(async () => {
  await bed?.close();
});

/** Best of three runs, in ms (the first run may warm caches). */
async function timed<T>(what: string, run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let best = Infinity;
  let result!: T;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    result = await run();
    best = Math.min(best, performance.now() - started);
  }
  console.log(`[perf] ${what}: ${best.toFixed(1)} ms`);
  return { ms: best, result };
}

describe(`dashboard queries over a week of 1-minute points for ${LISTENERS} listeners`, () => {
  const range = (ms: number) => ({ from: new Date(now - ms).toISOString(), to: new Date(now).toISOString() });
  it("a listener's last day at 60 s (1 440 points, 6 metrics)", async () => {
    const { ms, result } = await timed("series 1 day", () =>
      getMetricSeries(bed.ctx, { objectKind: "LISTENER", objectId: listenerId, metrics: ["m1_cps", "m4_ncps", "m7_in_Bps", "m8_out_Bps", "mb_l7_queries", "m14_l7_rt"], ...range(86_400_000) }, now),
    );
    expect(result.resolutionSeconds).toBe(60);
    expect(result.times.length).toBe(1440);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("a load balancer's week at 300 s (2 015 points, 12 metrics)", async () => {
    const { ms, result } = await timed("series 7 days", () =>
      getMetricSeries(bed.ctx, { objectKind: "LOAD_BALANCER", objectId: lbIds[3]!, metrics: ["m1_cps", "m2_act_conn", "m3_inact_conn", "m4_ncps", "m7_in_Bps", "m8_out_Bps", "m9_abnormal_servers", "ma_normal_servers", "mb_l7_queries", "mc_l7_http_2xx", "mf_l7_http_5xx", "m14_l7_rt"], ...range(7 * 86_400_000) }, now),
    );
    expect(result.resolutionSeconds).toBe(300);
    expect(result.times.length).toBe(MINUTES / 5 - 1); // the seeded 5-minute points in [now − 7 d, now): m = 5, 10, … 10 075
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it(`the overview of all ${LOAD_BALANCERS} load balancers (last hour each)`, async () => {
    const { ms, result } = await timed("overview", () => getMetricsOverview(bed.ctx, now));
    expect(result.filter((o) => lbIds.includes(o.loadBalancerId)).every((o) => o.sparkline.times.length === 61)).toBe(true);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});
