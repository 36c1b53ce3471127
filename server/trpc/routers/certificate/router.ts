import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { certificateIdSchema, createCertificateSchema, listCertificatesSchema, updateCertificateSchema } from "../../../services/certificate/certificate.schemas";
import { listCertificates } from "../../../services/certificate/list-certificates";
import { getCertificate } from "../../../services/certificate/get-certificate";
import { createCertificate } from "../../../services/certificate/create-certificate";
import { updateCertificate } from "../../../services/certificate/update-certificate";
import { deleteCertificate } from "../../../services/certificate/delete-certificate";

const trace = (name: string) => ({ trace: { name, resourceType: "certificate" } });

/**
 * Certificates (guide chapter 6): thin procedures over the services. No procedure returns a private key;
 * traces record the input with `privateKey` redacted (server/audit/redact.ts).
 */
export const certificateRouter = createTRPCRouter({
  list: protectedProcedure.input(listCertificatesSchema).query(({ ctx, input }) => listCertificates(ctx.service, input)),
  get: protectedProcedure.input(certificateIdSchema).query(({ ctx, input }) => getCertificate(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create certificate"))
    .input(createCertificateSchema)
    .mutation(({ ctx, input }) => createCertificate(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update certificate"))
    .input(updateCertificateSchema)
    .mutation(({ ctx, input }) => updateCertificate(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete certificate"))
    .input(certificateIdSchema)
    .mutation(({ ctx, input }) => deleteCertificate(ctx.service, input)),
});
