import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { projects } from "./projects";

/** Dimension of an alarm rule (guide 8.2): "Enhanced Load Balancers" or "Listeners". */
export type AlarmDimension = "LOAD_BALANCER" | "LISTENER";
/** How the points of one period are combined. RAW = the 1-minute point itself (period 60 s). */
export type AlarmStatistic = "RAW" | "AVG" | "MAX" | "MIN" | "SUM";
export type AlarmComparison = ">" | ">=" | "<" | "<=" | "=";
export type AlarmSeverity = "CRITICAL" | "MAJOR" | "MINOR" | "INFORMATIONAL";
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/**
 * An alarm rule on one metric of one load balancer or listener. The monitored object is referenced by id
 * without a foreign key, with its name copied: deleting the load balancer keeps the rule (guide 8.3's
 * note), which is then shown as orphaned.
 */
export const alarmRules = pgTable(
  "alarm_rules",
  {
    id: idColumn(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Always "ELB" (Elastic Load Balance) today. */
    resourceType: text("resource_type").notNull().default("ELB"),
    dimension: text("dimension").$type<AlarmDimension>().notNull(),
    loadBalancerId: text("load_balancer_id").notNull(),
    /** Set for the LISTENER dimension. */
    listenerId: text("listener_id"),
    /** Name of the monitored object when the rule was saved (shown once the object is gone). */
    objectName: text("object_name").notNull(),
    /** Metric id of guide 8.1 (a column of metric_points). */
    metric: text("metric").notNull(),
    statistic: text("statistic").$type<AlarmStatistic>().notNull(),
    /** Length of one period in seconds (60 for RAW). */
    periodSeconds: integer("period_seconds").notNull(),
    comparison: text("comparison").$type<AlarmComparison>().notNull(),
    threshold: doublePrecision("threshold").notNull(),
    consecutivePeriods: integer("consecutive_periods").notNull(),
    severity: text("severity").$type<AlarmSeverity>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Notification: a webhook receiving a JSON POST on every state change; null = none. */
    webhookUrl: text("webhook_url"),
    state: text("state").$type<AlarmState>().notNull().default("INSUFFICIENT_DATA"),
    stateChangedAt: timestamp("state_changed_at", { withTimezone: true }),
    lastEvaluatedAt: timestamp("last_evaluated_at", { withTimezone: true }),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [index("alarm_rules_project_idx").on(t.projectId), index("alarm_rules_lb_idx").on(t.loadBalancerId)],
);

/** A state transition of an alarm rule. */
export const alarmHistory = pgTable(
  "alarm_history",
  {
    id: idColumn(),
    ruleId: text("rule_id")
      .notNull()
      .references(() => alarmRules.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    fromState: text("from_state").$type<AlarmState>().notNull(),
    toState: text("to_state").$type<AlarmState>().notNull(),
    /** The statistic's value of the last period evaluated (null when there was no data). */
    value: doublePrecision("value"),
    reason: text("reason").notNull(),
  },
  (t) => [index("alarm_history_rule_idx").on(t.ruleId, t.at)],
);

/** Delivery of one notification (a JSON POST to the rule's webhook) for one transition, with retries. */
export const alarmNotifications = pgTable(
  "alarm_notifications",
  {
    id: idColumn(),
    ruleId: text("rule_id")
      .notNull()
      .references(() => alarmRules.id, { onDelete: "cascade" }),
    historyId: text("history_id")
      .notNull()
      .references(() => alarmHistory.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    /** The JSON body sent. */
    payload: jsonb("payload").notNull(),
    status: text("status").$type<"PENDING" | "DELIVERED" | "FAILED">().notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    /** HTTP status of the last attempt (null: no answer). */
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAtColumn(),
  },
  (t) => [index("alarm_notifications_rule_idx").on(t.ruleId, t.createdAt), index("alarm_notifications_due_idx").on(t.status, t.nextAttemptAt)],
);
