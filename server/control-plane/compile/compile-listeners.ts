import "server-only";
import type { SnapshotListener } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";
import { byId } from "./sort-by-id";
import { compileListenerTls, tlsLookups } from "./compile-listener-tls";
import { compileForwardingPolicies, compileRedirect, routingLookups } from "./compile-listener-routing";
import { compileListenerClientIp } from "./compile-listener-client-ip";
import { accessLogLookups, compileListenerAccessLog } from "./compile-listener-access-log";

type ListenerRow = ConfigRows["listeners"][number];

/**
 * Compiles listeners, in id order. Each binds on its load balancer's private IP and, when one is bound,
 * its EIP. A listener is left out, with a diagnostic, when its load balancer is missing, its port is not
 * 1–65535, its default backend server group is missing or belongs to another load balancer (the engine
 * would otherwise forward into someone else's group), or it is HTTPS and its certificates can't be used.
 * The optional parts appear only when they apply, in a fixed order (`tls` for HTTPS, `accessControl`
 * when enabled, `redirect`, `forwardingPolicies` when there are any, `clientIp` when not all defaults,
 * `accessLog` when its load balancer logs), so a listener without them compiles to the same bytes as before they existed and the snapshot hash
 * stays stable.
 */
export function compileListeners(rows: ConfigRows, report: ReportDiagnostic): SnapshotListener[] {
  const lbById = new Map(rows.loadBalancers.map((lb) => [lb.id, lb]));
  const poolById = new Map(rows.pools.map((p) => [p.id, p]));
  const eipByLb = new Map(rows.eips.flatMap((e) => (e.loadBalancerId ? [[e.loadBalancerId, e.address] as const] : [])));
  const tls = tlsLookups(rows);
  const routing = routingLookups(rows);
  const accessLogStreams = accessLogLookups(rows);
  const compiled: SnapshotListener[] = [];
  for (const l of [...rows.listeners].sort(byId)) {
    const leaveOut = (problem: string) => report({ kind: "listener", id: l.id, name: l.name, message: `${problem}; the listener is left out of the engine's configuration` });
    const lb = lbById.get(l.loadBalancerId);
    const problem = listenerProblem(l, lb !== undefined, l.defaultPoolId === null ? null : poolById.get(l.defaultPoolId));
    if (problem) {
      leaveOut(problem);
      continue;
    }
    const listenerTls = l.protocol === "HTTPS" ? compileListenerTls(l, lb!, tls, report) : null;
    if (listenerTls && "problem" in listenerTls) {
      leaveOut(listenerTls.problem);
      continue;
    }
    const eip = eipByLb.get(lb!.id);
    const listener: SnapshotListener = {
      id: l.id,
      name: l.name,
      loadBalancerId: lb!.id,
      protocol: l.protocol,
      port: l.port,
      bindAddresses: eip ? [lb!.privateIp, eip] : [lb!.privateIp],
      defaultPoolId: l.defaultPoolId,
      idleTimeoutSeconds: l.idleTimeoutSeconds,
    };
    if (listenerTls) listener.tls = listenerTls;
    if (l.accessControlEnabled) listener.accessControl = { whitelist: whitelistOf(l) };
    const redirect = compileRedirect(l, routing, report);
    if (redirect) listener.redirect = redirect;
    const policies = compileForwardingPolicies(l, routing, report);
    if (policies.length) listener.forwardingPolicies = policies;
    const clientIp = compileListenerClientIp(l, report);
    if (clientIp) listener.clientIp = clientIp;
    const accessLog = compileListenerAccessLog(l, lb!, eip ?? null, accessLogStreams, report);
    if (accessLog) listener.accessLog = accessLog;
    compiled.push(listener);
  }
  return compiled;
}

/** The stored whitelist as the engine gets it: the entries in the order entered (anything but strings dropped: enabled then admits fewer, never more). */
function whitelistOf(l: ListenerRow): string[] {
  return Array.isArray(l.accessControlWhitelist) ? l.accessControlWhitelist.filter((entry): entry is string => typeof entry === "string") : [];
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
