import "server-only";
import { eq } from "drizzle-orm";
import { certificates } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { certificateIdSchema } from "./certificate.schemas";
import { queryCertificateDetails, type CertificateDetails } from "./certificate-view";

/** One certificate of the current region and project with its PEM content (never its private key). */
export async function getCertificate(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<CertificateDetails> {
  const { id } = parseInput(certificateIdSchema, rawInput);
  const [details] = await queryCertificateDetails(ctx.db, ctx.scope, eq(certificates.id, id), now);
  if (!details) throw new AppError("NOT_FOUND", "Certificate: not found in this region and enterprise project", "id");
  return details;
}
