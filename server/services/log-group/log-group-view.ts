import "server-only";
import { and, asc, count, eq, inArray, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { logGroups, logStreams } from "@/db/schema";
import type { Scope } from "../context";

/** A log group as the Log Management page lists it. */
export interface LogGroupView {
  id: string;
  name: string;
  retentionDays: number;
  maxSizeMegabytes: number;
  /** How many log streams the group has. */
  streamCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Log groups of the current project (optionally one by id), by name. */
export async function queryLogGroupViews(db: Database, scope: Scope, filter: { id?: string } = {}): Promise<LogGroupView[]> {
  const clauses: SQL[] = [eq(logGroups.projectId, scope.projectId)];
  if (filter.id) clauses.push(eq(logGroups.id, filter.id));
  const groups = await db.select().from(logGroups).where(and(...clauses)).orderBy(asc(logGroups.name), asc(logGroups.id));
  if (groups.length === 0) return [];
  const counts = await db
    .select({ groupId: logStreams.groupId, n: count() })
    .from(logStreams)
    .where(inArray(logStreams.groupId, groups.map((g) => g.id)))
    .groupBy(logStreams.groupId);
  const countOf = new Map(counts.map((c) => [c.groupId, c.n]));
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    retentionDays: g.retentionDays,
    maxSizeMegabytes: g.maxSizeMegabytes,
    streamCount: countOf.get(g.id) ?? 0,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  }));
}

/** One log group view by id within the scope, or null. */
export async function getLogGroupView(db: Database, scope: Scope, id: string): Promise<LogGroupView | null> {
  return (await queryLogGroupViews(db, scope, { id }))[0] ?? null;
}
