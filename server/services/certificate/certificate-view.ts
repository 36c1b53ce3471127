import "server-only";
import { and, asc, eq, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { certificates, type CertificateType } from "@/db/schema";
import type { Scope } from "../context";
import { listenersUsingCertificates, type CertificateListener } from "./certificate-usage";

/** Expiration status: "expiring" within `EXPIRY_WARNING_DAYS` days of Expiration Time, "expired" after it. */
export type CertificateExpiry = "valid" | "expiring" | "expired";

/** A certificate expiring within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate as the Certificates list and the listener forms show it. Never holds the private key. */
export interface CertificateView {
  id: string;
  name: string;
  type: CertificateType;
  domainName: string | null;
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  notBefore: Date;
  /** Expiration Time. */
  notAfter: Date;
  expiry: CertificateExpiry;
  /** Days until Expiration Time, rounded up ("Expires in 10 days" for 9 days and 23 hours; 0 or less once expired). */
  daysLeft: number;
  fingerprint256: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  /** The listeners using it (Server Certificate, CA Certificate, SNI certificate). */
  listeners: CertificateListener[];
}

/** One certificate with its (public) PEM content, for Modify Certificate. */
export interface CertificateDetails extends CertificateView {
  certificatePem: string;
}

/** The expiration status and days left of a certificate expiring at `notAfter`, seen at `now`. */
export function expiryOf(notAfter: Date, now: Date): { expiry: CertificateExpiry; daysLeft: number } {
  const left = notAfter.getTime() - now.getTime();
  const daysLeft = Math.ceil(left / DAY_MS);
  return { expiry: left <= 0 ? "expired" : left <= EXPIRY_WARNING_DAYS * DAY_MS ? "expiring" : "valid", daysLeft };
}

/** Every column but the sealed private key: views are built from these only. */
const viewColumns = {
  id: certificates.id,
  name: certificates.name,
  type: certificates.type,
  domainName: certificates.domainName,
  subject: certificates.subject,
  issuer: certificates.issuer,
  subjectAltNames: certificates.subjectAltNames,
  notBefore: certificates.notBefore,
  notAfter: certificates.notAfter,
  fingerprint256: certificates.fingerprint256,
  description: certificates.description,
  createdAt: certificates.createdAt,
  updatedAt: certificates.updatedAt,
  certificatePem: certificates.certificatePem,
};

/** Certificates of the scope matching `where`, by name then id, with the listeners using them. */
export async function queryCertificateDetails(db: Database, scope: Scope, where?: SQL, now = new Date()): Promise<CertificateDetails[]> {
  const rows = await db
    .select(viewColumns)
    .from(certificates)
    .where(and(eq(certificates.regionId, scope.regionId), eq(certificates.projectId, scope.projectId), where))
    .orderBy(asc(certificates.name), asc(certificates.id));
  const uses = await listenersUsingCertificates(db, rows.map((r) => r.id));
  return rows.map((row) => ({ ...row, ...expiryOf(row.notAfter, now), listeners: uses.get(row.id) ?? [] }));
}

/** Like `queryCertificateDetails`, without the PEM content (the list). */
export async function queryCertificateViews(db: Database, scope: Scope, where?: SQL, now = new Date()): Promise<CertificateView[]> {
  return (await queryCertificateDetails(db, scope, where, now)).map(({ certificatePem: _pem, ...view }) => view);
}
