import { describe, expect, it } from "vitest";
import type { ConfigDiagnostic } from "./diagnostic";
import { compileListeners } from "./compile-listeners";
import { listenerRow, poolRow, validRows } from "./test-rows";

const compile = (rows = validRows()) => {
  const diagnostics: ConfigDiagnostic[] = [];
  return { listeners: compileListeners(rows, (d) => diagnostics.push(d)), diagnostics };
};

describe("compileListeners", () => {
  it("binds each listener on its private IP and, when bound, its EIP, in id order", () => {
    const { listeners, diagnostics } = compile();
    expect(diagnostics).toEqual([]);
    expect(listeners).toEqual([
      { id: "l-bare", name: "listener-l-bare", loadBalancerId: "lb-a", protocol: "TCP", port: 9000, bindAddresses: ["127.10.0.5", "127.20.0.8"], defaultPoolId: null, idleTimeoutSeconds: 300 },
      { id: "l-http", name: "listener-l-http", loadBalancerId: "lb-a", protocol: "HTTP", port: 8080, bindAddresses: ["127.10.0.5", "127.20.0.8"], defaultPoolId: "p-http", idleTimeoutSeconds: 60 },
      { id: "l-udp", name: "listener-l-udp", loadBalancerId: "lb-b", protocol: "UDP", port: 53, bindAddresses: ["127.10.0.6"], defaultPoolId: "p-udp", idleTimeoutSeconds: 300 },
    ]);
  });

  it("leaves out a listener whose load balancer is missing, naming it", () => {
    const rows = validRows();
    rows.listeners.push(listenerRow("l-x", "lb-gone", { name: "web" }));
    const { listeners, diagnostics } = compile(rows);
    expect(listeners.map((l) => l.id)).toEqual(["l-bare", "l-http", "l-udp"]);
    expect(diagnostics).toEqual([{ kind: "listener", id: "l-x", name: "web", message: expect.stringMatching(/^its load balancer lb-gone does not exist; the listener is left out/) }]);
  });

  it("leaves out a listener whose default backend server group is missing or belongs to another load balancer", () => {
    const rows = validRows();
    rows.pools.push(poolRow("p-other", "lb-b", { name: "other-group" }));
    rows.listeners.push(listenerRow("l-missing", "lb-a", { port: 81, defaultPoolId: "p-gone" }), listenerRow("l-foreign", "lb-a", { port: 82, defaultPoolId: "p-other" }));
    const { listeners, diagnostics } = compile(rows);
    expect(listeners.map((l) => l.id)).toEqual(["l-bare", "l-http", "l-udp"]);
    expect(diagnostics.map((d) => [d.id, d.message])).toEqual([
      ["l-foreign", "its backend server group other-group belongs to another load balancer (lb-b); the listener is left out of the engine's configuration"],
      ["l-missing", "its backend server group p-gone does not exist; the listener is left out of the engine's configuration"],
    ]);
  });

  it("leaves out a listener with a port outside 1–65535", () => {
    const rows = validRows();
    rows.listeners.push(listenerRow("l-port", "lb-a", { port: 70000 }));
    const { diagnostics } = compile(rows);
    expect(diagnostics).toEqual([expect.objectContaining({ id: "l-port", message: expect.stringMatching(/^its frontend port 70000 is not between 1 and 65535/) })]);
  });
});

type Rows = ReturnType<typeof validRows>;
const at = new Date("2024-01-02T03:04:05.000Z");
const certificateRow = (id: string, type: "SERVER" | "CA", extra: Partial<Rows["certificates"][number]> = {}): Rows["certificates"][number] => ({
  id,
  regionId: "region-1",
  projectId: "project-1",
  name: `cert-${id}`,
  description: "",
  type,
  certificatePem: "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
  privateKeySealed: type === "SERVER" ? "sealed" : null,
  domainName: null,
  subject: "CN=x",
  issuer: "CN=x",
  subjectAltNames: [],
  notBefore: at,
  notAfter: at,
  fingerprint256: "00",
  createdAt: at,
  updatedAt: at,
  ...extra,
});
const policyRow = (id: string, listenerId: string, position: number, extra: Partial<Rows["forwardingPolicies"][number]> = {}): Rows["forwardingPolicies"][number] => ({
  id,
  listenerId,
  name: `policy-${id}`,
  description: "",
  domainName: null,
  url: `/${id}`,
  urlMatchRule: "PREFIX",
  poolId: "p-web",
  position,
  createdAt: at,
  updatedAt: at,
  ...extra,
});

