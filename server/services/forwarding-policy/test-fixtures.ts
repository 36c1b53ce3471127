import type { ServiceTestBed } from "../test-support";
import { createListener } from "../listener/create-listener";
import { newListenerInput } from "../listener/test-fixtures";

/** Test helper: an HTTP listener (new HTTP group, no health check) on `loadBalancerId`. */
export function createHttpListener(bed: ServiceTestBed, loadBalancerId: string, port: number) {
  return createListener(bed.ctx, newListenerInput(loadBalancerId, "HTTP", port, { pool: { mode: "new", name: `default-${port}`, algorithm: "ROUND_ROBIN", healthMonitor: null } }));
}

/** Test helper: an Add Forwarding Policy input with a new HTTP group named after the policy. */
export function newPolicyInput(listenerId: string, name: string, match: { domainName?: string | null; url?: string | null; urlMatchRule?: string }, extra: Record<string, unknown> = {}) {
  return { listenerId, name, ...match, pool: { mode: "new" as const, name: `group-${name}`, algorithm: "ROUND_ROBIN" as const, healthMonitor: null }, ...extra };
}
