import { describe, expect, it } from "vitest";
import type { SnapshotListener, SnapshotListenerTls } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ConfigDiagnostic } from "./diagnostic";
import { compileCertificates } from "./compile-certificates";
import { compileSnapshot } from "./index";
import { listenerRow, poolRow, validRows } from "./test-rows";

const at = new Date("2024-01-02T03:04:05.000Z");

/** A certificate row as the database returns it (the PEM and sealed key are stand-ins: the compiler copies them). */
const certificateRow = (id: string, extra: Partial<ConfigRows["certificates"][number]> = {}): ConfigRows["certificates"][number] => ({
  id,
  regionId: "region-1",
  projectId: "project-1",
  name: `cert-${id}`,
  description: "",
  type: "SERVER",
  certificatePem: `-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----\n`,
  privateKeySealed: `v1.iv-${id}.tag.ciphertext`,
  domainName: null,
  subject: `CN=${id}`,
  issuer: "CN=ca",
  subjectAltNames: [],
  notBefore: at,
  notAfter: at,
  fingerprint256: "AA",
  createdAt: at,
  updatedAt: at,
  ...extra,
});

const httpsListener = (id: string, tls: Partial<SnapshotListenerTls>): SnapshotListener => ({
  id,
  name: `listener-${id}`,
  loadBalancerId: "lb-a",
  protocol: "HTTPS",
  port: 443,
  bindAddresses: ["127.10.0.5"],
  defaultPoolId: null,
  idleTimeoutSeconds: 60,
  tls: { certificateId: "c-b", sniCertificateIds: [], caCertificateId: null, http2: false, ...tls },
});

const rowsWith = (...certificates: ConfigRows["certificates"]) => ({ ...validRows(), certificates });
const compile = (rows: ConfigRows, listeners: SnapshotListener[]) => {
  const diagnostics: ConfigDiagnostic[] = [];
  return { certificates: compileCertificates(rows, listeners, (d) => diagnostics.push(d)), diagnostics };
};

describe("compileCertificates", () => {
  it("takes the server, SNI and CA certificates the listeners reference, each once, in id order, the key sealed as stored", () => {
    const rows = rowsWith(
      certificateRow("c-z"),
      certificateRow("c-ca", { type: "CA", privateKeySealed: null }),
      certificateRow("c-b", { domainName: "b.example.test" }),
      certificateRow("c-a", { domainName: "*.a.example.test" }),
    );
    const listeners = [
      httpsListener("l-1", { certificateId: "c-b", sniCertificateIds: ["c-a", "c-b"], caCertificateId: "c-ca" }),
      httpsListener("l-2", { certificateId: "c-a" }),
      { ...httpsListener("l-3", {}), protocol: "HTTP" as const, tls: null },
    ];
    const { certificates, diagnostics } = compile(rows, listeners);
    expect(diagnostics).toEqual([]);
    expect(certificates).toEqual([
      { id: "c-a", type: "SERVER", certificatePem: "-----BEGIN CERTIFICATE-----\nc-a\n-----END CERTIFICATE-----\n", privateKeySealed: "v1.iv-c-a.tag.ciphertext", domainName: "*.a.example.test" },
      { id: "c-b", type: "SERVER", certificatePem: "-----BEGIN CERTIFICATE-----\nc-b\n-----END CERTIFICATE-----\n", privateKeySealed: "v1.iv-c-b.tag.ciphertext", domainName: "b.example.test" },
      { id: "c-ca", type: "CA", certificatePem: "-----BEGIN CERTIFICATE-----\nc-ca\n-----END CERTIFICATE-----\n", privateKeySealed: null, domainName: null },
    ]);
  });

  it("reports a listener referencing a certificate that does not exist, once per reference, and compiles the rest", () => {
    const rows = rowsWith(certificateRow("c-b"));
    const { certificates, diagnostics } = compile(rows, [httpsListener("l-1", { sniCertificateIds: ["c-gone"], caCertificateId: "c-ca-gone" })]);
    expect(certificates.map((c) => c.id)).toEqual(["c-b"]);
    expect(diagnostics).toEqual([
      { kind: "listener", id: "l-1", name: "listener-l-1", message: "its SNI certificate c-gone does not exist; the engine cannot serve it" },
      { kind: "listener", id: "l-1", name: "listener-l-1", message: "its CA Certificate c-ca-gone does not exist; the engine cannot serve it" },
    ]);
  });

  it("leaves certificates no listener uses out of the snapshot, which keeps its hash", () => {
    const plain = compileSnapshot(validRows(), 1, "e").snapshot;
    const withUnused = compileSnapshot(rowsWith(certificateRow("c-unused")), 1, "e").snapshot;
    expect(withUnused.certificates).toBeUndefined();
    expect(withUnused.hash).toBe(plain.hash);
  });

  it("compileSnapshot carries the certificates of HTTPS listeners, and a renewed certificate changes the hash (the engine applies it)", () => {
    const rows = rowsWith(certificateRow("c-web", { domainName: "www.example.test" }), certificateRow("c-ca", { type: "CA", privateKeySealed: null }), certificateRow("c-unused"));
    rows.pools.push(poolRow("p-https", "lb-a", { protocol: "HTTP" }));
    rows.listeners.push(listenerRow("l-https", "lb-a", { protocol: "HTTPS", port: 443, defaultPoolId: "p-https", serverCertificateId: "c-web", caCertificateId: "c-ca" }));
    const first = compileSnapshot(rows, 1, "e");
    expect(first.diagnostics).toEqual([]);
    expect(first.snapshot.certificates?.map((c) => [c.id, c.type, c.privateKeySealed])).toEqual([
      ["c-ca", "CA", null],
      ["c-web", "SERVER", "v1.iv-c-web.tag.ciphertext"],
    ]);
    rows.certificates[0] = { ...rows.certificates[0]!, certificatePem: "-----BEGIN CERTIFICATE-----\nrenewed\n-----END CERTIFICATE-----\n" };
    const renewed = compileSnapshot(rows, 2, "e");
    expect(renewed.snapshot.listeners).toEqual(first.snapshot.listeners);
    expect(renewed.snapshot.hash).not.toBe(first.snapshot.hash);
  });
});
