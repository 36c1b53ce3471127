import "server-only";
import type { SnapshotCertificate, SnapshotListener } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";
import { byId } from "./sort-by-id";

/**
 * The certificates the compiled listeners' TLS settings reference (Server Certificate, SNI certificates,
 * CA Certificate), each once, in id order, as the engine needs them: the PEM chain and the private key
 * still sealed as stored (the snapshot never holds a key in clear). A reference to a certificate that
 * does not exist is reported as a diagnostic of the listener; certificates no listener uses are left out.
 */
export function compileCertificates(rows: ConfigRows, listeners: readonly SnapshotListener[], report: ReportDiagnostic): SnapshotCertificate[] {
  const rowById = new Map(rows.certificates.map((c) => [c.id, c]));
  const used = new Map<string, SnapshotCertificate>();
  for (const listener of listeners) {
    const tls = listener.tls;
    if (!tls) continue;
    const references: [string | null, string][] = [
      [tls.certificateId, "Server Certificate"],
      ...tls.sniCertificateIds.map((id): [string, string] => [id, "SNI certificate"]),
      [tls.caCertificateId, "CA Certificate"],
    ];
    for (const [id, role] of references) {
      if (id === null || used.has(id)) continue;
      const row = rowById.get(id);
      if (!row) {
        report({ kind: "listener", id: listener.id, name: listener.name, message: `its ${role} ${id} does not exist; the engine cannot serve it` });
        continue;
      }
      used.set(id, { id: row.id, type: row.type, certificatePem: row.certificatePem, privateKeySealed: row.privateKeySealed, domainName: row.domainName });
    }
  }
  return [...used.values()].sort(byId);
}
