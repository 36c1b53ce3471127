import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { METRICS } from "../metric-catalog";

/** Roll-up resolutions (seconds) built from the 1-minute points. */
export const ROLL_UP_RESOLUTIONS = [300, 3600] as const;

const column = (id: string) => sql.identifier(id);
/** A value averaged over the raw points that have it, weighted by their samples. */
const weighted = (id: string) => sql`sum(${column(id)} * samples) / nullif(sum(samples) filter (where ${column(id)} is not null), 0)`;
/** m14 (a mean per request) weighted by the requests of each point; by samples when no point had requests. */
const responseTime = sql`coalesce(
  sum(m14_l7_rt * mb_l7_queries * samples) / nullif(sum(mb_l7_queries * samples) filter (where m14_l7_rt is not null), 0),
  ${weighted("m14_l7_rt")})`;

/**
 * Builds (or rebuilds) the `resolution` points from the 1-minute points, from the latest period already
 * rolled up (it may have been partial) onwards — or from the first raw point on the first run. One
 * statement: each period's value is the samples-weighted average of its raw points (m14 weighted by
 * requests), `samples` the number of raw points. Idempotent.
 */
export async function rollUpMetricPoints(db: Database, resolution: (typeof ROLL_UP_RESOLUTIONS)[number]): Promise<number> {
  const values = METRICS.map((m) => (m.id === "m14_l7_rt" ? responseTime : weighted(m.id)));
  const columns = METRICS.map((m) => column(m.id));
  const updates = METRICS.map((m) => sql`${column(m.id)} = excluded.${column(m.id)}`);
  const result = await db.execute(sql`
    with since as (
      select coalesce(
        (select max(at) from metric_points where resolution_seconds = ${resolution}),
        (select min(at) from metric_points where resolution_seconds = 60)
      ) as at
    )
    insert into metric_points (resolution_seconds, object_kind, object_id, load_balancer_id, at, samples, ${sql.join(columns, sql`, `)})
    select ${resolution}::int, object_kind, object_id, min(load_balancer_id),
      to_timestamp(floor(extract(epoch from at) / ${resolution}) * ${resolution}) as period, sum(samples)::int,
      ${sql.join(values, sql`, `)}
    from metric_points
    where resolution_seconds = 60 and at >= (select at from since)
    group by object_kind, object_id, period
    on conflict (resolution_seconds, object_id, at) do update set samples = excluded.samples, ${sql.join(updates, sql`, `)}
  `);
  return (result as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? (result as unknown as { affectedRows?: number }).affectedRows ?? 0;
}
