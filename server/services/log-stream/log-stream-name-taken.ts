import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { logStreams } from "@/db/schema";
import { AppError } from "../../errors";

/** Refuses a log stream name already used in the group (other than by `exceptId`); the unique index backs it up. */
export async function refuseTakenLogStreamName(db: Database, group: { id: string; name: string }, name: string, exceptId?: string): Promise<void> {
  const clauses = [eq(logStreams.groupId, group.id), eq(logStreams.name, name)];
  if (exceptId) clauses.push(ne(logStreams.id, exceptId));
  const [taken] = await db.select({ id: logStreams.id }).from(logStreams).where(and(...clauses)).limit(1);
  if (taken) throw new AppError("CONFLICT", `Log Stream Name: ${name} is already used by another log stream of log group ${group.name}`, "name");
}
