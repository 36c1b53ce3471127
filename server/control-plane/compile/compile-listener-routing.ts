import "server-only";
import { RE2JS } from "re2js";
import type { SnapshotForwardingPolicy, SnapshotRedirect } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";

type ListenerRow = ConfigRows["listeners"][number];
type PolicyRow = ConfigRows["forwardingPolicies"][number];

/** What the routing compiler needs: listeners and pools by id, redirects and policies by listener. */
export interface RoutingLookups {
  listenerById: ReadonlyMap<string, ListenerRow>;
  poolById: ReadonlyMap<string, ConfigRows["pools"][number]>;
  redirectByListener: ReadonlyMap<string, ConfigRows["redirects"][number]>;
  policiesByListener: ReadonlyMap<string, readonly PolicyRow[]>;
}

/** Indexes listeners, pools, redirects and forwarding policies once per snapshot (policies in position order). */
export function routingLookups(rows: ConfigRows): RoutingLookups {
  const policies = new Map<string, PolicyRow[]>();
  for (const p of rows.forwardingPolicies) policies.set(p.listenerId, [...(policies.get(p.listenerId) ?? []), p]);
  for (const list of policies.values()) list.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    listenerById: new Map(rows.listeners.map((l) => [l.id, l])),
    poolById: new Map(rows.pools.map((p) => [p.id, p])),
    redirectByListener: new Map(rows.redirects.map((r) => [r.listenerId, r])),
    policiesByListener: policies,
  };
}

/**
 * The redirect of an HTTP listener: the port of its target, an HTTPS listener of the same load balancer.
 * A redirect whose target is missing or not such a listener is dropped with a diagnostic (the listener
 * then serves its own configuration). null when there is none.
 */
export function compileRedirect(l: ListenerRow, lookups: RoutingLookups, report: ReportDiagnostic): SnapshotRedirect | null {
  const redirect = lookups.redirectByListener.get(l.id);
  if (!redirect) return null;
  const target = lookups.listenerById.get(redirect.targetListenerId);
  const problem =
    l.protocol !== "HTTP"
      ? `only HTTP listeners are redirected, this one is ${l.protocol}`
      : !target
        ? `its target listener ${redirect.targetListenerId} does not exist`
        : target.protocol !== "HTTPS"
          ? `its target listener ${target.name} is ${target.protocol}, not HTTPS`
          : target.loadBalancerId !== l.loadBalancerId
            ? `its target listener ${target.name} belongs to another load balancer`
            : null;
  if (problem) {
    report({ kind: "listener", id: l.id, name: l.name, message: `redirect ${redirect.name}: ${problem}; the redirect is left out` });
    return null;
  }
  return { port: target!.port };
}

/**
 * The forwarding policies of an HTTP/HTTPS listener in position (creation) order. A policy whose group is
 * missing, of another load balancer or not HTTP, that has neither domain nor URL, or whose regular
 * expression does not compile, is left out with a diagnostic (the others still apply).
 */
export function compileForwardingPolicies(l: ListenerRow, lookups: RoutingLookups, report: ReportDiagnostic): SnapshotForwardingPolicy[] {
  const policies = lookups.policiesByListener.get(l.id) ?? [];
  const compiled: SnapshotForwardingPolicy[] = [];
  for (const p of policies) {
    const problem = l.protocol !== "HTTP" && l.protocol !== "HTTPS" ? `forwarding policies apply only to HTTP and HTTPS listeners, this one is ${l.protocol}` : policyProblem(p, l, lookups);
    if (problem) {
      report({ kind: "listener", id: l.id, name: l.name, message: `forwarding policy ${p.name}: ${problem}; the policy is left out` });
      continue;
    }
    compiled.push({ id: p.id, domainName: p.domainName, url: p.url, match: p.urlMatchRule, poolId: p.poolId });
  }
  return compiled;
}

/** Why one policy cannot be compiled, or null. */
function policyProblem(p: PolicyRow, l: ListenerRow, lookups: RoutingLookups): string | null {
  const pool = lookups.poolById.get(p.poolId);
  if (!pool) return `its backend server group ${p.poolId} does not exist`;
  if (pool.loadBalancerId !== l.loadBalancerId) return `its backend server group ${pool.name} belongs to another load balancer (${pool.loadBalancerId})`;
  if (pool.protocol !== "HTTP") return `its backend server group ${pool.name} uses ${pool.protocol}, not HTTP`;
  if (!p.domainName && !p.url) return "it has neither a domain name nor a URL";
  if (p.url && p.urlMatchRule === "REGEX" && !compiles(p.url)) return `its regular expression ${p.url} does not compile`;
  return null;
}

function compiles(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}
