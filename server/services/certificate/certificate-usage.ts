import "server-only";
import { asc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listenerSniCertificates, listeners, loadBalancers } from "@/db/schema";

/** How a listener uses a certificate: as its Server Certificate, its CA Certificate (mutual authentication), or an SNI certificate. */
export type CertificateUsage = "server" | "ca" | "sni";

/** A listener that uses a certificate. */
export interface CertificateListener {
  id: string;
  name: string;
  port: number;
  loadBalancerId: string;
  loadBalancerName: string;
  usage: CertificateUsage;
}

/**
 * The listeners using each of `certificateIds` (listeners.server_certificate_id, ca_certificate_id,
 * listener_sni_certificates), by load balancer name, listener name, usage. Certificates nobody uses are absent.
 */
export async function listenersUsingCertificates(db: Database, certificateIds: readonly string[]): Promise<Map<string, CertificateListener[]>> {
  const found = new Map<string, CertificateListener[]>();
  if (certificateIds.length === 0) return found;
  const ids = [...certificateIds];
  const columns = {
    id: listeners.id,
    name: listeners.name,
    port: listeners.port,
    loadBalancerId: loadBalancers.id,
    loadBalancerName: loadBalancers.name,
    serverCertificateId: listeners.serverCertificateId,
    caCertificateId: listeners.caCertificateId,
  };
  const direct = await db
    .select(columns)
    .from(listeners)
    .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId))
    .where(or(inArray(listeners.serverCertificateId, ids), inArray(listeners.caCertificateId, ids)));
  const sni = await db
    .select({ ...columns, certificateId: listenerSniCertificates.certificateId })
    .from(listenerSniCertificates)
    .innerJoin(listeners, eq(listeners.id, listenerSniCertificates.listenerId))
    .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId))
    .where(inArray(listenerSniCertificates.certificateId, ids))
    .orderBy(asc(listeners.id));
  const add = (certificateId: string | null, row: (typeof direct)[number], usage: CertificateUsage) => {
    if (!certificateId || !certificateIds.includes(certificateId)) return;
    const use: CertificateListener = { id: row.id, name: row.name, port: row.port, loadBalancerId: row.loadBalancerId, loadBalancerName: row.loadBalancerName, usage };
    found.set(certificateId, [...(found.get(certificateId) ?? []), use]);
  };
  for (const row of direct) {
    add(row.serverCertificateId, row, "server");
    add(row.caCertificateId, row, "ca");
  }
  for (const row of sni) add(row.certificateId, row, "sni");
  const order = { server: 0, ca: 1, sni: 2 };
  for (const uses of found.values())
    uses.sort((a, b) => a.loadBalancerName.localeCompare(b.loadBalancerName) || a.name.localeCompare(b.name) || order[a.usage] - order[b.usage] || a.id.localeCompare(b.id));
  return found;
}

/** "listener web-https (load balancer lb-1, Server Certificate)": how a refusal names a listener using a certificate. */
export function describeUse(use: CertificateListener): string {
  const role = use.usage === "server" ? "Server Certificate" : use.usage === "ca" ? "CA Certificate" : "SNI certificate";
  return `listener ${use.name} (load balancer ${use.loadBalancerName}, ${role})`;
}
