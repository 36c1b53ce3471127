import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { certificates, listenerSniCertificates, listeners } from "@/db/schema";
import { openSecret, sealSecret } from "@/engine/protocol/sealed-secret";
import { secretKey } from "../../crypto/secret-key";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { updateCertificateSchema } from "./certificate.schemas";
import { describeUse, listenersUsingCertificates } from "./certificate-usage";
import { queryCertificateViews, type CertificateView } from "./certificate-view";
import { requireCertificate } from "./require-certificate";
import { validateCertificate } from "./validate-certificate";

/**
 * Modify Certificate (guide 6.3): name, description, domain name, content and/or private key; the type
 * stays. The result is checked as a whole: new content against the given key or else the stored one,
 * the (new or kept) domain against the (new or kept) leaf. An SNI certificate keeps a domain name.
 * Listeners using it get the new content through a new snapshot (signalled after the commit): new
 * handshakes use it, open connections keep theirs.
 */
export async function updateCertificate(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<CertificateView> {
  const input = parseInput(updateCertificateSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const stored = await requireCertificate(tx, ctx.scope, input.id);
    const domainName = input.domainName === undefined ? stored.domainName : input.domainName;
    const material = input.content !== undefined || input.privateKey !== undefined;
    let sealed = stored.privateKeySealed;
    let facts = {};
    let certificatePem = stored.certificatePem;
    if (material || domainName !== stored.domainName) {
      const storedPrivateKey = stored.privateKeySealed !== null && input.privateKey === undefined ? openStoredKey(stored.privateKeySealed) : undefined;
      const valid = validateCertificate(
        { type: stored.type, content: input.content ?? stored.certificatePem, contentIsNew: input.content !== undefined, privateKey: input.privateKey, storedPrivateKey, domainName },
        now,
      );
      if (material) {
        certificatePem = valid.certificatePem;
        facts = valid.facts;
        if (input.privateKey !== undefined && valid.privateKeyPem !== null) sealed = sealSecret(valid.privateKeyPem, secretKey().key);
      }
    }
    if (domainName && domainName.toLowerCase() !== stored.domainName?.toLowerCase()) await refuseSharedSniDomain(tx, stored, domainName);
    if (!domainName) {
      const [sni] = await tx.select({ listenerId: listenerSniCertificates.listenerId }).from(listenerSniCertificates).where(eq(listenerSniCertificates.certificateId, stored.id)).limit(1);
      if (sni) {
        const uses = (await listenersUsingCertificates(tx, [stored.id])).get(stored.id) ?? [];
        const names = uses.filter((u) => u.usage === "sni").map(describeUse).join(", ");
        throw new AppError("BAD_REQUEST", `Domain Name: certificate ${stored.name} is an SNI certificate of ${names}, which needs its domain name; remove it from SNI first`, "domainName");
      }
    }
    await tx
      .update(certificates)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        domainName,
        certificatePem,
        privateKeySealed: sealed,
        ...facts,
        updatedAt: new Date(),
      })
      .where(eq(certificates.id, stored.id));
  });
  const [view] = await queryCertificateViews(ctx.db, ctx.scope, eq(certificates.id, input.id), now);
  return view!;
}

/** Opens the stored key; one sealed under another secret key (ELB_SECRET_KEY or the key file changed) is a refusal that says what to do. */
function openStoredKey(sealed: string): string {
  try {
    return openSecret(sealed, secretKey().key);
  } catch {
    throw new AppError(
      "PRECONDITION_FAILED",
      "Private Key: the stored private key cannot be opened with this console's secret key (ELB_SECRET_KEY or <data dir>/secret.key changed since it was saved); give the private key again",
      "privateKey",
    );
  }
}

/**
 * A new Domain Name must not be the domain of another SNI certificate of a listener this one serves SNI
 * for (Configure SNI refuses two certificates per domain; Modify must not create them either).
 */
async function refuseSharedSniDomain(tx: Database, stored: { id: string; name: string }, domainName: string): Promise<void> {
  const mine = tx.select({ id: listenerSniCertificates.listenerId }).from(listenerSniCertificates).where(eq(listenerSniCertificates.certificateId, stored.id));
  const [clash] = await tx
    .select({ certificate: certificates.name, listener: listeners.name })
    .from(listenerSniCertificates)
    .innerJoin(certificates, eq(certificates.id, listenerSniCertificates.certificateId))
    .innerJoin(listeners, eq(listeners.id, listenerSniCertificates.listenerId))
    .where(and(inArray(listenerSniCertificates.listenerId, mine), ne(certificates.id, stored.id), sql`lower(${certificates.domainName}) = ${domainName.toLowerCase()}`))
    .limit(1);
  if (clash)
    throw new AppError(
      "BAD_REQUEST",
      `Domain Name: ${domainName} is already served by SNI certificate ${clash.certificate} of listener ${clash.listener}, which ${stored.name} also serves; each SNI domain needs one certificate`,
      "domainName",
    );
}
