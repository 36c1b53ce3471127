import "server-only";
import { asc, eq } from "drizzle-orm";
import { listeners, loadBalancers, type ListenerProtocol } from "@/db/schema";
import type { ServiceContext } from "../context";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/** A load balancer the Create Alarm Rule form offers, with its listeners (for the Listeners dimension). */
export interface MonitoredLoadBalancer {
  id: string;
  name: string;
  /** Whether it has an HTTP/HTTPS listener (its layer-7 metrics exist). */
  layer7: boolean;
  listeners: { id: string; name: string; protocol: ListenerProtocol; port: number }[];
}

/** The load balancers of the caller's scope and their listeners, by name. */
export async function listMonitoredObjects(ctx: ServiceContext): Promise<MonitoredLoadBalancer[]> {
  const rows = await ctx.db
    .select({ lb: { id: loadBalancers.id, name: loadBalancers.name }, listener: { id: listeners.id, name: listeners.name, protocol: listeners.protocol, port: listeners.port } })
    .from(loadBalancers)
    .leftJoin(listeners, eq(listeners.loadBalancerId, loadBalancers.id))
    .where(loadBalancerInScope(ctx.scope))
    .orderBy(asc(loadBalancers.name), asc(loadBalancers.id), asc(listeners.port));
  const byId = new Map<string, MonitoredLoadBalancer>();
  for (const { lb, listener } of rows) {
    let entry = byId.get(lb.id);
    if (!entry) byId.set(lb.id, (entry = { ...lb, layer7: false, listeners: [] }));
    if (listener) {
      entry.listeners.push(listener);
      if (listener.protocol === "HTTP" || listener.protocol === "HTTPS") entry.layer7 = true;
    }
  }
  return [...byId.values()];
}
