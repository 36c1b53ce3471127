import type tls from "node:tls";

/** The native TLS handle's verification result (Node's own tls.Server reads it the same way). */
type VerifyingHandle = { verifyError?: () => Error | null | undefined };

/**
 * Why a client certificate is refused under Mutual Authentication, or null when it verified against the
 * listener's CA. A client that sent no certificate never gets here: OpenSSL fails that handshake itself
 * (SSL_VERIFY_FAIL_IF_NO_PEER_CERT). A certificate from another CA completes the handshake (Node accepts
 * every chain in OpenSSL's callback and reports the result afterwards, as here), so the caller must check
 * this before reading a byte from the client.
 */
export function clientCertificateRefusal(socket: tls.TLSSocket): Error | null {
  const handle = (socket as unknown as { _handle?: VerifyingHandle | null })._handle;
  if (handle === null || handle === undefined || typeof handle.verifyError !== "function") {
    // No handle (closed meanwhile) or a Node without it: nothing says the certificate verified.
    return new Error("client certificate could not be verified");
  }
  return handle.verifyError() ?? null;
}
