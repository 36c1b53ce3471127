/** What the HTTPS fields of Add/Modify Listener hold while the user edits them (table 3-3). */
export interface HttpsDraft {
  serverCertificateId: string;
  http2Enabled: boolean;
  mutualAuthentication: boolean;
  caCertificateId: string;
}

/** A new HTTPS listener: no certificate chosen yet, HTTP/2 and Mutual Authentication off. */
export const newHttpsDraft = (): HttpsDraft => ({ serverCertificateId: "", http2Enabled: false, mutualAuthentication: false, caCertificateId: "" });

/** The form for an existing listener (Modify Listener). */
export function httpsDraftOf(listener: { serverCertificate: { id: string } | null; http2Enabled: boolean; caCertificate: { id: string } | null }): HttpsDraft {
  return {
    serverCertificateId: listener.serverCertificate?.id ?? "",
    http2Enabled: listener.http2Enabled,
    mutualAuthentication: listener.caCertificate !== null,
    caCertificateId: listener.caCertificate?.id ?? "",
  };
}

/**
 * The HTTPS input of a draft: Mutual Authentication is on exactly when a CA Certificate is sent, so off
 * sends null (the server then turns it off); on with none chosen sends "" for the schema to name the field.
 */
export function httpsInputOf(draft: HttpsDraft): { serverCertificateId: string; http2Enabled: boolean; caCertificateId: string | null } {
  return { serverCertificateId: draft.serverCertificateId, http2Enabled: draft.http2Enabled, caCertificateId: draft.mutualAuthentication ? draft.caCertificateId : null };
}
