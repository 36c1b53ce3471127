import "server-only";
import { eq } from "drizzle-orm";
import { certificates } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listCertificatesSchema } from "./certificate.schemas";
import { queryCertificateViews, type CertificateView } from "./certificate-view";

/** The Certificates list of the current region and project (optionally one type), by name. */
export async function listCertificates(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<CertificateView[]> {
  const input = parseInput(listCertificatesSchema, rawInput ?? {});
  return queryCertificateViews(ctx.db, ctx.scope, input.type ? eq(certificates.type, input.type) : undefined, now);
}
