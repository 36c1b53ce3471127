import "server-only";
import { and, eq, type SQL } from "drizzle-orm";
import { loadBalancers } from "@/db/schema";
import type { Scope } from "../context";

/**
 * WHERE clause: the load balancer belongs to the caller's region AND enterprise project. Every lookup of a
 * load balancer, or of anything hanging off one (listener, group, backend server, health check), uses it.
 */
export function loadBalancerInScope(scope: Scope): SQL {
  return and(eq(loadBalancers.regionId, scope.regionId), eq(loadBalancers.projectId, scope.projectId))!;
}
