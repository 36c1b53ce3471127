import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { DEFAULT_METRICS_RETENTION, RETENTION_LIMITS, readMetricsRetention, writeMetricsRetention, type MetricsRetention } from "../../metrics/retention/metrics-retention";
import { metricsRetentionSchema } from "./metrics.schemas";

/** Settings → Metrics: the retention in force, the defaults and the allowed ranges. */
export async function getMetricsRetention(ctx: ServiceContext): Promise<{ retention: MetricsRetention; defaults: MetricsRetention; limits: typeof RETENTION_LIMITS }> {
  return { retention: await readMetricsRetention(ctx.db), defaults: DEFAULT_METRICS_RETENTION, limits: RETENTION_LIMITS };
}

/** Changes the retention (administrators; audited). The next maintenance pass (≤ 1 min) prunes by it. */
export async function updateMetricsRetention(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string } & MetricsRetention> {
  const input = parseInput(metricsRetentionSchema, rawInput);
  await writeMetricsRetention(ctx.db, input);
  return { id: "metrics.retention", name: "metric retention", ...input };
}
