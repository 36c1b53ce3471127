import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { forwardingPolicies, listeners } from "@/db/schema";

/** A forwarding policy that sends requests to a backend server group, with its listener's name. */
export interface PolicyUsingPool {
  name: string;
  listener: string;
}

/**
 * One forwarding policy sending requests to `poolId` (ignoring the policies of `exceptListenerId`), or
 * undefined when there is none: what "group in use" refusals name.
 */
export async function policyUsingPool(tx: Database, poolId: string, exceptListenerId?: string): Promise<PolicyUsingPool | undefined> {
  const [policy] = await tx
    .select({ name: forwardingPolicies.name, listener: listeners.name })
    .from(forwardingPolicies)
    .innerJoin(listeners, eq(listeners.id, forwardingPolicies.listenerId))
    .where(and(eq(forwardingPolicies.poolId, poolId), exceptListenerId === undefined ? undefined : ne(forwardingPolicies.listenerId, exceptListenerId)))
    .limit(1);
  return policy;
}
