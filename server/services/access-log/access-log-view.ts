import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers, logGroups, logStreams } from "@/db/schema";
import type { Scope } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/**
 * A load balancer's access log settings as its Access Logs tab shows them. `id`/`name` are the load
 * balancer's (the traced resource of "create access log" is the load balancer's access log).
 */
export interface AccessLogView {
  id: string;
  name: string;
  enabled: boolean;
  logGroup: { id: string; name: string; retentionDays: number } | null;
  logStream: { id: string; name: string } | null;
}

/** The access log settings of a load balancer of the current project, or null when there is no such load balancer. */
export async function getAccessLogView(db: Database, scope: Scope, loadBalancerId: string): Promise<AccessLogView | null> {
  const [row] = await db
    .select({ lb: { id: loadBalancers.id, name: loadBalancers.name, enabled: loadBalancers.accessLogEnabled }, stream: { id: logStreams.id, name: logStreams.name }, group: { id: logGroups.id, name: logGroups.name, retentionDays: logGroups.retentionDays } })
    .from(loadBalancers)
    .leftJoin(logStreams, eq(logStreams.id, loadBalancers.accessLogStreamId))
    .leftJoin(logGroups, eq(logGroups.id, logStreams.groupId))
    .where(and(eq(loadBalancers.id, loadBalancerId), loadBalancerInScope(scope)));
  if (!row) return null;
  return { id: row.lb.id, name: row.lb.name, enabled: row.lb.enabled, logGroup: row.group, logStream: row.stream };
}
