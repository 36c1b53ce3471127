import { z } from "zod";
import { idSchema, resourceDescriptionSchema, resourceNameSchema } from "../field-schemas";

/**
 * Input rules of certificates (guide 6.1, 6.3): the shapes and sizes; what the PEM text says (rows,
 * chain, key match, validity, domain coverage) is checked with node:crypto by `validateCertificate`.
 * Shared by the services, the router and the Create/Modify Certificate dialogs.
 */

/** Certificate Type: Server certificate (with its private key) or CA certificate. */
export const certificateTypeSchema = z.enum(["SERVER", "CA"], { error: "Certificate Type: select Server certificate or CA certificate" });
/** Certificate Type as stored. */
export type CertificateTypeInput = z.infer<typeof certificateTypeSchema>;

/** The guide's words for each type. */
export const CERTIFICATE_TYPE_LABELS: Record<CertificateTypeInput, string> = { SERVER: "Server certificate", CA: "CA certificate" };

/** Largest Certificate Content accepted: a chain of a few certificates fits many times. */
export const MAX_CERTIFICATE_CONTENT = 64 * 1024;
/** Largest Private Key accepted (an RSA 8192-bit key in PEM is about 6.5 KiB). */
export const MAX_PRIVATE_KEY = 16 * 1024;

/** Certificate Name: 1–64 letters, digits, underscores, hyphens, periods. */
export const certificateNameSchema = resourceNameSchema("Certificate Name");

/** Certificate Content: PEM text (the rows are checked by the service). */
export const certificateContentSchema = z
  .string({ error: "Certificate Content: paste the certificate in PEM format or click Upload" })
  .min(1, "Certificate Content: paste the certificate in PEM format or click Upload")
  .max(MAX_CERTIFICATE_CONTENT, `Certificate Content: can contain at most ${MAX_CERTIFICATE_CONTENT} characters`);

/** Private Key: PEM text; "" counts as not given. */
export const privateKeySchema = z
  .string({ error: "Private Key: paste the private key in PEM format or click Upload" })
  .max(MAX_PRIVATE_KEY, `Private Key: can contain at most ${MAX_PRIVATE_KEY} characters`)
  .transform((key) => (key.trim() === "" ? undefined : key));

const DOMAIN_MESSAGE =
  "Domain Name: enter one domain name such as www.example.com or *.example.com (labels of 1 to 63 letters, digits and hyphens separated by periods, at most 253 characters)";
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DOMAIN = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)*${LABEL}$`);

/** Domain Name (for SNI): one domain, exact or a wildcard "*.example.com"; "" or null = none. Lowercased. */
export const domainNameSchema = z
  .string({ error: DOMAIN_MESSAGE })
  .trim()
  .toLowerCase()
  .max(253, DOMAIN_MESSAGE)
  .refine((domain) => domain === "" || (DOMAIN.test(domain) && domain.includes(".")), DOMAIN_MESSAGE)
  .transform((domain) => (domain === "" ? null : domain))
  .nullable();

/** Create Certificate (guide 6.3). */
export const createCertificateSchema = z.object({
  name: certificateNameSchema,
  type: certificateTypeSchema,
  content: certificateContentSchema,
  privateKey: privateKeySchema.optional(),
  domainName: domainNameSchema.optional(),
  description: resourceDescriptionSchema,
});
export type CreateCertificateInput = z.input<typeof createCertificateSchema>;

/**
 * Modify Certificate: name, description, domain name, content and/or private key (absent = unchanged).
 * The type cannot change. New content is checked against the stored key unless a new key comes with it.
 */
export const updateCertificateSchema = z.object({
  id: idSchema("Certificate: select a certificate"),
  name: certificateNameSchema.optional(),
  // unwrap(): without its default "", an absent description stays unchanged instead of being cleared.
  description: resourceDescriptionSchema.unwrap().optional(),
  domainName: domainNameSchema.optional(),
  content: certificateContentSchema.optional(),
  privateKey: privateKeySchema.optional(),
});
export type UpdateCertificateInput = z.input<typeof updateCertificateSchema>;

/** Certificates of the current region and project, optionally of one type. */
export const listCertificatesSchema = z.object({ type: certificateTypeSchema.optional() }).default({});
export type ListCertificatesInput = z.input<typeof listCertificatesSchema>;

/** An operation on one certificate by id. */
export const certificateIdSchema = z.object({ id: idSchema("Certificate: select a certificate") });
