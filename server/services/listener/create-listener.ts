import "server-only";
import { listeners } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requireLoadBalancer } from "../load-balancer/require-load-balancer";
import { insertPool } from "../pool/insert-pool";
import { insertHealthMonitor } from "../health-monitor/insert-health-monitor";
import { backendProtocolFor, createListenerSchema, defaultIdleTimeoutSeconds, portClassOf } from "./listener.schemas";
import { checkFrontendPort } from "./check-frontend-port";
import { checkListenerQuota } from "./check-listener-quota";
import { requireAvailablePool } from "./require-available-pool";
import { getListenerView, type ListenerView } from "./listener-view";
import { randomNameSuffix } from "../field-schemas";
import { insertRedirect } from "../redirect/insert-redirect";
import { requireCertificate } from "./require-certificate";
import { DEFAULT_CLIENT_IP_SETTINGS, mergeClientIp } from "./client-ip.schemas";

/**
 * Add Listener (guide 3.3): the listener, its backend server group (Create new or Use existing), the
 * new group's health check and, for an HTTP listener with Redirect on, its redirect (named redirect-xxxx)
 * in ONE transaction: a failure at any step leaves nothing behind. An HTTPS listener needs a server
 * certificate (and a CA certificate for Mutual Authentication) of the load balancer's region and project.
 * The client IP settings (issue 10) not entered get their defaults.
 */
export async function createListener(ctx: ServiceContext, rawInput: unknown): Promise<ListenerView> {
  const input = parseInput(createListenerSchema, rawInput);
  const backendProtocol = backendProtocolFor(input.protocol);
  const id = await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.loadBalancerId);
    await checkListenerQuota(tx, lb.projectId);
    await checkFrontendPort(tx, lb.id, input.protocol, input.port);
    if (input.serverCertificateId)
      await requireCertificate(tx, lb, { id: input.serverCertificateId, type: "SERVER", field: "serverCertificateId", label: "Server Certificate" });
    if (input.caCertificateId) await requireCertificate(tx, lb, { id: input.caCertificateId, type: "CA", field: "caCertificateId", label: "CA Certificate" });
    const choice = input.pool;
    const poolId =
      choice.mode === "new"
        ? await insertPool(tx, lb.id, { ...choice, protocol: backendProtocol }, "pool.")
        : (await requireAvailablePool(tx, { loadBalancerId: lb.id, poolId: choice.poolId, protocol: input.protocol, field: "pool.poolId" })).id;
    const [listener] = await tx
      .insert(listeners)
      .values({
        loadBalancerId: lb.id,
        name: input.name,
        description: input.description,
        protocol: input.protocol,
        port: input.port,
        portClass: portClassOf(input.protocol),
        defaultPoolId: poolId,
        idleTimeoutSeconds: defaultIdleTimeoutSeconds(input.protocol),
        serverCertificateId: input.serverCertificateId ?? null,
        http2Enabled: input.http2Enabled,
        caCertificateId: input.caCertificateId ?? null,
        ...mergeClientIp(DEFAULT_CLIENT_IP_SETTINGS, input),
      })
      .returning();
    if (choice.mode === "new" && choice.healthMonitor) await insertHealthMonitor(tx, poolId, backendProtocol, choice.healthMonitor, "pool.healthMonitor.");
    if (input.redirectToListenerId)
      await insertRedirect(
        tx,
        listener!,
        { name: `redirect-${randomNameSuffix()}`, description: "", targetListenerId: input.redirectToListenerId },
        { listener: "protocol", target: "redirectToListenerId" },
      );
    return listener!.id;
  });
  return (await getListenerView(ctx.db, ctx.scope, id))!;
}
