import { describe, expect, it } from "vitest";
import { listener, member, monitor, pool, snapshot } from "@/engine/test-support/fixtures";
import type { SnapshotCertificate } from "@/engine/protocol/snapshot.types";
import { AppError } from "../../errors";
import type { CompiledSnapshot } from "../../control-plane/compile";
import { buildTestSnapshot } from "./test-snapshot";

const cert = (id: string, type: "SERVER" | "CA"): SnapshotCertificate => ({ id, type, certificatePem: `pem-${id}`, privateKeySealed: type === "SERVER" ? `sealed-${id}` : null, domainName: null });
const ports = { listenPort: 41000, echoPort: 41001 };

/** A compiled configuration with two load balancers' listeners, as the compiler hands it over. */
function compiled(): CompiledSnapshot {
  const live = listener("l-web", 443, "p-web", {
    protocol: "HTTPS",
    bindAddresses: ["127.10.0.5", "127.20.0.9"],
    tls: { certificateId: "c-server", sniCertificateIds: ["c-sni"], caCertificateId: null, http2: true },
    accessControl: { whitelist: ["10.0.0.0/8"] },
    forwardingPolicies: [{ id: "fp-1", domainName: "a.example.com", url: null, match: "EXACT", poolId: "p-other" }],
  });
  const web = pool("p-web", [member("m-1", 9001), member("m-2", 9002)], { protocol: "HTTP", algorithm: "LEAST_CONNECTIONS", healthMonitor: monitor(), transferClientIp: null });
  const tcp = pool("p-tcp", [member("m-3", 9003)], { transferClientIp: "PROXY_V2" });
  const s = snapshot(7, [live, listener("l-tcp", 80, "p-tcp")], [web, tcp, pool("p-other", [member("m-4", 9004)])]);
  s.certificates = [cert("c-ca", "CA"), cert("c-server", "SERVER"), cert("c-sni", "SERVER"), cert("c-unrelated", "SERVER")];
  return { snapshot: s, diagnostics: [{ kind: "listener", id: "l-gone", name: "gone", message: "its backend server group g does not exist; the listener is left out of the engine's configuration" }] };
}

describe("buildTestSnapshot: the listener as compiled, on 127.0.0.1, in front of the echo target", () => {
  it("keeps the listener's settings and its group's, replaces the members by the echo target, turns the health check off", () => {
    const plan = buildTestSnapshot(compiled(), "l-web", ports);
    expect(plan.snapshot.listeners).toEqual([plan.listener]);
    expect(plan.listener).toEqual({
      id: "l-web",
      name: "l-web",
      loadBalancerId: "lb-1",
      protocol: "HTTPS",
      port: 41000,
      bindAddresses: ["127.0.0.1"],
      defaultPoolId: "p-web",
      idleTimeoutSeconds: 300,
      tls: { certificateId: "c-server", sniCertificateIds: ["c-sni"], caCertificateId: null, http2: true },
    });
    expect(plan.snapshot.pools).toEqual([
      { ...compiled().snapshot.pools[0], members: [{ id: "client-ip-test-echo-target", name: "client-ip-test echo target", address: "127.0.0.1", port: 41001, weight: 100 }], healthMonitor: null },
    ]);
    expect(plan.snapshot.certificates?.map((c) => c.id)).toEqual(["c-server", "c-sni"]);
    expect(plan.liveAddress).toBe("127.10.0.5");
    expect(plan.notes).toEqual([
      "The test uses the default backend server group; the listener's 1 forwarding policies are not applied.",
      "Access Control is not applied to the test's client (a loopback address of this host).",
    ]);
  });

  it("keeps the group's Transfer Client IP Address", () => {
    const plan = buildTestSnapshot(compiled(), "l-tcp", ports);
    expect(plan.pool).toMatchObject({ id: "p-tcp", transferClientIp: "PROXY_V2", healthMonitor: null, members: [{ address: "127.0.0.1", port: 41001 }] });
    expect(plan.snapshot.certificates).toBeUndefined();
  });

  it("a listener the compiler left out cannot be tested, and says why", () => {
    expect(() => buildTestSnapshot(compiled(), "l-gone", ports)).toThrow(
      new AppError("PRECONDITION_FAILED", "The listener cannot be tested: its backend server group g does not exist; the listener is left out of the engine's configuration"),
    );
  });

  it("a redirected listener without a group runs with none (its answer is the 301); without a redirect it is refused", () => {
    const c = compiled();
    c.snapshot.listeners.push(listener("l-redirect", 81, null, { protocol: "HTTP", redirect: { port: 443 } }), listener("l-empty", 82, null, { protocol: "HTTP" }));
    const plan = buildTestSnapshot(c, "l-redirect", ports);
    expect(plan.snapshot.pools).toEqual([]);
    expect(plan.listener.redirect).toEqual({ port: 443 });
    expect(plan.notes).toEqual(["The listener redirects every request to HTTPS port 443: the test shows the answer a client gets."]);
    expect(() => buildTestSnapshot(c, "l-empty", ports)).toThrow(/it has no backend server group/);
  });
});
