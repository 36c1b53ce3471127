import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { projects } from "./projects";
import { regions } from "./regions";

/** Certificate Type (guide 6.3): a server certificate (with its private key) or a CA certificate. */
export type CertificateType = "SERVER" | "CA";

/**
 * A certificate (guide chapter 6), in the scope (region, enterprise project) it was created in.
 * `certificatePem` is the PEM chain as validated (leaf first); `privateKeySealed` is the server
 * certificate's private key sealed with AES-256-GCM (engine/protocol/sealed-secret.ts), null for a CA
 * certificate. The private key is never stored or returned in clear. The remaining columns are read from
 * the leaf certificate with node:crypto's X509Certificate when it is saved (list view, expiry warnings).
 */
export const certificates = pgTable(
  "certificates",
  {
    id: idColumn(),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    type: text("type").$type<CertificateType>().notNull(),
    certificatePem: text("certificate_pem").notNull(),
    privateKeySealed: text("private_key_sealed"),
    /** The one domain name for SNI (guide 6.3), null when not used for SNI. */
    domainName: text("domain_name"),
    subject: text("subject").notNull(),
    issuer: text("issuer").notNull(),
    subjectAltNames: jsonb("subject_alt_names").$type<string[]>().notNull().default([]),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull(),
    notAfter: timestamp("not_after", { withTimezone: true }).notNull(),
    fingerprint256: text("fingerprint256").notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [index("certificates_scope_idx").on(t.regionId, t.projectId)],
);
