import { X509Certificate, createPrivateKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSecret } from "../protocol/sealed-secret";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestPki } from "./test-certificates";

describe("test PKI", () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  }, 30_000);
  afterAll(() => pki?.cleanup());

  it("signs RSA and ECDSA server certificates with CN, SANs and wildcards, verifiable by the root", async () => {
    const rsa = await pki.server({ commonName: "a.example.test", keyType: "rsa" });
    const wildcard = await pki.server({ commonName: "*.example.test", sans: ["*.example.test", "example.test"] });
    const rsaCert = new X509Certificate(rsa.certPem);
    expect(rsaCert.subject).toBe("CN=a.example.test");
    expect(rsaCert.subjectAltName).toBe("DNS:a.example.test");
    expect(rsaCert.publicKey.asymmetricKeyType).toBe("rsa");
    expect(rsaCert.checkPrivateKey(createPrivateKey(rsa.keyPem))).toBe(true);
    expect(rsaCert.verify(new X509Certificate(pki.root.certPem).publicKey)).toBe(true);
    const wildcardCert = new X509Certificate(wildcard.certPem);
    expect(wildcardCert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(wildcardCert.checkHost("b.example.test")).toBe("*.example.test");
    expect(wildcardCert.checkHost("a.b.example.test")).toBeUndefined();
  });

  it("builds chains leaf → intermediate → root, client certificates and expired certificates", async () => {
    const chained = await pki.server({ commonName: "chain.example.test", issuer: "intermediate" });
    const parts = chained.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/).filter(Boolean).map((pem) => new X509Certificate(pem));
    expect(parts.map((part) => part.subject)).toEqual(["CN=chain.example.test", "CN=ELB Test Intermediate CA", "CN=ELB Test Root CA"]);
    expect(parts[0]!.checkIssued(parts[1]!) && parts[1]!.checkIssued(parts[2]!)).toBe(true);
    const client = new X509Certificate((await pki.client({ commonName: "client-1" })).certPem);
    expect(client.keyUsage).toContain("1.3.6.1.5.5.7.3.2");
    const expired = new X509Certificate((await pki.server({ commonName: "old.example.test", days: -1 })).certPem);
    expect(Date.parse(expired.validTo)).toBeLessThan(Date.now());
  });

  it("turns a certificate into a SnapshotCertificate with its key sealed", async () => {
    const server = await pki.server({ commonName: "s.example.test", keyFormat: "traditional" });
    expect(server.keyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    const snapshotCertificate = toSnapshotCertificate("c1", server, { domainName: "s.example.test" });
    expect(snapshotCertificate.privateKeySealed).not.toContain("PRIVATE KEY");
    expect(openSecret(snapshotCertificate.privateKeySealed!, TEST_SECRET_KEY)).toBe(server.keyPem);
    expect(toSnapshotCertificate("ca", pki.root, { type: "CA" })).toMatchObject({ type: "CA", privateKeySealed: null, certificatePem: pki.root.certPem });
  });
});
