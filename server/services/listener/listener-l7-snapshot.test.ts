import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigRows } from "../../control-plane/load-config-rows";
import { compileSnapshot } from "../../control-plane/compile";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { createForwardingPolicy } from "../forwarding-policy/create-forwarding-policy";
import { deleteForwardingPolicy } from "../forwarding-policy/delete-forwarding-policy";
import { deleteRedirect } from "../redirect/delete-redirect";
import { createListener } from "./create-listener";
import { updateAccessControl } from "./update-access-control";
import { updateSni } from "./update-sni";
import { createTestLoadBalancer, insertTestCertificate } from "./test-fixtures";

/**
 * What the console commits for HTTPS, SNI, Mutual Authentication, HTTP/2, access control, redirects and
 * forwarding policies is what the engine receives: the compiled snapshot after each change, and the
 * change signal that makes the publisher send it.
 */
let bed: ServiceTestBed;
let changes = 0;
beforeAll(async () => {
  bed = await createServiceTestBed();
  bed.onConfigChanged(() => changes++);
});
afterAll(async () => {
  await bed?.close();
});

const compiled = async () => compileSnapshot(await loadConfigRows(bed.ctx.db), 1, "test-epoch");
const group = (name: string) => ({ mode: "new" as const, name, algorithm: "ROUND_ROBIN" as const, healthMonitor: null });

describe("the compiled snapshot of an HTTPS listener with everything, and an HTTP listener redirected to it", () => {
  it("carries tls, accessControl, redirect and forwardingPolicies; removing them removes them", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-l7-snapshot");
    const server = await insertTestCertificate(bed, "snap-server", "SERVER");
    const ca = await insertTestCertificate(bed, "snap-ca", "CA");
    const sniA = await insertTestCertificate(bed, "snap-a", "SERVER", { domainName: "a.example.test" });
    const sniB = await insertTestCertificate(bed, "snap-b", "SERVER", { domainName: "*.b.example.test" });
    changes = 0;
    const https = await createListener(bed.ctx, { loadBalancerId: lb.id, name: "https", protocol: "HTTPS", port: 443, serverCertificateId: server.id, http2Enabled: true, caCertificateId: ca.id, pool: group("tls-group") });
    const http = await createListener(bed.ctx, { loadBalancerId: lb.id, name: "http", protocol: "HTTP", port: 80, redirectToListenerId: https.id, pool: group("web-group") });
    await updateSni(bed.ctx, { id: https.id, enabled: true, certificateIds: [sniB.id, sniA.id] });
    await updateAccessControl(bed.ctx, { id: https.id, enabled: true, whitelist: "127.0.0.1,127.30.0.0/16" });
    const exact = await createForwardingPolicy(bed.ctx, { listenerId: https.id, name: "exact", url: "/elb/index.html", urlMatchRule: "EXACT", pool: group("exact-group") });
    const regex = await createForwardingPolicy(bed.ctx, { listenerId: https.id, name: "regex", url: "/elb[^\\s]*", urlMatchRule: "REGEX", pool: group("regex-group") });
    const domain = await createForwardingPolicy(bed.ctx, { listenerId: https.id, name: "domain", domainName: "www.test.com", pool: { mode: "existing", poolId: exact.pool.id } });
    expect(changes).toBe(7);

    let { snapshot, diagnostics } = await compiled();
    expect(diagnostics).toEqual([]);
    expect(snapshot.listeners.find((l) => l.id === https.id)).toEqual({
      id: https.id,
      name: "https",
      loadBalancerId: lb.id,
      protocol: "HTTPS",
      port: 443,
      bindAddresses: [lb.privateIp],
      defaultPoolId: https.pool!.id,
      idleTimeoutSeconds: 60,
      tls: { certificateId: server.id, sniCertificateIds: [sniA.id, sniB.id].sort(), caCertificateId: ca.id, http2: true },
      accessControl: { whitelist: ["127.0.0.1", "127.30.0.0/16"] },
      forwardingPolicies: [
        { id: exact.id, domainName: null, url: "/elb/index.html", match: "EXACT", poolId: exact.pool.id },
        { id: regex.id, domainName: null, url: "/elb[^\\s]*", match: "REGEX", poolId: regex.pool.id },
        { id: domain.id, domainName: "www.test.com", url: null, match: "EXACT", poolId: exact.pool.id },
      ],
    });
    expect(snapshot.listeners.find((l) => l.id === http.id)).toMatchObject({ protocol: "HTTP", port: 80, redirect: { port: 443 } });
    // The policies' groups reach the engine with the listener's own.
    expect(snapshot.pools.map((p) => p.id)).toEqual(expect.arrayContaining([https.pool!.id, exact.pool.id, regex.pool.id]));
    const hash = snapshot.hash;

    await deleteRedirect(bed.ctx, { id: http.redirect!.id });
    await updateAccessControl(bed.ctx, { id: https.id, enabled: false, whitelist: "127.0.0.1" });
    await updateSni(bed.ctx, { id: https.id, enabled: false });
    for (const policy of [exact, regex, domain]) await deleteForwardingPolicy(bed.ctx, { id: policy.id });
    expect(changes).toBe(13);
    ({ snapshot, diagnostics } = await compiled());
    expect(snapshot.hash).not.toBe(hash);
    expect(snapshot.listeners.find((l) => l.id === http.id)).not.toHaveProperty("redirect");
    const bare = snapshot.listeners.find((l) => l.id === https.id)!;
    expect(bare).not.toHaveProperty("accessControl");
    expect(bare).not.toHaveProperty("forwardingPolicies");
    expect(bare.tls).toEqual({ certificateId: server.id, sniCertificateIds: [], caCertificateId: ca.id, http2: true });
  });
});
