import "server-only";
import { asc, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers } from "@/db/schema";
import { AppError } from "../../errors";

/**
 * Refuses deleting log streams a load balancer's access log points at (enabled or not: the setting keeps
 * its stream), naming those load balancers. `what` starts the message ("Log stream s1", "Log group g1").
 */
export async function refuseStreamsInUse(db: Database, streamIds: string[], what: string): Promise<void> {
  if (streamIds.length === 0) return;
  const users = await db
    .select({ name: loadBalancers.name })
    .from(loadBalancers)
    .where(inArray(loadBalancers.accessLogStreamId, streamIds))
    .orderBy(asc(loadBalancers.name));
  if (users.length === 0) return;
  const names = users.map((u) => u.name).join(", ");
  throw new AppError(
    "PRECONDITION_FAILED",
    `${what} is used by the access logging of load balancer${users.length > 1 ? "s" : ""} ${names}; select another log stream there (Configure Access Log) first`,
    "id",
  );
}
