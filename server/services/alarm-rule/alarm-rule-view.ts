import "server-only";
import { and, asc, eq, isNull, or, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { alarmRules, listeners, loadBalancers, type ListenerProtocol } from "@/db/schema";
import type { Scope } from "../context";

/** An alarm rule as the Alarm Rules list and its details show it. */
export type AlarmRuleView = typeof alarmRules.$inferSelect & {
  /**
   * The monitored object as it is now: its current name and (listeners) protocol, or orphaned when the
   * load balancer or listener was deleted (the rule is kept, as the guide notes; `objectName` is the name saved).
   */
  object: { orphaned: false; name: string; loadBalancerName: string; protocol: ListenerProtocol | null } | { orphaned: true };
};

/**
 * The rules of the caller's project whose object is in the caller's region, plus orphaned ones (their
 * region is gone with the object), by name. `id` narrows to one rule.
 */
export async function queryAlarmRuleViews(db: Database, scope: Scope, filter: { id?: string } = {}): Promise<AlarmRuleView[]> {
  const clauses: (SQL | undefined)[] = [eq(alarmRules.projectId, scope.projectId), or(isNull(loadBalancers.id), eq(loadBalancers.regionId, scope.regionId))];
  if (filter.id) clauses.push(eq(alarmRules.id, filter.id));
  const rows = await db
    .select({ rule: alarmRules, lb: { name: loadBalancers.name }, listener: { name: listeners.name, protocol: listeners.protocol } })
    .from(alarmRules)
    .leftJoin(loadBalancers, eq(loadBalancers.id, alarmRules.loadBalancerId))
    .leftJoin(listeners, and(eq(listeners.id, alarmRules.listenerId), eq(listeners.loadBalancerId, alarmRules.loadBalancerId)))
    .where(and(...clauses))
    .orderBy(asc(alarmRules.name), asc(alarmRules.id));
  return rows.map(({ rule, lb, listener }) => ({ ...rule, object: objectOf(rule, lb, listener) }));
}

function objectOf(rule: typeof alarmRules.$inferSelect, lb: { name: string } | null, listener: { name: string; protocol: ListenerProtocol } | null): AlarmRuleView["object"] {
  if (!lb) return { orphaned: true };
  if (rule.dimension === "LOAD_BALANCER") return { orphaned: false, name: lb.name, loadBalancerName: lb.name, protocol: null };
  if (!listener) return { orphaned: true };
  return { orphaned: false, name: listener.name, loadBalancerName: lb.name, protocol: listener.protocol };
}

/** One alarm rule view by id within the scope, or null. */
export async function getAlarmRuleView(db: Database, scope: Scope, id: string): Promise<AlarmRuleView | null> {
  return (await queryAlarmRuleViews(db, scope, { id }))[0] ?? null;
}

