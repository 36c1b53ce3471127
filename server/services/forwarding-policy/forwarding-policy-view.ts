import "server-only";
import { and, asc, eq, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { forwardingPolicies, listeners, loadBalancers, pools, type UrlMatchRule } from "@/db/schema";
import type { Scope } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/**
 * A forwarding policy as the Forwarding Policies tab shows it. `action` is how the API models it (an
 * l7policy forwarding to a backend server group), so its audit trace says what it does.
 */
export interface ForwardingPolicyView {
  id: string;
  listenerId: string;
  name: string;
  description: string;
  action: "REDIRECT_TO_POOL";
  /** null = any host. */
  domainName: string | null;
  /** null = any path. */
  url: string | null;
  urlMatchRule: UrlMatchRule;
  /** The backend server group requests that match go to. */
  pool: { id: string; name: string };
  /** Creation order within the listener (regular expressions are tried in it). */
  position: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Loads forwarding policy views of the current project by listener and/or id, in creation order. */
export async function queryForwardingPolicyViews(db: Database, scope: Scope, filter: { listenerId?: string; id?: string }): Promise<ForwardingPolicyView[]> {
  const clauses: SQL[] = [loadBalancerInScope(scope)];
  if (filter.listenerId) clauses.push(eq(forwardingPolicies.listenerId, filter.listenerId));
  if (filter.id) clauses.push(eq(forwardingPolicies.id, filter.id));
  const rows = await db
    .select({ policy: forwardingPolicies, pool: { id: pools.id, name: pools.name } })
    .from(forwardingPolicies)
    .innerJoin(listeners, eq(listeners.id, forwardingPolicies.listenerId))
    .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId))
    .innerJoin(pools, eq(pools.id, forwardingPolicies.poolId))
    .where(and(...clauses))
    .orderBy(asc(forwardingPolicies.listenerId), asc(forwardingPolicies.position));
  return rows.map(({ policy, pool }) => ({
    id: policy.id,
    listenerId: policy.listenerId,
    name: policy.name,
    description: policy.description,
    action: "REDIRECT_TO_POOL",
    domainName: policy.domainName,
    url: policy.url,
    urlMatchRule: policy.urlMatchRule,
    pool,
    position: policy.position,
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
  }));
}

/** One forwarding policy view by id within the scope, or null. */
export async function getForwardingPolicyView(db: Database, scope: Scope, id: string): Promise<ForwardingPolicyView | null> {
  return (await queryForwardingPolicyViews(db, scope, { id }))[0] ?? null;
}
