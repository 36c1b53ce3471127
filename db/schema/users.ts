import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn } from "./ids";

/** Console role: administrator (everything) or read-only (sees everything, changes nothing). */
export type UserRole = "admin" | "readonly";

/** A console user; passwords are stored as scrypt hashes. */
export const users = pgTable(
  "users",
  {
    id: idColumn(),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<UserRole>().notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("users_username_uq").on(t.username)],
);
