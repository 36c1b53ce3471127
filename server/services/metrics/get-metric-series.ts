import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import type { MetricSeries } from "../../metrics/metric-series.types";
import { chooseResolution } from "../../metrics/query/choose-resolution";
import { queryMetricSeries } from "../../metrics/query/query-metric-series";
import { readMetricsRetention } from "../../metrics/retention/metrics-retention";
import { metricSeriesQuerySchema } from "./metrics.schemas";
import { requireMetricObject } from "./require-metric-object";

/** A chart's points (`metrics.series`): one object of the project over a range, at the resolution the range needs. */
export async function getMetricSeries(ctx: ServiceContext, rawInput: unknown, now = Date.now()): Promise<MetricSeries> {
  const input = parseInput(metricSeriesQuerySchema, rawInput);
  await requireMetricObject(ctx.db, ctx.scope, input.objectKind, input.objectId);
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  const resolutionSeconds = chooseResolution(from, to, await readMetricsRetention(ctx.db), now);
  return queryMetricSeries(ctx.db, { objectKind: input.objectKind, objectId: input.objectId, metrics: input.metrics, resolutionSeconds, from, to });
}
