import "server-only";
import type { ClientIpTransport } from "@/engine/protocol/snapshot.types";
import { clientIpTransportLabels, clientIpTransportsFor } from "../../services/pool/client-ip-transport";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";

/**
 * Transfer Client IP Address by backend server group (issue 10, seed 000): a group gets its Client IP
 * Transport when it is the default group of a TCP/UDP listener with Transfer Client IP Address on and of
 * the listener's protocol; every other group gets none (members see the engine's address). A stored
 * transport its protocol cannot carry (PROXY protocol v1 on UDP) is dropped with a diagnostic.
 */
export function transferClientIpByPool(rows: ConfigRows, report: ReportDiagnostic): Map<string, ClientIpTransport> {
  const poolById = new Map(rows.pools.map((p) => [p.id, p]));
  const byPool = new Map<string, ClientIpTransport>();
  for (const l of rows.listeners) {
    if (!l.transferClientIp || (l.protocol !== "TCP" && l.protocol !== "UDP") || l.defaultPoolId === null) continue;
    const pool = poolById.get(l.defaultPoolId);
    if (!pool || pool.protocol !== l.protocol || pool.loadBalancerId !== l.loadBalancerId) continue;
    if (!clientIpTransportsFor(pool.protocol).includes(pool.clientIpTransport)) {
      const message = `its Client IP Transport ${clientIpTransportLabels[pool.clientIpTransport] ?? pool.clientIpTransport} cannot carry ${pool.protocol}; Transfer Client IP Address of listener ${l.name} is left out (members see the load balancer's address)`;
      report({ kind: "pool", id: pool.id, name: pool.name, message });
      continue;
    }
    byPool.set(pool.id, pool.clientIpTransport);
  }
  return byPool;
}
