import { execFileSync } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { createCertificateFactory, type CertificateFactory, type GeneratedCertificate } from "./test-support";
import { validateCertificate, type CertificateDraft } from "./validate-certificate";
import { readPemBlocks } from "./pem-rows";

/**
 * Guide 6.1 and 6.3 rule by rule, good and bad inputs, on certificates openssl makes at run time.
 * Every refusal must be an AppError naming the field.
 */
let pki: CertificateFactory;
let rsa: GeneratedCertificate; // RSA leaf signed by the intermediate
let ec: GeneratedCertificate; // EC leaf signed by the root
let wildcard: GeneratedCertificate;
let expired: GeneratedCertificate;
let future: GeneratedCertificate;
let other: GeneratedCertificate;
const now = new Date();

beforeAll(async () => {
  pki = await createCertificateFactory();
  rsa = await pki.issue({ commonName: "www.example.test", sans: ["www.example.test", "example.test"], keyType: "rsa", issuer: "intermediate" });
  ec = await pki.issue({ commonName: "api.example.test" });
  wildcard = await pki.issue({ commonName: "*.shop.example.test", sans: ["*.shop.example.test"] });
  expired = await pki.issue({ commonName: "old.example.test", notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2020-02-01T00:00:00Z") });
  future = await pki.issue({ commonName: "soon.example.test", notBefore: new Date("2040-03-04T05:06:07Z"), notAfter: new Date("2041-01-01T00:00:00Z") });
  other = await pki.issue({ commonName: "other.example.test", issuer: "self" });
});
afterAll(async () => {
  await pki?.cleanup();
});

const chainOf = (...certificates: GeneratedCertificate[]) => certificates.map((c) => c.certPem).join("");
const draft = (d: Partial<CertificateDraft>): CertificateDraft => ({ type: "SERVER", content: ec.certPem, contentIsNew: true, privateKey: ec.keyPem, domainName: null, ...d });
const refusal = (d: Partial<CertificateDraft>): AppError => {
  try {
    validateCertificate(draft(d), now);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a refusal");
};
/** Re-wraps a PEM block's base64 at `width` characters per row. */
const rewrap = (pem: string, width: number) => {
  const [begin, ...rest] = pem.trim().split("\n");
  const end = rest.pop()!;
  const body = rest.join("");
  return [begin, ...(body.match(new RegExp(`.{1,${width}}`, "g")) ?? []), end].join("\n") + "\n";
};
const rows = (pem: string) => pem.trimEnd().split("\n");

describe("good certificates and keys (6.1)", () => {
  it("accepts an RSA certificate chain leaf → intermediate with a PKCS#1 key, and stores the key as PKCS#8", () => {
    expect(rsa.traditionalKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const valid = validateCertificate(draft({ content: chainOf(rsa, pki.intermediate), privateKey: rsa.traditionalKeyPem }), now);
    expect(valid.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(valid.privateKeyPem!).asymmetricKeyType).toBe("rsa");
    expect(valid.certificatePem).toBe(chainOf(rsa, pki.intermediate));
    expect(valid.facts).toMatchObject({ subject: "CN=www.example.test", issuer: "CN=ELB Test Intermediate CA", subjectAltNames: ["www.example.test", "example.test"] });
    expect(valid.facts.fingerprint256).toBe(new X509Certificate(rsa.certPem).fingerprint256);
    expect(valid.facts.notAfter.getTime()).toBe(new Date(new X509Certificate(rsa.certPem).validTo).getTime());
  });

  it("accepts the full chain leaf → intermediate → root, RSA PKCS#8 keys, EC PKCS#8 and EC SEC1 keys (also after EC PARAMETERS)", () => {
    expect(validateCertificate(draft({ content: chainOf(rsa, pki.intermediate, pki.root), privateKey: rsa.keyPem }), now).facts.subject).toBe("CN=www.example.test");
    expect(ec.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(validateCertificate(draft({}), now).privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(ec.traditionalKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(validateCertificate(draft({ privateKey: ec.traditionalKeyPem }), now).privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const withParameters = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${ec.traditionalKeyPem}`;
    expect(validateCertificate(draft({ privateKey: withParameters }), now).privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it("tolerates CRLF line ends, one trailing newline or none, and spaces at the end of rows; stores LF text", () => {
    const crlf = chainOf(ec).replace(/\n/g, "\r\n");
    expect(validateCertificate(draft({ content: crlf, privateKey: ec.keyPem.replace(/\n/g, "\r\n") }), now).certificatePem).toBe(ec.certPem);
    expect(validateCertificate(draft({ content: ec.certPem.trimEnd() }), now).certificatePem).toBe(ec.certPem);
    expect(validateCertificate(draft({ content: ec.certPem.replace(/\n/g, "  \n") }), now).certificatePem).toBe(ec.certPem);
  });

  it("accepts a last row of 64 characters (openssl writes one when the base64 fills the row)", () => {
    const full = `-----BEGIN CERTIFICATE-----\n${"A".repeat(64)}\n${"B".repeat(64)}\n-----END CERTIFICATE-----\n`;
    const spec = { field: "content", label: "Certificate Content", expectedBegin: "-----BEGIN CERTIFICATE-----", binaryMessage: "binary" };
    expect(readPemBlocks(full, spec)).toEqual([{ label: "CERTIFICATE", headers: [], text: full, beginRow: 1 }]);
    expect(() => readPemBlocks(full.replace("B".repeat(64), "B".repeat(65)), spec)).toThrow(/row 3 has 65 characters/);
  });

  it("accepts CA certificates, one or a bundle, without a key", () => {
    const valid = validateCertificate(draft({ type: "CA", content: chainOf(pki.root, pki.intermediate), privateKey: undefined }), now);
    expect(valid.privateKeyPem).toBeNull();
    expect(valid.facts.subject).toBe("CN=ELB Test Root CA");
  });
});

describe("certificate content refused (6.1, 6.2)", () => {
  it("a wrong or missing first row, text before it, a missing END", () => {
    expect(refusal({ content: ec.certPem.replace(/CERTIFICATE/g, "CERTIFICATE REQUEST") })).toMatchObject({ field: "content", message: expect.stringMatching(/only -----BEGIN CERTIFICATE----- blocks are allowed/) });
    expect(refusal({ content: rows(ec.certPem).slice(1).join("\n") }).message).toBe("Certificate Content: must start with -----BEGIN CERTIFICATE-----");
    expect(refusal({ content: `subject=CN=api.example.test\n${ec.certPem}` }).message).toBe("Certificate Content: must start with -----BEGIN CERTIFICATE-----");
    expect(refusal({ content: rows(ec.certPem).slice(0, -1).join("\n") }).message).toMatch(/must end with -----END CERTIFICATE----- \(the block starting at row 1 is not closed\)/);
    expect(refusal({ content: ec.certPem.replace("-----END CERTIFICATE-----", "-----END X509 CRL-----") }).message).toMatch(/does not close -----BEGIN CERTIFICATE-----/);
  });

  it("empty rows: inside a block, between blocks, at the start, two trailing newlines", () => {
    const r = rows(ec.certPem);
    expect(refusal({ content: [...r.slice(0, 3), "", ...r.slice(3)].join("\n") })).toMatchObject({ field: "content", message: "Certificate Content: row 4 is empty; remove empty rows" });
    expect(refusal({ content: `${rsa.certPem}\n${pki.intermediate.certPem}` }).message).toMatch(new RegExp(`row ${rows(rsa.certPem).length + 1} is empty`));
    expect(refusal({ content: `\n${ec.certPem}` }).message).toMatch(/row 1 is empty/);
    expect(refusal({ content: `${ec.certPem}\n` }).message).toMatch(/is empty/);
  });

  it("rows not of 64 characters: 76-character rows, a short row before the last", () => {
    expect(refusal({ content: rewrap(ec.certPem, 76) }).message).toMatch(/^Certificate Content: row 2 has 76 characters; each row must have 64 characters/);
    const r = rows(ec.certPem);
    const short = [r[0], r[1]!.slice(0, 60), r[1]!.slice(60) + r[2]!.slice(0, 4), ...r.slice(3)].join("\n");
    expect(refusal({ content: short }).message).toMatch(/row 2 has 60 characters; each row must have 64 characters except the last row/);
    expect(refusal({ content: ec.certPem.replace(/\n([A-Za-z0-9+/]{10})/, "\n$1é") }).message).toMatch(/row 2 contains characters that are not base64/);
  });

  it("DER pasted or uploaded as text: points at openssl x509 -inform der", () => {
    const asText = ec.der.toString("utf8");
    expect(refusal({ content: asText })).toMatchObject({ field: "content", message: expect.stringMatching(/binary \(a DER or PFX file\), not PEM.*openssl x509 -inform der -in certificate\.cer -out certificate\.pem/) });
    expect(refusal({ content: ec.der.toString("latin1") }).message).toMatch(/openssl x509 -inform der/);
  });

  it("base64 that is not a certificate, a private key or a P7B in the content", () => {
    const r = rows(ec.certPem);
    const garbage = [r[0], ...r.slice(1, -1).map((row) => "A".repeat(row.length)), r.at(-1)].join("\n");
    expect(refusal({ content: garbage }).message).toMatch(/the certificate \(row 1\) is not a valid X\.509 certificate/);
    expect(refusal({ content: `${ec.certPem}${ec.keyPem}` }).message).toMatch(/block 2 \(row \d+\) is a private key; paste the private key in Private Key/);
    expect(refusal({ content: ec.certPem.replace(/CERTIFICATE/g, "PKCS7") }).message).toMatch(/PKCS#7 \(P7B\); convert it with openssl pkcs7 -print_certs/);
  });

  it("an expired or not yet valid certificate, saying the date", () => {
    expect(refusal({ content: expired.certPem, privateKey: expired.keyPem })).toMatchObject({
      field: "content",
      message: "Certificate Content: the certificate (CN=old.example.test) expired on 2020-02-01 00:00:00 UTC",
    });
    expect(refusal({ content: future.certPem, privateKey: future.keyPem }).message).toBe(
      "Certificate Content: the certificate (CN=soon.example.test) is not valid yet: its validity starts 2040-03-04 05:06:07 UTC",
    );
    // Stored content is not re-dated (Modify of the name or domain of an expired certificate).
    expect(validateCertificate(draft({ content: expired.certPem, privateKey: expired.keyPem, contentIsNew: false }), now).facts.subject).toBe("CN=old.example.test");
  });

  it("a chain in the wrong order, saying which certificate must come first", async () => {
    expect(refusal({ content: chainOf(pki.intermediate, rsa), privateKey: rsa.keyPem }).message).toBe(
      "Certificate Content: the chain is in the wrong order: certificate 1 of 2 (CN=ELB Test Intermediate CA) issued certificate 2 of 2 (CN=www.example.test), so certificate 2 of 2 (CN=www.example.test) must come before it. Order: leaf (server) certificate, then intermediate, then root",
    );
    expect(refusal({ content: chainOf(rsa, pki.root, pki.intermediate), privateKey: rsa.keyPem }).message).toMatch(
      /wrong order: certificate 1 of 3 \(CN=www\.example\.test\) is issued by certificate 3 of 3 \(CN=ELB Test Intermediate CA\), which must come right after it/,
    );
    expect(refusal({ content: chainOf(pki.root, pki.intermediate, rsa), privateKey: rsa.keyPem }).message).toMatch(/wrong order: certificate 1 of 3 \(CN=ELB Test Root CA\) issued certificate 2 of 3/);
    // The issuer's name without key identifiers, another key: only the signature tells them apart.
    const lookalike = await pki.issue({ commonName: "ELB Test Intermediate CA", ca: true, noKeyIdentifiers: true });
    expect(new X509Certificate(rsa.certPem).checkIssued(new X509Certificate(lookalike.certPem))).toBe(true);
    expect(refusal({ content: chainOf(rsa, lookalike), privateKey: rsa.keyPem }).message).toBe(
      "Certificate Content: certificate 1 of 2 (CN=www.example.test) names certificate 2 of 2 (CN=ELB Test Intermediate CA) as its issuer, but its signature does not verify with that certificate's key",
    );
    expect(refusal({ content: chainOf(ec, other), privateKey: ec.keyPem }).message).toBe(
      "Certificate Content: certificate 1 of 2 (CN=api.example.test) is not issued by certificate 2 of 2 (CN=other.example.test): a chain goes leaf → intermediate → root, each certificate issued by the next",
    );
  });

  it("a server certificate under CA certificate", () => {
    expect(refusal({ type: "CA", content: ec.certPem, privateKey: undefined })).toMatchObject({ field: "content", message: expect.stringMatching(/\(CN=api\.example\.test\) is not a CA certificate/) });
  });
});

describe("private key refused (6.1)", () => {
  it("missing for a server certificate, given for a CA certificate", () => {
    expect(refusal({ privateKey: undefined })).toMatchObject({ field: "privateKey", message: expect.stringMatching(/^Private Key: a server certificate needs its private key/) });
    expect(refusal({ type: "CA", content: pki.root.certPem, privateKey: pki.root.keyPem })).toMatchObject({ field: "privateKey", message: expect.stringMatching(/a CA certificate has no private key/) });
  });

  it("encrypted keys: PKCS#8 ENCRYPTED PRIVATE KEY and traditional Proc-Type: 4,ENCRYPTED", async () => {
    const pkcs8 = await pki.encryptedKey(ec, "pkcs8");
    const traditional = await pki.encryptedKey(rsa, "traditional");
    expect(pkcs8).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(traditional).toMatch(/Proc-Type: 4,ENCRYPTED/);
    expect(refusal({ privateKey: pkcs8 })).toMatchObject({ field: "privateKey", message: expect.stringMatching(/^Private Key: is encrypted; ELB needs an unencrypted private key/) });
    expect(refusal({ content: rsa.certPem, privateKey: traditional }).message).toMatch(/^Private Key: is encrypted/);
  });

  it("a key of another certificate, a wrong header, empty rows, a certificate as key, an Ed25519 key, DER", () => {
    expect(refusal({ privateKey: rsa.keyPem })).toMatchObject({ field: "privateKey", message: "Private Key: does not match the certificate (CN=api.example.test) of Certificate Content: give the private key of the first (leaf) certificate" });
    expect(refusal({ content: chainOf(rsa, pki.intermediate), privateKey: pki.intermediate.keyPem }).message).toMatch(/does not match certificate 1 of 2 \(CN=www\.example\.test\)/);
    expect(refusal({ privateKey: ec.keyPem.replace(/PRIVATE KEY/g, "PUBLIC KEY") }).message).toMatch(/^Private Key: must start with -----BEGIN RSA PRIVATE KEY----- \(PKCS#1\) or -----BEGIN PRIVATE KEY----- \(PKCS#8\)/);
    const r = rows(rsa.keyPem);
    expect(refusal({ content: rsa.certPem, privateKey: [...r.slice(0, 2), "", ...r.slice(2)].join("\n") }).message).toBe("Private Key: row 3 is empty; remove empty rows");
    expect(refusal({ privateKey: ec.certPem }).message).toMatch(/^Private Key: is a certificate; paste it in Certificate Content/);
    const ed25519 = execFileSync("openssl", ["genpkey", "-algorithm", "ed25519"], { encoding: "utf8" });
    expect(refusal({ privateKey: ed25519 }).message).toBe("Private Key: has key type ed25519; ELB supports RSA and EC keys");
    const der = execFileSync("openssl", ["pkey", "-in", ec.keyPath, "-outform", "DER"]);
    expect(refusal({ privateKey: der.toString("utf8") }).message).toMatch(/^Private Key: is binary.*openssl rsa -inform DER -outform PEM/);
  });

  it("no message quotes the key", () => {
    const body = rows(rsa.keyPem)[1]!;
    for (const key of [rsa.keyPem, rsa.keyPem.replace(/-----BEGIN PRIVATE KEY-----\n/, ""), rewrap(rsa.keyPem, 76), `${rsa.keyPem}${rsa.keyPem}`])
      expect(refusal({ privateKey: key }).message).not.toContain(body.slice(0, 16));
  });
});

describe("Domain Name (6.3)", () => {
  it("must be a name of the certificate: SAN, CN without SANs, covered by a wildcard SAN; a wildcard only when the certificate has it", async () => {
    expect(validateCertificate(draft({ content: rsa.certPem, privateKey: rsa.keyPem, domainName: "example.test" }), now).leaf.subject).toBe("CN=www.example.test");
    expect(() => validateCertificate(draft({ content: wildcard.certPem, privateKey: wildcard.keyPem, domainName: "a.shop.example.test" }), now)).not.toThrow();
    expect(() => validateCertificate(draft({ content: wildcard.certPem, privateKey: wildcard.keyPem, domainName: "*.shop.example.test" }), now)).not.toThrow();
    const cnOnly = await pki.issue({ commonName: "cn-only.example.test", sans: [] });
    expect(() => validateCertificate(draft({ content: cnOnly.certPem, privateKey: cnOnly.keyPem, domainName: "cn-only.example.test" }), now)).not.toThrow();
    expect(refusal({ content: rsa.certPem, privateKey: rsa.keyPem, domainName: "*.example.test" })).toMatchObject({
      field: "domainName",
      message: "Domain Name: *.example.test is not a domain name of the certificate (it holds www.example.test, example.test); the domain name must be the same as in the certificate",
    });
    expect(refusal({ content: wildcard.certPem, privateKey: wildcard.keyPem, domainName: "a.b.shop.example.test" }).field).toBe("domainName");
    expect(refusal({ content: rsa.certPem, privateKey: rsa.keyPem, domainName: "www.example.org" }).message).toMatch(/www\.example\.org is not a domain name of the certificate/);
    expect(refusal({ type: "CA", content: pki.root.certPem, privateKey: undefined, domainName: "ca.example.test" })).toMatchObject({ field: "domainName", message: expect.stringMatching(/only a server certificate takes a domain name/) });
  });
});
