import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/** Loads a load balancer of the current project, locking its row for the transaction; 404 otherwise. */
export async function requireLoadBalancer(db: Database, scope: Scope, id: string) {
  const [lb] = await db
    .select()
    .from(loadBalancers)
    .where(and(eq(loadBalancers.id, id), loadBalancerInScope(scope)))
    .for("update");
  if (!lb) throw new AppError("NOT_FOUND", "Load balancer not found");
  return lb;
}
