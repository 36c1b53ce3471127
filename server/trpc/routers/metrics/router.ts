import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { METRICS } from "../../../metrics/metric-catalog";
import { getMetricSeries } from "../../../services/metrics/get-metric-series";
import { getMetricsOverview } from "../../../services/metrics/get-metrics-overview";
import { getMetricsRetention, updateMetricsRetention } from "../../../services/metrics/metrics-retention-settings";
import { createMetricsToken, deleteMetricsToken, listMetricsTokens } from "../../../services/metrics/metrics-tokens";
import { createMetricsTokenSchema, metricSeriesQuerySchema, metricsRetentionSchema, metricsTokenIdSchema } from "../../../services/metrics/metrics.schemas";

/** Metrics of guide 8.1 (charts, overview), their retention and the Prometheus tokens (Settings). */
export const metricsRouter = createTRPCRouter({
  /** The metric definitions (names, units, descriptions, which objects have them). */
  catalog: protectedProcedure.query(() => METRICS),
  /** One object's points over a range (MetricSeriesQuery → MetricSeries). */
  series: protectedProcedure.input(metricSeriesQuerySchema).query(({ ctx, input }) => getMetricSeries(ctx.service, input)),
  /** Every load balancer of the project: latest key numbers and last-hour sparklines. */
  overview: protectedProcedure.query(({ ctx }) => getMetricsOverview(ctx.service)),
  retention: protectedProcedure.query(({ ctx }) => getMetricsRetention(ctx.service)),
  updateRetention: mutationProcedure
    .meta({ trace: { name: "update metrics retention", resourceType: "metrics" } })
    .input(metricsRetentionSchema)
    .mutation(({ ctx, input }) => updateMetricsRetention(ctx.service, input)),
  tokens: protectedProcedure.query(({ ctx }) => listMetricsTokens(ctx.service)),
  /** Creates a Prometheus token; the answer carries it once (the audit trace masks it). */
  createToken: mutationProcedure
    .meta({ trace: { name: "create metrics token", resourceType: "metricsToken" } })
    .input(createMetricsTokenSchema)
    .mutation(({ ctx, input }) => createMetricsToken(ctx.service, input)),
  deleteToken: mutationProcedure
    .meta({ trace: { name: "delete metrics token", resourceType: "metricsToken" } })
    .input(metricsTokenIdSchema)
    .mutation(({ ctx, input }) => deleteMetricsToken(ctx.service, input)),
});
