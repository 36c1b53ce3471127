import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners, loadBalancers, type MetricObjectKind } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/** Checks that a monitored object (load balancer, or listener through its load balancer) is in the project; 404 otherwise. */
export async function requireMetricObject(db: Database, scope: Scope, objectKind: MetricObjectKind, objectId: string): Promise<void> {
  const found =
    objectKind === "LOAD_BALANCER"
      ? await db.select({ id: loadBalancers.id }).from(loadBalancers).where(and(eq(loadBalancers.id, objectId), loadBalancerInScope(scope)))
      : await db
          .select({ id: listeners.id })
          .from(listeners)
          .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId))
          .where(and(eq(listeners.id, objectId), loadBalancerInScope(scope)));
  if (found.length === 0) throw new AppError("NOT_FOUND", objectKind === "LOAD_BALANCER" ? "Load balancer not found" : "Listener: not found (it may have been deleted)", "objectId");
}
