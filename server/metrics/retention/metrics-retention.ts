import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { settings } from "@/db/schema";

/** The settings key holding the metric retention. */
export const METRICS_RETENTION_KEY = "metrics.retention";

/** How long metric points are kept, per resolution, in days. */
export interface MetricsRetention {
  /** 1-minute points. Default 7 days. */
  rawDays: number;
  /** 5-minute roll-ups. Default 31 days. */
  fiveMinuteDays: number;
  /** 1-hour roll-ups. Default 400 days. */
  hourDays: number;
}

/** Retention when the administrator has not changed it. */
export const DEFAULT_METRICS_RETENTION: MetricsRetention = { rawDays: 7, fiveMinuteDays: 31, hourDays: 400 };

/** Allowed ranges in days (coarser points must be kept at least as long as finer ones). */
export const RETENTION_LIMITS = { rawDays: [1, 31], fiveMinuteDays: [1, 186], hourDays: [1, 1830] } as const;

const days = (label: string, [min, max]: readonly [number, number]) =>
  z
    .number({ message: `${label}: enter a whole number of days between ${min} and ${max}` })
    .int(`${label}: enter a whole number of days between ${min} and ${max}`)
    .min(min, `${label}: enter a whole number of days between ${min} and ${max}`)
    .max(max, `${label}: enter a whole number of days between ${min} and ${max}`);

/** The retention as the Settings form sends it: each field in its range, coarser ≥ finer. */
export const metricsRetentionSchema = z
  .object({
    rawDays: days("1-minute points", RETENTION_LIMITS.rawDays),
    fiveMinuteDays: days("5-minute points", RETENTION_LIMITS.fiveMinuteDays),
    hourDays: days("1-hour points", RETENTION_LIMITS.hourDays),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.fiveMinuteDays < r.rawDays) ctx.addIssue({ code: "custom", path: ["fiveMinuteDays"], message: `5-minute points: keep them at least as long as 1-minute points (${r.rawDays} days)` });
    if (r.hourDays < r.fiveMinuteDays) ctx.addIssue({ code: "custom", path: ["hourDays"], message: `1-hour points: keep them at least as long as 5-minute points (${r.fiveMinuteDays} days)` });
  });

/** The stored retention, or the defaults (a stored value that no longer validates counts as absent). */
export async function readMetricsRetention(db: Database): Promise<MetricsRetention> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, METRICS_RETENTION_KEY));
  const parsed = metricsRetentionSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : { ...DEFAULT_METRICS_RETENTION };
}

/** Stores the retention (validated by the caller). */
export async function writeMetricsRetention(db: Database, retention: MetricsRetention): Promise<void> {
  await db.insert(settings).values({ key: METRICS_RETENTION_KEY, value: retention }).onConflictDoUpdate({ target: settings.key, set: { value: retention } });
}
