import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { logGroups, logStreams } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";

/** Loads a log stream of the current project with its group, locking the stream's row; 404 naming `field` otherwise. */
export async function requireLogStream(db: Database, scope: Scope, id: string, field = "id") {
  const [found] = await db
    .select({ stream: logStreams, group: logGroups })
    .from(logStreams)
    .innerJoin(logGroups, eq(logGroups.id, logStreams.groupId))
    .where(and(eq(logStreams.id, id), eq(logGroups.projectId, scope.projectId)))
    .for("update", { of: logStreams });
  if (!found) throw new AppError("NOT_FOUND", "Log Stream: not found (it may have been deleted)", field);
  return found;
}
