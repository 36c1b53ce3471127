import "server-only";
import type { SnapshotListenerTls } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";

type ListenerRow = ConfigRows["listeners"][number];
type CertificateRow = ConfigRows["certificates"][number];
type LoadBalancerRow = ConfigRows["loadBalancers"][number];

/** What the TLS compiler needs besides the listener: certificates by id, SNI certificate ids by listener. */
export interface TlsLookups {
  certificateById: ReadonlyMap<string, CertificateRow>;
  sniCertificateIdsByListener: ReadonlyMap<string, readonly string[]>;
}

/** Indexes the certificate and SNI rows once per snapshot. */
export function tlsLookups(rows: ConfigRows): TlsLookups {
  const sni = new Map<string, string[]>();
  for (const s of rows.listenerSniCertificates) sni.set(s.listenerId, [...(sni.get(s.listenerId) ?? []), s.certificateId]);
  return { certificateById: new Map(rows.certificates.map((c) => [c.id, c])), sniCertificateIdsByListener: sni };
}

/**
 * The TLS settings of an HTTPS listener, or why it cannot be served (then the whole listener is left out:
 * without its server certificate it cannot answer, and without its CA certificate it would admit clients
 * Mutual Authentication must refuse). An SNI certificate that is missing, not a server certificate, has
 * no Domain Name or belongs to another scope is left out alone, with a diagnostic. SNI ids are in id order.
 */
export function compileListenerTls(l: ListenerRow, lb: LoadBalancerRow, lookups: TlsLookups, report: ReportDiagnostic): SnapshotListenerTls | { problem: string } {
  if (l.serverCertificateId === null) return { problem: "it is an HTTPS listener without a server certificate" };
  const server = certificateProblem(lookups.certificateById.get(l.serverCertificateId), l.serverCertificateId, "SERVER", lb, "server certificate");
  if (server) return { problem: server };
  if (l.caCertificateId !== null) {
    const ca = certificateProblem(lookups.certificateById.get(l.caCertificateId), l.caCertificateId, "CA", lb, "CA certificate (Mutual Authentication)");
    if (ca) return { problem: ca };
  }
  const sniCertificateIds: string[] = [];
  if (l.sniEnabled)
    for (const id of [...(lookups.sniCertificateIdsByListener.get(l.id) ?? [])].sort()) {
      const certificate = lookups.certificateById.get(id);
      const problem = certificateProblem(certificate, id, "SERVER", lb, "SNI certificate") ?? (certificate?.domainName ? null : `its SNI certificate ${certificate?.name} has no domain name`);
      if (problem) report({ kind: "listener", id: l.id, name: l.name, message: `${problem}; that SNI certificate is left out` });
      else sniCertificateIds.push(id);
    }
  return { certificateId: l.serverCertificateId, sniCertificateIds, caCertificateId: l.caCertificateId, http2: l.http2Enabled };
}

/** Why a referenced certificate cannot be used, or null. */
function certificateProblem(certificate: CertificateRow | undefined, id: string, type: "SERVER" | "CA", lb: LoadBalancerRow, what: string): string | null {
  if (!certificate) return `its ${what} ${id} does not exist`;
  if (certificate.type !== type) return `its ${what} ${certificate.name} is a ${certificate.type === "CA" ? "CA" : "server"} certificate`;
  if (type === "SERVER" && !certificate.privateKeySealed) return `its ${what} ${certificate.name} has no private key`;
  if (certificate.regionId !== lb.regionId || certificate.projectId !== lb.projectId)
    return `its ${what} ${certificate.name} belongs to another region or enterprise project`;
  return null;
}
