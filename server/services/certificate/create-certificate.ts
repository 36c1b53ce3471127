import "server-only";
import { eq } from "drizzle-orm";
import { certificates } from "@/db/schema";
import { sealSecret } from "@/engine/protocol/sealed-secret";
import { secretKey } from "../../crypto/secret-key";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { createCertificateSchema } from "./certificate.schemas";
import { queryCertificateViews, type CertificateView } from "./certificate-view";
import { validateCertificate } from "./validate-certificate";

/**
 * Create Certificate (guide 6.3) in the current region and project: the content, key and domain checked
 * (validateCertificate), the private key sealed with AES-256-GCM, the leaf's facts stored for the list.
 * No listener uses a new certificate, so the engine's configuration does not change.
 */
export async function createCertificate(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<CertificateView> {
  const input = parseInput(createCertificateSchema, rawInput);
  const valid = validateCertificate({ type: input.type, content: input.content, contentIsNew: true, privateKey: input.privateKey, domainName: input.domainName ?? null }, now);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(certificates)
      .values({
        regionId: ctx.scope.regionId,
        projectId: ctx.scope.projectId,
        name: input.name,
        description: input.description,
        type: input.type,
        certificatePem: valid.certificatePem,
        privateKeySealed: valid.privateKeyPem === null ? null : sealSecret(valid.privateKeyPem, secretKey().key),
        domainName: input.domainName ?? null,
        ...valid.facts,
      })
      .returning({ id: certificates.id });
    const [view] = await queryCertificateViews(tx, ctx.scope, eq(certificates.id, row!.id), now);
    return view!;
  });
}
