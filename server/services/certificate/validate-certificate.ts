import "server-only";
import { createPrivateKey as createKey, type X509Certificate } from "node:crypto";
import { AppError } from "../../errors";
import { certificateFacts, type CertificateFacts } from "./certificate-facts";
import type { CertificateTypeInput } from "./certificate.schemas";
import { checkDomainName } from "./check-domain-name";
import { readCertificateContent } from "./read-certificate-content";
import { readPrivateKey } from "./read-private-key";

/** A certificate as Create or Modify Certificate would save it. */
export interface CertificateDraft {
  type: CertificateTypeInput;
  /** Certificate Content (PEM text). */
  content: string;
  /** Whether the content is new (then every certificate must be valid now); stored content is not re-dated. */
  contentIsNew: boolean;
  /** Private Key as entered; undefined = none given. */
  privateKey: string | undefined;
  /** The private key already stored (opened), used when none is given: Modify with new content only. */
  storedPrivateKey?: string;
  domainName: string | null;
}

/** A draft that passed every rule: what the row stores. */
export interface ValidCertificate {
  certificatePem: string;
  /** PKCS#8 PEM to seal; null for a CA certificate. */
  privateKeyPem: string | null;
  leaf: X509Certificate;
  facts: CertificateFacts;
}

/**
 * Applies the rules of guide 6.1 and 6.3 to a draft: the content (readCertificateContent), a server
 * certificate's required, matching private key (readPrivateKey), no key and no domain for a CA
 * certificate, and the domain name covered by the leaf (checkDomainName). Throws AppError naming the field.
 */
export function validateCertificate(draft: CertificateDraft, now: Date): ValidCertificate {
  const content = readCertificateContent(draft.content, draft.type, draft.contentIsNew ? now : null);
  const leaf = content.certificates[0]!;
  let privateKeyPem: string | null = null;
  if (draft.type === "CA") {
    if (draft.privateKey !== undefined) throw new AppError("BAD_REQUEST", "Private Key: a CA certificate has no private key; leave Private Key empty", "privateKey");
    if (draft.domainName) throw new AppError("BAD_REQUEST", "Domain Name: only a server certificate takes a domain name (it is used for SNI)", "domainName");
  } else if (draft.privateKey !== undefined) {
    privateKeyPem = readPrivateKey(draft.privateKey, content.certificates);
  } else if (draft.storedPrivateKey !== undefined) {
    if (!leaf.checkPrivateKey(createKey(draft.storedPrivateKey)))
      throw new AppError("BAD_REQUEST", "Private Key: the current private key does not match the new Certificate Content; give the private key of its first (leaf) certificate too", "privateKey");
    privateKeyPem = draft.storedPrivateKey;
  } else {
    throw new AppError("BAD_REQUEST", "Private Key: a server certificate needs its private key; paste it in PEM format or click Upload", "privateKey");
  }
  if (draft.domainName) checkDomainName(draft.domainName, leaf);
  return { certificatePem: content.pem, privateKeyPem, leaf, facts: certificateFacts(leaf) };
}
