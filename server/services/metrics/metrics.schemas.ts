import { z } from "zod";
import { METRIC_IDS } from "../../metrics/metric-catalog";
import { RETENTION_LIMITS } from "../../metrics/retention/metrics-retention";
import { idSchema } from "../field-schemas";
import { isStorableTime } from "../../validation";

export { metricsRetentionSchema } from "../../metrics/retention/metrics-retention";

const DAY_MS = 86_400_000;
/** The longest range a chart may ask for: the longest retention allowed. */
export const MAX_SERIES_RANGE_DAYS = RETENTION_LIMITS.hourDays[1];

const isoTime = (label: string) =>
  z
    .string({ message: `${label}: enter a time (ISO 8601)` })
    .refine((value) => !Number.isNaN(Date.parse(value)), `${label}: enter a time (ISO 8601)`)
    .refine((value) => Number.isNaN(Date.parse(value)) || isStorableTime(Date.parse(value)), `${label}: the time must be between 1970 and 9999`);

/** `metrics.series` (MetricSeriesQuery): one object, 1–20 metrics, from < to, at most MAX_SERIES_RANGE_DAYS. */
export const metricSeriesQuerySchema = z
  .object({
    objectKind: z.enum(["LOAD_BALANCER", "LISTENER"], { message: "Dimension: choose load balancer or listener" }),
    objectId: idSchema("Monitored object: select a load balancer or listener"),
    metrics: z
      .array(z.enum(METRIC_IDS, { message: `Metric: choose one of ${METRIC_IDS.join(", ")}` }))
      .min(1, "Metric: choose 1 to 20 metrics")
      .max(20, "Metric: choose 1 to 20 metrics"),
    from: isoTime("From"),
    to: isoTime("To"),
  })
  .superRefine((q, ctx) => {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    if (Number.isNaN(from) || Number.isNaN(to)) return;
    if (to <= from) ctx.addIssue({ code: "custom", path: ["to"], message: "To: must be later than From" });
    else if (to - from > MAX_SERIES_RANGE_DAYS * DAY_MS) ctx.addIssue({ code: "custom", path: ["from"], message: `From: the range can be at most ${MAX_SERIES_RANGE_DAYS} days` });
  });

/** Create a Prometheus token: a name of 1–64 characters. */
export const createMetricsTokenSchema = z
  .object({
    name: z
      .string({ message: "Name: enter 1 to 64 characters" })
      .trim()
      .min(1, "Name: enter 1 to 64 characters")
      .max(64, "Name: enter 1 to 64 characters")
      .regex(/^[\w.\- ]+$/, "Name: use letters, digits, spaces, '.', '-' and '_'"),
  })
  .strict();

/** Delete a Prometheus token by id. */
export const metricsTokenIdSchema = z.object({ id: idSchema("Token: select a token") });
