import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./ids";
import { users } from "./users";

/** A signed-in browser session; `id` is the sha256 of the cookie token (the token itself is never stored). */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);
