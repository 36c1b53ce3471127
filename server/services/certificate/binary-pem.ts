/**
 * Binary data where PEM text is expected (a DER or PFX file pasted or uploaded), and what to tell the
 * user (guide 6.2's conversions). Plain module: the Upload buttons check a file with it before sending.
 */

// Control characters other than tab/CR/LF, or U+FFFD (what a browser makes of bytes that are not UTF-8).
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/** True when `text` holds binary data (a DER or PFX file read as text), not PEM. */
export function looksBinary(text: string): boolean {
  return BINARY.test(text);
}

/** Certificate Content holding binary data (after "Certificate Content: "). */
export const DER_CERTIFICATE_MESSAGE =
  "is binary (a DER or PFX file), not PEM. ELB supports PEM only: convert a DER certificate with " +
  "openssl x509 -inform der -in certificate.cer -out certificate.pem (a PFX file: openssl pkcs12 -in certname.pfx -nokeys -out cert.pem)";

/** Private Key holding binary data (after "Private Key: "). */
export const DER_PRIVATE_KEY_MESSAGE =
  "is binary (a DER or PFX file), not PEM. ELB supports PEM only: convert a DER key with openssl rsa -inform DER -outform PEM -in privatekey.der -out privatekey.pem " +
  "(a PFX file: openssl pkcs12 -in certname.pfx -nocerts -out key.pem -nodes)";
