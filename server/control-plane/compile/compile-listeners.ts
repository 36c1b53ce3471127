import "server-only";
import type { SnapshotListener } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";
import { byId } from "./sort-by-id";

type ListenerRow = ConfigRows["listeners"][number];

/**
 * Compiles listeners, in id order. Each binds on its load balancer's private IP and, when one is bound,
 * its EIP. A listener is left out, with a diagnostic, when its load balancer is missing, its port is not
 * 1–65535, or its default backend server group is missing or belongs to another load balancer (the
 * engine would otherwise forward into someone else's group).
 */
export function compileListeners(rows: ConfigRows, report: ReportDiagnostic): SnapshotListener[] {
  const lbById = new Map(rows.loadBalancers.map((lb) => [lb.id, lb]));
  const poolById = new Map(rows.pools.map((p) => [p.id, p]));
  const eipByLb = new Map(rows.eips.flatMap((e) => (e.loadBalancerId ? [[e.loadBalancerId, e.address] as const] : [])));
  const compiled: SnapshotListener[] = [];
  for (const l of [...rows.listeners].sort(byId)) {
    const problem = listenerProblem(l, lbById.has(l.loadBalancerId), l.defaultPoolId === null ? null : poolById.get(l.defaultPoolId));
    if (problem) {
      report({ kind: "listener", id: l.id, name: l.name, message: `${problem}; the listener is left out of the engine's configuration` });
      continue;
    }
    const lb = lbById.get(l.loadBalancerId)!;
    const eip = eipByLb.get(lb.id);
    compiled.push({
      id: l.id,
      name: l.name,
      loadBalancerId: lb.id,
      protocol: l.protocol,
      port: l.port,
      bindAddresses: eip ? [lb.privateIp, eip] : [lb.privateIp],
      defaultPoolId: l.defaultPoolId,
      idleTimeoutSeconds: l.idleTimeoutSeconds,
    });
  }
  return compiled;
}

/** Why a listener cannot be compiled, or null. `pool` is undefined when its default group is missing, null when it has none. */
function listenerProblem(l: ListenerRow, hasLoadBalancer: boolean, pool: ConfigRows["pools"][number] | null | undefined): string | null {
  if (!hasLoadBalancer) return `its load balancer ${l.loadBalancerId} does not exist`;
  if (!Number.isInteger(l.port) || l.port < 1 || l.port > 65535) return `its frontend port ${l.port} is not between 1 and 65535`;
  if (pool === undefined) return `its backend server group ${l.defaultPoolId} does not exist`;
  if (pool && pool.loadBalancerId !== l.loadBalancerId)
    return `its backend server group ${pool.name} belongs to another load balancer (${pool.loadBalancerId})`;
  return null;
}
