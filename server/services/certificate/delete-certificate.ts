import "server-only";
import { eq } from "drizzle-orm";
import { certificates } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { certificateIdSchema } from "./certificate.schemas";
import { describeUse, listenersUsingCertificates } from "./certificate-usage";
import { requireCertificate } from "./require-certificate";

/**
 * Delete Certificate (guide 6.3: only certificates that are not in use): refused, naming the listeners,
 * while any listener uses it as Server Certificate, CA Certificate or SNI certificate. An unused
 * certificate is not in the engine's configuration, so nothing is signalled.
 */
export async function deleteCertificate(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(certificateIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const certificate = await requireCertificate(tx, ctx.scope, id);
    const uses = (await listenersUsingCertificates(tx, [certificate.id])).get(certificate.id) ?? [];
    if (uses.length > 0)
      throw new AppError("PRECONDITION_FAILED", `Certificate ${certificate.name} cannot be deleted: it is used by ${uses.map(describeUse).join(", ")}. Choose another certificate for these listeners, or delete them, first.`);
    await tx.delete(certificates).where(eq(certificates.id, certificate.id));
    return { id: certificate.id, name: certificate.name };
  });
}
