import type net from "node:net";
import type tls from "node:tls";
import type { TlsDetail } from "../observe/observer.types";

/** Where the HTTPS handler leaves, on a secured socket, the id of the certificate its handshake served. */
const SERVED_CERTIFICATE = Symbol("servedCertificate");
type MarkedSocket = tls.TLSSocket & { [SERVED_CERTIFICATE]?: string };

/**
 * Marks a secured socket with the id of the certificate served (listeners/https.ts, once per
 * connection, only when its observer logs requests).
 */
export function markServedCertificate(socket: tls.TLSSocket, certificateId: string): void {
  (socket as MarkedSocket)[SERVED_CERTIFICATE] = certificateId;
}

/**
 * What the access log writes of a connection's TLS (ssl_protocol, ssl_cipher, sni_domain_name,
 * certificate_id): read once per connection from the secured socket; null for a plain TCP socket.
 */
export function tlsDetailOf(socket: net.Socket): TlsDetail | null {
  const secured = socket as MarkedSocket;
  if (secured.encrypted !== true) return null;
  const cipher = secured.getCipher();
  const servername = secured.servername;
  return {
    protocol: secured.getProtocol() ?? "",
    cipher: cipher?.name ?? "",
    sni: typeof servername === "string" && servername !== "" ? servername : null,
    certificateId: secured[SERVED_CERTIFICATE] ?? null,
  };
}
