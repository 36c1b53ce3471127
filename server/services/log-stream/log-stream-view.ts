import "server-only";
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers, logGroups, logStreams, type SyslogProtocol } from "@/db/schema";
import type { Scope } from "../context";

/** A log stream as its group's page lists it; its id is table 7-1's access_log_topic_id. */
export interface LogStreamView {
  id: string;
  groupId: string;
  groupName: string;
  name: string;
  /** Syslog forwarding, or null when the records stay in files only. */
  syslog: { protocol: SyslogProtocol; host: string; port: number } | null;
  /** Load balancers whose access log points at this stream (enabled or not). */
  loadBalancers: { id: string; name: string; accessLogEnabled: boolean }[];
  createdAt: Date;
  updatedAt: Date;
}

/** Log streams of the current project by group and/or id, by name. */
export async function queryLogStreamViews(db: Database, scope: Scope, filter: { groupId?: string; id?: string }): Promise<LogStreamView[]> {
  const clauses: SQL[] = [eq(logGroups.projectId, scope.projectId)];
  if (filter.groupId) clauses.push(eq(logStreams.groupId, filter.groupId));
  if (filter.id) clauses.push(eq(logStreams.id, filter.id));
  const rows = await db
    .select({ stream: logStreams, groupName: logGroups.name })
    .from(logStreams)
    .innerJoin(logGroups, eq(logGroups.id, logStreams.groupId))
    .where(and(...clauses))
    .orderBy(asc(logStreams.name), asc(logStreams.id));
  if (rows.length === 0) return [];
  const users = await db
    .select({ id: loadBalancers.id, name: loadBalancers.name, accessLogEnabled: loadBalancers.accessLogEnabled, streamId: loadBalancers.accessLogStreamId })
    .from(loadBalancers)
    .where(inArray(loadBalancers.accessLogStreamId, rows.map((r) => r.stream.id)))
    .orderBy(asc(loadBalancers.name));
  return rows.map(({ stream, groupName }) => ({
    id: stream.id,
    groupId: stream.groupId,
    groupName,
    name: stream.name,
    syslog:
      stream.syslogProtocol && stream.syslogHost && stream.syslogPort
        ? { protocol: stream.syslogProtocol, host: stream.syslogHost, port: stream.syslogPort }
        : null,
    loadBalancers: users.filter((u) => u.streamId === stream.id).map(({ id, name, accessLogEnabled }) => ({ id, name, accessLogEnabled })),
    createdAt: stream.createdAt,
    updatedAt: stream.updatedAt,
  }));
}

/** One log stream view by id within the scope, or null. */
export async function getLogStreamView(db: Database, scope: Scope, id: string): Promise<LogStreamView | null> {
  return (await queryLogStreamViews(db, scope, { id }))[0] ?? null;
}
