import "server-only";
import type { SnapshotAddressLimit } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";

/**
 * Compiles the bandwidth limit of every bound EIP (sorted by address): traffic sent through that address
 * shares its bandwidth. Unbound EIPs carry no traffic and are skipped silently; an EIP bound to a load
 * balancer that does not exist, or with a bandwidth below 1 Mbit/s, is left out with a diagnostic.
 */
export function compileAddressLimits(rows: ConfigRows, report: ReportDiagnostic): SnapshotAddressLimit[] {
  const lbIds = new Set(rows.loadBalancers.map((lb) => lb.id));
  const limits: SnapshotAddressLimit[] = [];
  for (const e of rows.eips) {
    if (e.loadBalancerId === null) continue;
    const problem = !lbIds.has(e.loadBalancerId)
      ? `it is bound to load balancer ${e.loadBalancerId}, which does not exist`
      : !Number.isInteger(e.bandwidthMbit) || e.bandwidthMbit < 1
        ? `its bandwidth ${e.bandwidthMbit} Mbit/s is not a whole number of at least 1`
        : null;
    if (problem) {
      report({ kind: "eip", id: e.id, name: e.address, message: `${problem}; its bandwidth limit is left out of the engine's configuration` });
      continue;
    }
    limits.push({ address: e.address, megabitsPerSecond: e.bandwidthMbit });
  }
  return limits.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
