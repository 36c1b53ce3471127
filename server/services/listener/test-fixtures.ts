import { count } from "drizzle-orm";
import type { Database } from "@/db/client";
import { certificates, healthMonitors, listeners, members, pools, type CertificateType } from "@/db/schema";
import type { ServiceTestBed } from "../test-support";
import { createLoadBalancer } from "../load-balancer/create-load-balancer";

/** Test helper: a private load balancer in the default subnet. */
export async function createTestLoadBalancer(bed: ServiceTestBed, name: string) {
  return createLoadBalancer(bed.ctx, { networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name });
}

/** Test helper: row counts of the four tables this feature writes, to prove "nothing written". */
export async function backendRowCounts(db: Database) {
  const n = async (table: typeof listeners | typeof pools | typeof members | typeof healthMonitors) => (await db.select({ n: count() }).from(table))[0]!.n;
  return { listeners: await n(listeners), pools: await n(pools), members: await n(members), healthMonitors: await n(healthMonitors) };
}

/** Test helper: an Add Listener input with a new Weighted round robin group and defaults elsewhere. */
export function newListenerInput(loadBalancerId: string, protocol: "TCP" | "UDP" | "HTTP" | "HTTPS", port: number, extra: Record<string, unknown> = {}) {
  return {
    loadBalancerId,
    name: `listener-${protocol.toLowerCase()}-${port}`,
    protocol,
    port,
    pool: { mode: "new" as const, name: `server_group-${port}`, algorithm: "ROUND_ROBIN" as const, healthMonitor: {} },
    ...extra,
  };
}

/**
 * Test helper: a certificate row in the bed's scope (or `scope`), inserted directly: the listener rules
 * only read its type, name, domain name and scope. The PEM and sealed key are placeholders.
 */
export async function insertTestCertificate(
  bed: ServiceTestBed,
  name: string,
  type: CertificateType,
  extra: { domainName?: string | null; projectId?: string; regionId?: string } = {},
) {
  const at = new Date();
  const [row] = await bed.ctx.db
    .insert(certificates)
    .values({
      regionId: extra.regionId ?? bed.ctx.scope.regionId,
      projectId: extra.projectId ?? bed.ctx.scope.projectId,
      name,
      type,
      certificatePem: "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
      privateKeySealed: type === "SERVER" ? "sealed-placeholder" : null,
      domainName: extra.domainName ?? null,
      subject: `CN=${name}`,
      issuer: `CN=${name}`,
      notBefore: at,
      notAfter: new Date(at.getTime() + 30 * 86_400_000),
      fingerprint256: name,
    })
    .returning();
  return row!;
}
