import "server-only";
import { eq } from "drizzle-orm";
import { listeners } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateListenerSchema } from "./listener.schemas";
import { requireListener } from "./require-listener";
import { requireAvailablePool } from "./require-available-pool";
import { getListenerView, type ListenerView } from "./listener-view";
import { AppError } from "../../errors";
import { requireCertificate } from "./require-certificate";
import { clientIpOf, clientIpIssues, mergeClientIp } from "./client-ip.schemas";

/**
 * Modify a listener (guide 3.7): name, description and backend server group; for an HTTPS listener also
 * its Server Certificate, HTTP/2 and Mutual Authentication (CA Certificate, null = off); the client IP
 * settings (issue 10), the result checked as a whole against the listener's protocol (e.g. turning Proxy
 * Protocol on needs Trusted IPs stored or entered). Protocol and port stay.
 */
export async function updateListener(ctx: ServiceContext, rawInput: unknown): Promise<ListenerView> {
  const input = parseInput(updateListenerSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { listener, lb } = await requireListener(tx, ctx.scope, input.id);
    if (listener.protocol !== "HTTPS") {
      if (input.serverCertificateId !== undefined) throw new AppError("BAD_REQUEST", "Server Certificate: can be set only for an HTTPS listener", "serverCertificateId");
      if (input.http2Enabled) throw new AppError("BAD_REQUEST", "HTTP/2: can be enabled only for an HTTPS listener", "http2Enabled");
      if (input.caCertificateId) throw new AppError("BAD_REQUEST", "CA Certificate: Mutual Authentication can be enabled only for an HTTPS listener", "caCertificateId");
    }
    const clientIp = mergeClientIp(clientIpOf(listener), input);
    const clientIpIssue = clientIpIssues(listener.protocol, clientIp)[0];
    if (clientIpIssue) throw new AppError("BAD_REQUEST", clientIpIssue.message, clientIpIssue.path.join("."));
    if (input.serverCertificateId !== undefined && input.serverCertificateId !== listener.serverCertificateId)
      await requireCertificate(tx, lb, { id: input.serverCertificateId, type: "SERVER", field: "serverCertificateId", label: "Server Certificate" });
    if (input.caCertificateId && input.caCertificateId !== listener.caCertificateId)
      await requireCertificate(tx, lb, { id: input.caCertificateId, type: "CA", field: "caCertificateId", label: "CA Certificate" });
    if (input.defaultPoolId !== undefined && input.defaultPoolId !== listener.defaultPoolId)
      await requireAvailablePool(tx, {
        loadBalancerId: listener.loadBalancerId,
        poolId: input.defaultPoolId,
        protocol: listener.protocol,
        field: "defaultPoolId",
        exceptListenerId: listener.id,
      });
    await tx
      .update(listeners)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.defaultPoolId !== undefined && { defaultPoolId: input.defaultPoolId }),
        ...(input.serverCertificateId !== undefined && { serverCertificateId: input.serverCertificateId }),
        ...(input.http2Enabled !== undefined && { http2Enabled: input.http2Enabled }),
        ...(input.caCertificateId !== undefined && { caCertificateId: input.caCertificateId }),
        ...clientIp,
        updatedAt: new Date(),
      })
      .where(eq(listeners.id, listener.id));
  });
  return (await getListenerView(ctx.db, ctx.scope, input.id))!;
}