/**
 * lb-a gets an HTTPS listener (server certificate, two SNI certificates, Mutual Authentication, HTTP/2,
 * access control, three policies) and an HTTP listener redirected to it.
 */
function l7Rows(): Rows {
  const rows = validRows();
  rows.certificates.push(
    certificateRow("c-server", "SERVER"),
    certificateRow("c-sni-b", "SERVER", { domainName: "b.example.test" }),
    certificateRow("c-sni-a", "SERVER", { domainName: "*.a.example.test" }),
    certificateRow("c-ca", "CA"),
  );
  rows.pools.push(poolRow("p-web", "lb-a", { protocol: "HTTP" }), poolRow("p-tls", "lb-a", { protocol: "HTTP" }));
  rows.listeners.push(
    listenerRow("l-https", "lb-a", {
      protocol: "HTTPS",
      port: 443,
      defaultPoolId: "p-tls",
      idleTimeoutSeconds: 60,
      serverCertificateId: "c-server",
      caCertificateId: "c-ca",
      http2Enabled: true,
      sniEnabled: true,
      accessControlEnabled: true,
      accessControlWhitelist: ["127.0.0.1", "10.0.0.0/8"],
    }),
    listenerRow("l-redirected", "lb-a", { protocol: "HTTP", port: 80, idleTimeoutSeconds: 60 }),
  );
  rows.listenerSniCertificates.push({ listenerId: "l-https", certificateId: "c-sni-b" }, { listenerId: "l-https", certificateId: "c-sni-a" });
  rows.redirects.push({ id: "r-1", listenerId: "l-redirected", targetListenerId: "l-https", name: "redirect-ab12", description: "", createdAt: at, updatedAt: at });
  rows.forwardingPolicies.push(
    policyRow("fp-regex", "l-https", 3, { url: "/elb[^\\s]*", urlMatchRule: "REGEX" }),
    policyRow("fp-domain", "l-https", 1, { domainName: "www.test.com", url: null, urlMatchRule: "EXACT" }),
    policyRow("fp-exact", "l-https", 2, { url: "/elb/index.html", urlMatchRule: "EXACT" }),
  );
  return rows;
}

