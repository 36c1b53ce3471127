import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "../../errors";

/**
 * Loads a user and counts the administrators, locking every administrator row (and the user's): "never the
 * last administrator" must hold even when two administrators are removed at the same time.
 */
export async function lockUser(db: Database, id: string) {
  const admins = await db.select({ id: users.id }).from(users).where(eq(users.role, "admin")).for("update");
  const [user] = await db.select().from(users).where(eq(users.id, id)).for("update");
  if (!user) throw new AppError("NOT_FOUND", "User: not found", "id");
  return { user, adminCount: admins.length };
}
