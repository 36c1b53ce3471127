import { jsonb, pgTable, text } from "drizzle-orm/pg-core";

/** Key/value console settings the administrator can change (e.g. the snapshot version counter). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
});
