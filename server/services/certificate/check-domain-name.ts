import "server-only";
import type { X509Certificate } from "node:crypto";
import { AppError } from "../../errors";
import { commonName, subjectAltNames } from "./certificate-facts";

/**
 * Domain Name (guide 6.3, for SNI) must be the same as in the certificate, by node:crypto's checkHost: a
 * name of its DNS SANs (its CN when it has none), or one a wildcard SAN covers ("*.example.com" covers
 * "www.example.com"); a wildcard domain "*.example.com" only when the certificate has that wildcard
 * (checkHost matches the label "*" only against a "*" label). Throws AppError(…, "domainName") otherwise.
 */
export function checkDomainName(domainName: string, leaf: X509Certificate): void {
  if (leaf.checkHost(domainName) !== undefined) return;
  const dnsNames = subjectAltNames(leaf).filter((name) => !name.includes(":"));
  const cn = commonName(leaf);
  const names = dnsNames.length > 0 ? dnsNames : cn ? [cn] : [];
  const has = names.length > 0 ? `it holds ${names.join(", ")}` : "it holds no domain name";
  throw new AppError("BAD_REQUEST", `Domain Name: ${domainName} is not a domain name of the certificate (${has}); the domain name must be the same as in the certificate`, "domainName");
}
