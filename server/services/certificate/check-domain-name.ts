import "server-only";
import type { X509Certificate } from "node:crypto";
import { AppError } from "../../errors";
import { commonName, subjectAltNames } from "./certificate-facts";

/**
 * Domain Name (guide 6.3, for SNI) must be the same as in the certificate: an exact name must be one the
 * certificate serves (its DNS SANs, or its CN when it has none; a SAN "*.example.com" covers
 * "www.example.com": node:crypto's checkHost); a wildcard "*.example.com" only when the certificate
 * itself carries that wildcard. Throws AppError("BAD_REQUEST", …, "domainName") otherwise.
 */
export function checkDomainName(domainName: string, leaf: X509Certificate): void {
  const dnsNames = subjectAltNames(leaf).filter((name) => !name.includes(":")).map((name) => name.toLowerCase());
  const cn = commonName(leaf);
  const names = dnsNames.length > 0 ? dnsNames : cn ? [cn.toLowerCase()] : [];
  const covered = domainName.startsWith("*.") ? names.includes(domainName) : leaf.checkHost(domainName) !== undefined;
  if (covered) return;
  const has = names.length > 0 ? `it holds ${names.join(", ")}` : "it holds no domain name";
  throw new AppError("BAD_REQUEST", `Domain Name: ${domainName} is not a domain name of the certificate (${has}); the domain name must be the same as in the certificate`, "domainName");
}
