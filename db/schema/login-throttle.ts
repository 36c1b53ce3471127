import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** What a log-in throttle row counts failures for: one user name, or one source address. */
export type LoginThrottleScope = "user" | "address";

/**
 * Failed log-in bookkeeping, kept in the database so a console restart does not reset it. One row per
 * user name (consecutive failures → growing delay) and per source address (failures in a window → limit).
 */
export const loginThrottle = pgTable(
  "login_throttle",
  {
    scope: text("scope").$type<LoginThrottleScope>().notNull(),
    key: text("key").notNull(),
    failures: integer("failures").notNull(),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
    lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("login_throttle_last_failure_idx").on(t.lastFailureAt)],
);
