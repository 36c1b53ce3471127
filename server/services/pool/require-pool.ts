import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { pools } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { requireLoadBalancer } from "../load-balancer/require-load-balancer";

/**
 * Loads a backend server group of the current project for a change. Locks its load balancer's row first:
 * every change to a load balancer's listeners, groups, servers and health checks holds that lock, so
 * checks such as "port free" or "group unassociated" cannot race.
 */
export async function requirePool(db: Database, scope: Scope, id: string, field = "id") {
  const notFound = () => new AppError("NOT_FOUND", "Backend Server Group: not found (it may have been deleted)", field);
  const [found] = await db.select({ loadBalancerId: pools.loadBalancerId }).from(pools).where(eq(pools.id, id));
  if (!found) throw notFound();
  const lb = await requireLoadBalancer(db, scope, found.loadBalancerId).catch(() => {
    throw notFound();
  });
  const [pool] = await db.select().from(pools).where(eq(pools.id, id)).for("update");
  if (!pool) throw notFound();
  return { pool, lb };
}
