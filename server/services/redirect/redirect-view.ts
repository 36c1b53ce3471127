import "server-only";
import { and, asc, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import { listeners, loadBalancers, redirects, type ListenerProtocol } from "@/db/schema";
import type { Scope } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/**
 * A redirect as the Redirects tab shows it. `action` is how the API models it (an l7policy redirecting to
 * a listener), so the audit trace of a "forwarding policy" call says what it did.
 */
export interface RedirectView {
  id: string;
  listenerId: string;
  name: string;
  description: string;
  action: "REDIRECT_TO_LISTENER";
  /** Redirected To: the HTTPS listener. */
  targetListener: { id: string; name: string; protocol: ListenerProtocol; port: number };
  createdAt: Date;
  updatedAt: Date;
}

const target = alias(listeners, "target_listener");

/** Loads redirect views of the current project by listener and/or id, oldest first. */
export async function queryRedirectViews(db: Database, scope: Scope, filter: { listenerId?: string; id?: string }): Promise<RedirectView[]> {
  const clauses: SQL[] = [loadBalancerInScope(scope)];
  if (filter.listenerId) clauses.push(eq(redirects.listenerId, filter.listenerId));
  if (filter.id) clauses.push(eq(redirects.id, filter.id));
  const rows = await db
    .select({ redirect: redirects, target: { id: target.id, name: target.name, protocol: target.protocol, port: target.port } })
    .from(redirects)
    .innerJoin(listeners, eq(listeners.id, redirects.listenerId))
    .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId))
    .innerJoin(target, eq(target.id, redirects.targetListenerId))
    .where(and(...clauses))
    .orderBy(asc(redirects.createdAt), asc(redirects.id));
  return rows.map(({ redirect, target }) => ({
    id: redirect.id,
    listenerId: redirect.listenerId,
    name: redirect.name,
    description: redirect.description,
    action: "REDIRECT_TO_LISTENER",
    targetListener: target,
    createdAt: redirect.createdAt,
    updatedAt: redirect.updatedAt,
  }));
}

/** One redirect view by id within the scope, or null. */
export async function getRedirectView(db: Database, scope: Scope, id: string): Promise<RedirectView | null> {
  return (await queryRedirectViews(db, scope, { id }))[0] ?? null;
}
