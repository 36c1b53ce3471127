import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { certificates, type CertificateType } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";

const typeWords: Record<CertificateType, string> = { SERVER: "server certificate", CA: "CA certificate" };

/**
 * A certificate a listener may use: of the given type and of the load balancer's region and enterprise
 * project (`scope`). NOT_FOUND or BAD_REQUEST naming `field` and `label` ("Server Certificate") otherwise.
 * The row is share-locked until the caller commits: a Modify or Delete Certificate under way (which holds
 * it for update) is waited for and its outcome checked, and none can start before the listener uses it.
 */
export async function requireCertificate(db: Database, scope: Scope, opts: { id: string; type: CertificateType; field: string; label: string }) {
  const [certificate] = await db
    .select({ id: certificates.id, name: certificates.name, type: certificates.type, domainName: certificates.domainName })
    .from(certificates)
    .where(and(eq(certificates.id, opts.id), eq(certificates.regionId, scope.regionId), eq(certificates.projectId, scope.projectId)))
    .for("share");
  if (!certificate) throw new AppError("NOT_FOUND", `${opts.label}: certificate not found in this region and enterprise project`, opts.field);
  if (certificate.type !== opts.type)
    throw new AppError("BAD_REQUEST", `${opts.label}: ${certificate.name} is a ${typeWords[certificate.type]}; select a ${typeWords[opts.type]}`, opts.field);
  return certificate;
}