describe("compileListeners: HTTPS, SNI, access control, redirects, forwarding policies", () => {
  it("compiles every part of an HTTPS listener and a redirect, SNI certificates in id order, policies in position order", () => {
    const { listeners, diagnostics } = compile(l7Rows());
    expect(diagnostics).toEqual([]);
    expect(listeners.find((l) => l.id === "l-https")).toEqual({
      id: "l-https",
      name: "listener-l-https",
      loadBalancerId: "lb-a",
      protocol: "HTTPS",
      port: 443,
      bindAddresses: ["127.10.0.5", "127.20.0.8"],
      defaultPoolId: "p-tls",
      idleTimeoutSeconds: 60,
      tls: { certificateId: "c-server", sniCertificateIds: ["c-sni-a", "c-sni-b"], caCertificateId: "c-ca", http2: true },
      accessControl: { whitelist: ["127.0.0.1", "10.0.0.0/8"] },
      forwardingPolicies: [
        { id: "fp-domain", domainName: "www.test.com", url: null, match: "EXACT", poolId: "p-web" },
        { id: "fp-exact", domainName: null, url: "/elb/index.html", match: "EXACT", poolId: "p-web" },
        { id: "fp-regex", domainName: null, url: "/elb[^\\s]*", match: "REGEX", poolId: "p-web" },
      ],
    });
    expect(listeners.find((l) => l.id === "l-redirected")).toEqual({
      id: "l-redirected",
      name: "listener-l-redirected",
      loadBalancerId: "lb-a",
      protocol: "HTTP",
      port: 80,
      bindAddresses: ["127.10.0.5", "127.20.0.8"],
      defaultPoolId: null,
      idleTimeoutSeconds: 60,
      redirect: { port: 443 },
    });
  });

  it("gives the same bytes whatever order the rows come in, and adds no keys to listeners without these parts", () => {
    const a = l7Rows();
    const b = l7Rows();
    for (const key of Object.keys(b) as (keyof Rows)[]) (b[key] as unknown[]).reverse();
    expect(JSON.stringify(compile(b).listeners)).toBe(JSON.stringify(compile(a).listeners));
    expect(Object.keys(compile(a).listeners.find((l) => l.id === "l-bare")!)).toEqual(["id", "name", "loadBalancerId", "protocol", "port", "bindAddresses", "defaultPoolId", "idleTimeoutSeconds"]);
  });

  it("compiles access control enabled with an empty whitelist (nobody) and leaves it out when disabled", () => {
    const rows = l7Rows();
    rows.listeners.find((l) => l.id === "l-bare")!.accessControlEnabled = true;
    rows.listeners.find((l) => l.id === "l-udp")!.accessControlWhitelist = ["10.0.0.1"];
    const { listeners } = compile(rows);
    expect(listeners.find((l) => l.id === "l-bare")?.accessControl).toEqual({ whitelist: [] });
    expect(listeners.find((l) => l.id === "l-udp")).not.toHaveProperty("accessControl");
  });

  it("leaves out an HTTPS listener without a usable server or CA certificate, naming why", () => {
    const rows = l7Rows();
    const https = rows.listeners.find((l) => l.id === "l-https")!;
    rows.listeners.push(
      { ...https, id: "l-nocert", port: 8443, defaultPoolId: null, serverCertificateId: null },
      { ...https, id: "l-gonecert", port: 8444, defaultPoolId: null, serverCertificateId: "c-gone" },
      { ...https, id: "l-cacert", port: 8445, defaultPoolId: null, serverCertificateId: "c-ca" },
      { ...https, id: "l-noca", port: 8446, defaultPoolId: null, caCertificateId: "c-gone" },
      { ...https, id: "l-caserver", port: 8447, defaultPoolId: null, caCertificateId: "c-server" },
    );
    rows.certificates.push(certificateRow("c-foreign", "SERVER", { projectId: "project-2" }));
    rows.listeners.push({ ...https, id: "l-foreign", port: 8448, defaultPoolId: null, serverCertificateId: "c-foreign" });
    rows.certificates.push(certificateRow("c-nokey", "SERVER", { privateKeySealed: null }));
    rows.listeners.push({ ...https, id: "l-nokey", port: 8449, defaultPoolId: null, serverCertificateId: "c-nokey" });
    const { listeners, diagnostics } = compile(rows);
    expect(listeners.filter((l) => l.protocol === "HTTPS").map((l) => l.id)).toEqual(["l-https"]);
    const left = " the listener is left out of the engine's configuration";
    // In id order, as the compiler walks the listeners.
    expect(diagnostics.map((d) => [d.id, d.message])).toEqual([
      ["l-cacert", `its server certificate cert-c-ca is a CA certificate;${left}`],
      ["l-caserver", `its CA certificate (Mutual Authentication) cert-c-server is a server certificate;${left}`],
      ["l-foreign", `its server certificate cert-c-foreign belongs to another region or enterprise project;${left}`],
      ["l-gonecert", `its server certificate c-gone does not exist;${left}`],
      ["l-noca", `its CA certificate (Mutual Authentication) c-gone does not exist;${left}`],
      ["l-nocert", `it is an HTTPS listener without a server certificate;${left}`],
      ["l-nokey", `its server certificate cert-c-nokey has no private key;${left}`],
    ]);
  });

  it("drops an unusable SNI certificate alone, and sends no SNI certificates while SNI is disabled", () => {
    const rows = l7Rows();
    rows.certificates.push(certificateRow("c-nodomain", "SERVER"));
    rows.listenerSniCertificates.push({ listenerId: "l-https", certificateId: "c-nodomain" }, { listenerId: "l-https", certificateId: "c-ca" });
    let { listeners, diagnostics } = compile(rows);
    expect(listeners.find((l) => l.id === "l-https")?.tls?.sniCertificateIds).toEqual(["c-sni-a", "c-sni-b"]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "its SNI certificate cert-c-ca is a CA certificate; that SNI certificate is left out",
      "its SNI certificate cert-c-nodomain has no domain name; that SNI certificate is left out",
    ]);
    rows.listeners.find((l) => l.id === "l-https")!.sniEnabled = false;
    ({ listeners, diagnostics } = compile(rows));
    expect(listeners.find((l) => l.id === "l-https")?.tls).toEqual({ certificateId: "c-server", sniCertificateIds: [], caCertificateId: "c-ca", http2: true });
    expect(diagnostics).toEqual([]);
  });

  it("drops a redirect whose target is missing, not HTTPS or on another load balancer", () => {
    for (const [target, message] of [
      [null, "redirect redirect-ab12: its target listener l-gone does not exist; the redirect is left out"],
      [{ protocol: "HTTP" as const }, "redirect redirect-ab12: its target listener listener-l-https is HTTP, not HTTPS; the redirect is left out"],
      [{ loadBalancerId: "lb-b" }, "redirect redirect-ab12: its target listener listener-l-https belongs to another load balancer; the redirect is left out"],
    ] as const) {
      const rows = l7Rows();
      if (target === null) rows.redirects[0]!.targetListenerId = "l-gone";
      else Object.assign(rows.listeners.find((l) => l.id === "l-https")!, target);
      const { listeners, diagnostics } = compile(rows);
      expect(listeners.find((l) => l.id === "l-redirected")).not.toHaveProperty("redirect");
      expect(diagnostics.filter((d) => d.id === "l-redirected").map((d) => d.message)).toEqual([message]);
    }
  });

  it("leaves out a forwarding policy whose group is missing, of another load balancer or not HTTP, or whose pattern does not compile", () => {
    const rows = l7Rows();
    rows.pools.push(poolRow("p-b", "lb-b", { protocol: "HTTP", name: "b-group" }), poolRow("p-tcp", "lb-a", { name: "tcp-group" }));
    rows.forwardingPolicies.push(
      policyRow("fp-gone", "l-https", 4, { poolId: "p-gone" }),
      policyRow("fp-foreign", "l-https", 5, { poolId: "p-b" }),
      policyRow("fp-tcp", "l-https", 6, { poolId: "p-tcp" }),
      policyRow("fp-bad", "l-https", 7, { url: "(a", urlMatchRule: "REGEX" }),
      policyRow("fp-empty", "l-https", 8, { url: null }),
    );
    const { listeners, diagnostics } = compile(rows);
    expect(listeners.find((l) => l.id === "l-https")?.forwardingPolicies?.map((p) => p.id)).toEqual(["fp-domain", "fp-exact", "fp-regex"]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "forwarding policy policy-fp-gone: its backend server group p-gone does not exist; the policy is left out",
      "forwarding policy policy-fp-foreign: its backend server group b-group belongs to another load balancer (lb-b); the policy is left out",
      "forwarding policy policy-fp-tcp: its backend server group tcp-group uses TCP, not HTTP; the policy is left out",
      "forwarding policy policy-fp-bad: its regular expression (a does not compile; the policy is left out",
      "forwarding policy policy-fp-empty: it has neither a domain name nor a URL; the policy is left out",
    ]);
  });
});
