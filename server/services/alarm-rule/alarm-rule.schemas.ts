import { z } from "zod";
import { METRIC_IDS, metricDefinition } from "../../metrics/metric-catalog";
import { idSchema, integerInRange, resourceDescriptionSchema, resourceNameSchema, withoutControlCharacters } from "../field-schemas";

/** Input rules of alarm rules (guide 8.2; Cloud Eye's Create Alarm Rule where the guide is silent). */

/** Period lengths (seconds) of the Avg./Max./Min./Sum statistics: 5 minutes, 20 minutes, 1 hour, 4 hours, 1 day. */
export const AGGREGATE_PERIODS = [300, 1200, 3600, 14400, 86400] as const;
/** The Raw data statistic's only period: 1 minute. */
export const RAW_PERIOD = 60;
/** Threshold range: every metric of guide 8.1 is a count, rate or time, never negative. */
export const THRESHOLD_MAX = 1_000_000_000_000;
/** Longest webhook URL accepted. */
export const WEBHOOK_URL_MAX = 2048;

const statisticSchema = z.enum(["RAW", "AVG", "MAX", "MIN", "SUM"], { error: "Statistic: choose Raw data, Avg., Max., Min. or Sum" });

/** Notification: an http:// or https:// URL receiving a JSON POST, or null/"" for none. */
export const webhookUrlSchema = withoutControlCharacters(z.string({ error: "Notification URL: enter an http:// or https:// URL" }).trim().max(WEBHOOK_URL_MAX, `Notification URL: can contain at most ${WEBHOOK_URL_MAX} characters`), "Notification URL")
  .refine((value) => value === "" || isHttpUrl(value), "Notification URL: enter an http:// or https:// URL, such as https://hooks.example.com/elb")
  .transform((value) => (value === "" ? null : value))
  .nullable()
  .default(null);

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

/** The fields of Create Alarm Rule (and Modify, which sends them all again). */
const ruleFields = z.object({
  name: resourceNameSchema("Name"),
  description: resourceDescriptionSchema,
  resourceType: z.literal("ELB", { error: "Resource Type: choose Elastic Load Balance" }).default("ELB"),
  dimension: z.enum(["LOAD_BALANCER", "LISTENER"], { error: "Dimension: choose Enhanced Load Balancers or Listeners" }),
  loadBalancerId: idSchema("Monitored Object: select a load balancer"),
  listenerId: z.string().nullable().default(null),
  metric: z.enum(METRIC_IDS, { error: "Metric: choose a metric of the list" }),
  statistic: statisticSchema,
  periodSeconds: z.number({ error: "Period: choose a period" }),
  comparison: z.enum([">", ">=", "<", "<=", "="], { error: "Comparison: choose >, ≥, <, ≤ or =" }),
  threshold: z
    .number({ error: `Threshold: enter a number between 0 and ${THRESHOLD_MAX}` })
    .min(0, `Threshold: enter a number between 0 and ${THRESHOLD_MAX}`)
    .max(THRESHOLD_MAX, `Threshold: enter a number between 0 and ${THRESHOLD_MAX}`),
  consecutivePeriods: integerInRange("Consecutive Periods", 1, 5),
  severity: z.enum(["CRITICAL", "MAJOR", "MINOR", "INFORMATIONAL"], { error: "Alarm Severity: choose Critical, Major, Minor or Informational" }),
  enabled: z.boolean({ error: "Enabled: on or off" }).default(true),
  webhookUrl: webhookUrlSchema,
});

/** Rules between fields: the listener for the Listeners dimension, the metric's objects, the statistic's periods. */
function checkCombination(input: z.output<typeof ruleFields>, ctx: z.RefinementCtx) {
  if (input.dimension === "LISTENER" && !input.listenerId) ctx.addIssue({ code: "custom", path: ["listenerId"], message: "Monitored Object: select a listener" });
  if (input.dimension === "LOAD_BALANCER" && input.listenerId) ctx.addIssue({ code: "custom", path: ["listenerId"], message: "Monitored Object: a load balancer rule has no listener" });
  const metric = metricDefinition(input.metric);
  if (!metric.objects.includes(input.dimension)) ctx.addIssue({ code: "custom", path: ["metric"], message: `Metric: ${metric.name} is measured for load balancers only; choose the Enhanced Load Balancers dimension` });
  if (input.statistic === "RAW" && input.periodSeconds !== RAW_PERIOD) ctx.addIssue({ code: "custom", path: ["periodSeconds"], message: "Period: Raw data has a period of 1 minute" });
  if (input.statistic !== "RAW" && !(AGGREGATE_PERIODS as readonly number[]).includes(input.periodSeconds))
    ctx.addIssue({ code: "custom", path: ["periodSeconds"], message: "Period: choose 5 minutes, 20 minutes, 1 hour, 4 hours or 1 day" });
}

/** Create Alarm Rule. */
export const createAlarmRuleSchema = ruleFields.superRefine(checkCombination);
export type CreateAlarmRuleInput = z.input<typeof createAlarmRuleSchema>;
/** A parsed rule definition (create or modify). */
export type AlarmRuleDefinition = z.output<typeof createAlarmRuleSchema>;

/** Modify Alarm Rule: the rule's id and every field again. */
export const updateAlarmRuleSchema = ruleFields.extend({ id: idSchema("Alarm rule: select an alarm rule") }).superRefine(checkCombination);
export type UpdateAlarmRuleInput = z.input<typeof updateAlarmRuleSchema>;

/** One alarm rule by id. */
export const alarmRuleIdSchema = z.object({ id: idSchema("Alarm rule: select an alarm rule") });

/** Enable or Disable. */
export const setAlarmRuleEnabledSchema = z.object({ id: idSchema("Alarm rule: select an alarm rule"), enabled: z.boolean({ error: "Enabled: on or off" }) });
