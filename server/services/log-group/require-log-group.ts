import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { logGroups } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";

/** Loads a log group of the current project, locking its row for the transaction; 404 naming `field` otherwise. */
export async function requireLogGroup(db: Database, scope: Scope, id: string, field = "id") {
  const [group] = await db
    .select()
    .from(logGroups)
    .where(and(eq(logGroups.id, id), eq(logGroups.projectId, scope.projectId)))
    .for("update");
  if (!group) throw new AppError("NOT_FOUND", "Log Group: not found (it may have been deleted)", field);
  return group;
}
