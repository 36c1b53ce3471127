import "server-only";
import type { X509Certificate } from "node:crypto";

/** What the list shows of a certificate, read from its leaf (first) certificate when it is saved. */
export interface CertificateFacts {
  /** "CN=www.example.com, O=Example" (node:crypto's subject, one attribute per entry). */
  subject: string;
  issuer: string;
  /** DNS names without the "DNS:" prefix; other kinds as node:crypto writes them ("IP Address:127.0.0.1"). */
  subjectAltNames: string[];
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 fingerprint, "AB:CD:…". */
  fingerprint256: string;
}

/** Reads the facts the database keeps beside the PEM (certificates.subject, issuer, …). */
export function certificateFacts(leaf: X509Certificate): CertificateFacts {
  return {
    subject: leaf.subject.split("\n").join(", "),
    issuer: leaf.issuer.split("\n").join(", "),
    subjectAltNames: subjectAltNames(leaf),
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
    fingerprint256: leaf.fingerprint256,
  };
}

/** The subjectAltName entries of a certificate ("DNS:a.example.com, IP Address:…" split; DNS names bare). */
export function subjectAltNames(certificate: X509Certificate): string[] {
  const text = certificate.subjectAltName;
  if (!text) return [];
  return text.split(", ").map((entry) => (entry.startsWith("DNS:") ? entry.slice(4) : entry));
}

/** The subject's common name, if any. */
export function commonName(certificate: X509Certificate): string | null {
  return /^CN=(.*)$/m.exec(certificate.subject)?.[1] ?? null;
}
