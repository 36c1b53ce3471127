import "server-only";
import { eq } from "drizzle-orm";
import { listenerSniCertificates, listeners } from "@/db/schema";
import { AppError } from "../../errors";
import { aListenerOf } from "./protocol-words";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateSniSchema } from "./listener.schemas";
import { requireListener } from "./require-listener";
import { requireCertificate } from "./require-certificate";
import { getListenerView, type ListenerView } from "./listener-view";

/**
 * Configure beside SNI (guide 3.8.5) on an HTTPS listener: enabled with one or more server certificates of
 * the load balancer's region and project, each with a Domain Name, no two with the same domain (the
 * engine picks the certificate by the client's server name). Disabling clears the selection. The rows
 * are replaced in one transaction.
 */
export async function updateSni(ctx: ServiceContext, rawInput: unknown): Promise<ListenerView> {
  const input = parseInput(updateSniSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { listener, lb } = await requireListener(tx, ctx.scope, input.id);
    if (listener.protocol !== "HTTPS")
      throw new AppError("BAD_REQUEST", `SNI: can be configured only for an HTTPS listener; ${listener.name} is ${aListenerOf(listener.protocol)}`, "id");
    const certificateIds = input.enabled ? input.certificateIds : [];
    const byDomain = new Map<string, string>();
    for (const [i, id] of certificateIds.entries()) {
      const field = `certificateIds.${i}`;
      const certificate = await requireCertificate(tx, lb, { id, type: "SERVER", field, label: "SNI Certificate" });
      if (!certificate.domainName)
        throw new AppError("BAD_REQUEST", `SNI Certificate: ${certificate.name} has no Domain Name; set one on the certificate or choose another (each SNI certificate serves one domain)`, field);
      const domain = certificate.domainName.toLowerCase();
      const other = byDomain.get(domain);
      if (other !== undefined)
        throw new AppError("BAD_REQUEST", `SNI Certificate: ${certificate.name} and ${other} both serve ${domain}; choose one certificate per domain name`, field);
      byDomain.set(domain, certificate.name);
    }
    await tx.delete(listenerSniCertificates).where(eq(listenerSniCertificates.listenerId, listener.id));
    if (certificateIds.length) await tx.insert(listenerSniCertificates).values(certificateIds.map((certificateId) => ({ listenerId: listener.id, certificateId })));
    await tx.update(listeners).set({ sniEnabled: input.enabled, updatedAt: new Date() }).where(eq(listeners.id, listener.id));
  });
  return (await getListenerView(ctx.db, ctx.scope, input.id))!;
}
