import "server-only";
import { X509Certificate } from "node:crypto";
import { AppError } from "../../errors";
import { DER_CERTIFICATE_MESSAGE } from "./binary-pem";
import { commonName } from "./certificate-facts";
import type { CertificateTypeInput } from "./certificate.schemas";
import { readPemBlocks, type PemField } from "./pem-rows";

/** At most this many certificates in one Certificate Content (a chain, or a CA bundle). */
export const MAX_CERTIFICATES_PER_CONTENT = 10;

const CONTENT: PemField = { field: "content", label: "Certificate Content", expectedBegin: "-----BEGIN CERTIFICATE-----", binaryMessage: DER_CERTIFICATE_MESSAGE };

/** Certificate Content as validated: the PEM text to store and each certificate, leaf first. */
export interface CertificateContent {
  /** The PEM blocks re-assembled (LF line ends, one "\n" at the end). */
  pem: string;
  certificates: X509Certificate[];
}

const fail = (message: string): never => {
  throw new AppError("BAD_REQUEST", `Certificate Content: ${message}`, "content");
};

/** "certificate 2 (CN=ELB Test Intermediate CA)": how messages name one certificate of the content. */
export function describeCertificate(certificates: readonly X509Certificate[], index: number): string {
  const cn = commonName(certificates[index]!);
  const position = certificates.length > 1 ? `certificate ${index + 1} of ${certificates.length}` : "the certificate";
  return cn ? `${position} (CN=${cn})` : position;
}

/** "2030-01-01 00:00:00 UTC". */
export function utcText(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * Reads Certificate Content (guide 6.1): PEM rows, only CERTIFICATE blocks, each a valid X.509
 * certificate (node:crypto), each valid at `now` (null: dates not checked, for content already stored). A server certificate's blocks form a chain in order
 * leaf → intermediate → root, each issued (and signed) by the next; a CA certificate's blocks are CA
 * certificates (basic constraints CA:TRUE), in any order (a bundle of trusted CAs).
 */
export function readCertificateContent(text: string, type: CertificateTypeInput, now: Date | null): CertificateContent {
  const blocks = readPemBlocks(text, CONTENT);
  blocks.forEach((block, i) => {
    if (block.label === "CERTIFICATE" && block.headers.length === 0) return;
    const which = `block ${i + 1} (row ${block.beginRow})`;
    if (block.label.includes("PRIVATE KEY")) fail(`${which} is a private key; paste the private key in Private Key, and only certificates here`);
    if (block.label === "PKCS7") fail(`${which} is PKCS#7 (P7B); convert it with openssl pkcs7 -print_certs -in incertificate.p7b -out outcertificate.cer`);
    if (block.label !== "CERTIFICATE") fail(`${which} is -----BEGIN ${block.label}-----; only -----BEGIN CERTIFICATE----- blocks are allowed`);
    fail(`${which} has header rows; a certificate block holds base64 rows only`);
  });
  if (blocks.length > MAX_CERTIFICATES_PER_CONTENT) fail(`can hold at most ${MAX_CERTIFICATES_PER_CONTENT} certificates (it has ${blocks.length})`);
  const certificates = blocks.map((block, i) => {
    try {
      return new X509Certificate(block.text);
    } catch {
      return fail(`${blocks.length > 1 ? `certificate ${i + 1} of ${blocks.length}` : "the certificate"} (row ${block.beginRow}) is not a valid X.509 certificate: its base64 does not decode to one`);
    }
  });
  certificates.forEach((certificate, i) => {
    if (!now) return;
    const from = new Date(certificate.validFrom);
    const to = new Date(certificate.validTo);
    if (now < from) fail(`${describeCertificate(certificates, i)} is not valid yet: its validity starts ${utcText(from)}`);
    if (now > to) fail(`${describeCertificate(certificates, i)} expired on ${utcText(to)}`);
  });
  if (type === "SERVER") checkChainOrder(certificates);
  else
    certificates.forEach((certificate, i) => {
      if (!certificate.ca) fail(`${describeCertificate(certificates, i)} is not a CA certificate (its basic constraints do not say CA:TRUE); a server certificate goes under Server certificate`);
    });
  return { pem: blocks.map((b) => b.text).join(""), certificates };
}

/** Each certificate must be issued and signed by the next one (leaf → intermediate → root). */
function checkChainOrder(certificates: readonly X509Certificate[]): void {
  for (let i = 0; i + 1 < certificates.length; i++) {
    const child = certificates[i]!;
    const parent = certificates[i + 1]!;
    if (child.checkIssued(parent) && child.verify(parent.publicKey)) continue;
    const childName = describeCertificate(certificates, i);
    const parentName = describeCertificate(certificates, i + 1);
    if (parent.checkIssued(child))
      fail(`the chain is in the wrong order: ${childName} issued ${parentName}, so ${parentName} must come before it. Order: leaf (server) certificate, then intermediate, then root`);
    const issuerIndex = certificates.findIndex((other, j) => j !== i && child.checkIssued(other));
    if (issuerIndex > i + 1)
      fail(`the chain is in the wrong order: ${childName} is issued by ${describeCertificate(certificates, issuerIndex)}, which must come right after it. Order: leaf (server) certificate, then intermediate, then root`);
    if (child.checkIssued(parent)) fail(`${childName} names ${parentName} as its issuer, but its signature does not verify with that certificate's key`);
    fail(`${childName} is not issued by ${parentName}: a chain goes leaf → intermediate → root, each certificate issued by the next`);
  }
}
