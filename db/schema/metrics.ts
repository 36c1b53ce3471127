import { doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** What a metric point describes: a whole load balancer (sum of its listeners, plus server health) or one listener. */
export type MetricObjectKind = "LOAD_BALANCER" | "LISTENER";

/**
 * Metric points of guide 8.1, one row per monitored object per period: `resolutionSeconds` 60 (raw,
 * 1-minute points written by the collector), 300 and 3600 (roll-ups of the raw points, kept longer).
 * A column per metric id; null = not measured for that object (e.g. L7 metrics of a TCP listener, or
 * server health on a listener). Rates (…/s) are per-second averages over the period, gauges (m1–m3,
 * m9, ma) the average of the samples, m14_l7_rt the average response time in ms. No foreign keys: the
 * points of a deleted load balancer stay until retention removes them (alarm history refers to them).
 * `samples` is how many raw points a roll-up averaged (1 for raw points).
 */
export const metricPoints = pgTable(
  "metric_points",
  {
    resolutionSeconds: integer("resolution_seconds").notNull(),
    objectKind: text("object_kind").$type<MetricObjectKind>().notNull(),
    /** Load balancer id (LOAD_BALANCER) or listener id (LISTENER). */
    objectId: text("object_id").notNull(),
    /** The load balancer the object belongs to (its own id for LOAD_BALANCER). */
    loadBalancerId: text("load_balancer_id").notNull(),
    /** Start of the period (UTC, aligned to the resolution). */
    at: timestamp("at", { withTimezone: true }).notNull(),
    samples: integer("samples").notNull().default(1),
    m1_cps: doublePrecision("m1_cps"),
    m2_act_conn: doublePrecision("m2_act_conn"),
    m3_inact_conn: doublePrecision("m3_inact_conn"),
    m4_ncps: doublePrecision("m4_ncps"),
    m5_in_pps: doublePrecision("m5_in_pps"),
    m6_out_pps: doublePrecision("m6_out_pps"),
    m7_in_Bps: doublePrecision("m7_in_Bps"),
    m8_out_Bps: doublePrecision("m8_out_Bps"),
    m9_abnormal_servers: doublePrecision("m9_abnormal_servers"),
    ma_normal_servers: doublePrecision("ma_normal_servers"),
    mb_l7_queries: doublePrecision("mb_l7_queries"),
    mc_l7_http_2xx: doublePrecision("mc_l7_http_2xx"),
    md_l7_http_3xx: doublePrecision("md_l7_http_3xx"),
    me_l7_http_4xx: doublePrecision("me_l7_http_4xx"),
    mf_l7_http_5xx: doublePrecision("mf_l7_http_5xx"),
    m10_l7_http_other_status: doublePrecision("m10_l7_http_other_status"),
    m11_l7_http_404: doublePrecision("m11_l7_http_404"),
    m12_l7_http_499: doublePrecision("m12_l7_http_499"),
    m13_l7_http_502: doublePrecision("m13_l7_http_502"),
    m14_l7_rt: doublePrecision("m14_l7_rt"),
  },
  (t) => [
    primaryKey({ columns: [t.resolutionSeconds, t.objectId, t.at] }),
    index("metric_points_lb_idx").on(t.resolutionSeconds, t.loadBalancerId, t.at),
    index("metric_points_at_idx").on(t.resolutionSeconds, t.at),
  ],
);

/**
 * Prometheus scrape tokens (Settings → Prometheus): the administrator creates one, sees it once; only
 * its SHA-256 is kept. `GET /metrics` with `Authorization: Bearer <token>` answers the engine's counters.
 */
export const metricsTokens = pgTable("metrics_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** sha256 (hex) of the token. */
  tokenHash: text("token_hash").notNull().unique(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
});
