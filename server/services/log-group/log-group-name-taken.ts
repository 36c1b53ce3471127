import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { logGroups } from "@/db/schema";
import { AppError } from "../../errors";

/** Refuses a log group name already used in the project (other than by `exceptId`); the unique index backs it up. */
export async function refuseTakenLogGroupName(db: Database, projectId: string, name: string, exceptId?: string): Promise<void> {
  const clauses = [eq(logGroups.projectId, projectId), eq(logGroups.name, name)];
  if (exceptId) clauses.push(ne(logGroups.id, exceptId));
  const [taken] = await db.select({ id: logGroups.id }).from(logGroups).where(and(...clauses)).limit(1);
  if (taken) throw new AppError("CONFLICT", `Log Group Name: ${name} is already used by another log group of this project`, "name");
}
