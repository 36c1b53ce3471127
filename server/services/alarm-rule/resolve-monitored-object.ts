import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners, loadBalancers } from "@/db/schema";
import { metricDefinition } from "../../metrics/metric-catalog";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";
import type { AlarmRuleDefinition } from "./alarm-rule.schemas";

const LAYER7: readonly string[] = ["HTTP", "HTTPS"];

/**
 * The monitored object of a rule definition, checked: the load balancer is in the caller's scope, the
 * listener (Listeners dimension) is one of its listeners, and a layer-7 metric is chosen only for an
 * HTTP/HTTPS listener or a load balancer that has one. Returns the name saved with the rule.
 */
export async function resolveMonitoredObject(db: Database, scope: Scope, input: AlarmRuleDefinition): Promise<{ objectName: string }> {
  const [lb] = await db
    .select({ id: loadBalancers.id, name: loadBalancers.name })
    .from(loadBalancers)
    .where(and(eq(loadBalancers.id, input.loadBalancerId), loadBalancerInScope(scope)));
  if (!lb) throw new AppError("NOT_FOUND", "Monitored Object: load balancer not found (it may have been deleted)", "loadBalancerId");
  const metric = metricDefinition(input.metric);
  if (input.dimension === "LISTENER") {
    const [listener] = await db
      .select({ name: listeners.name, protocol: listeners.protocol })
      .from(listeners)
      .where(and(eq(listeners.id, input.listenerId!), eq(listeners.loadBalancerId, lb.id)));
    if (!listener) throw new AppError("NOT_FOUND", `Monitored Object: listener not found on load balancer ${lb.name}`, "listenerId");
    if (metric.layer7 && !LAYER7.includes(listener.protocol))
      throw new AppError("BAD_REQUEST", `Metric: ${metric.name} is measured for HTTP and HTTPS listeners only; ${listener.name} is ${listener.protocol}`, "metric");
    return { objectName: listener.name };
  }
  if (metric.layer7) {
    const [l7] = await db
      .select({ id: listeners.id })
      .from(listeners)
      .where(and(eq(listeners.loadBalancerId, lb.id), inArray(listeners.protocol, ["HTTP", "HTTPS"])))
      .limit(1);
    if (!l7) throw new AppError("BAD_REQUEST", `Metric: ${metric.name} is measured for HTTP and HTTPS listeners only; ${lb.name} has none`, "metric");
  }
  return { objectName: lb.name };
}
