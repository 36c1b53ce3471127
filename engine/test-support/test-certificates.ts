import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sealSecret } from "../protocol/sealed-secret";
import type { SnapshotCertificate } from "../protocol/snapshot.types";

/**
 * Test PKI generated at run time with the openssl CLI into a temp dir (never checked-in keys): a root CA,
 * an intermediate CA, server certificates (RSA or ECDSA P-256, CN + SANs, wildcards), chains
 * leaf → intermediate → root, client certificates and expired certificates. Every certificate comes as
 * PEM strings and as file paths (for curl/openssl s_client); `toSnapshotCertificate` turns one into a
 * `SnapshotCertificate` with its key sealed under `TEST_SECRET_KEY`.
 */

const run = promisify(execFile);

/** The secret key tests seal private keys with (one per test process); give the engine `TEST_SECRET_KEY_HEX`. */
export const TEST_SECRET_KEY: Buffer = randomBytes(32);
/** `TEST_SECRET_KEY` as 64 hex digits, the ELB_SECRET_KEY format. */
export const TEST_SECRET_KEY_HEX: string = TEST_SECRET_KEY.toString("hex");

/** Key algorithm of a generated certificate. */
export type TestKeyType = "rsa" | "ec";

/** One generated certificate with its key, as PEM and as files. */
export interface TestCertificate {
  /** The leaf certificate alone. */
  readonly certPem: string;
  /** The leaf followed by its issuing CAs up to (and including) the root: leaf → intermediate → root. */
  readonly chainPem: string;
  /** The private key (PKCS#8 unless `keyFormat: "traditional"`). */
  readonly keyPem: string;
  readonly certPath: string;
  readonly chainPath: string;
  readonly keyPath: string;
}

/** What to put in a leaf certificate. */
export interface LeafOptions {
  /** Subject CN; also the first SAN unless `sans` is given. */
  commonName: string;
  /** DNS subjectAltNames; default [commonName]. */
  sans?: string[];
  /** Default "ec" (P-256). */
  keyType?: TestKeyType;
  /** Signed by the root (default) or by the intermediate (then the chain has three certificates). */
  issuer?: "root" | "intermediate";
  /** Validity in days; a negative number gives a certificate that has already expired. Default 30. */
  days?: number;
  /** "pkcs8" (BEGIN PRIVATE KEY, default) or "traditional" (BEGIN RSA PRIVATE KEY / BEGIN EC PRIVATE KEY). */
  keyFormat?: "pkcs8" | "traditional";
}

/** A root CA, an intermediate CA and a factory for leaves they sign; `cleanup` removes the temp dir. */
export interface TestPki {
  readonly dir: string;
  /** Self-signed root CA (ECDSA P-256). `chainPem` = `certPem`. */
  readonly root: TestCertificate;
  /** Intermediate CA signed by the root. `chainPem` = intermediate → root. */
  readonly intermediate: TestCertificate;
  /** A server certificate (extendedKeyUsage serverAuth). */
  server(options: LeafOptions): Promise<TestCertificate>;
  /** A client certificate (extendedKeyUsage clientAuth) for mutual authentication. */
  client(options: LeafOptions): Promise<TestCertificate>;
  /** Removes every generated file. */
  cleanup(): Promise<void>;
}

/** A self-contained PKI that only knows itself: use a second one as "another CA" in negative tests. */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(path.join(tmpdir(), "elb-test-pki-"));
  let counter = 0;
  const next = (label: string): string => path.join(dir, `${String(++counter).padStart(3, "0")}-${label.replace(/[^a-zA-Z0-9.-]/g, "_")}`);

  const root = await makeRoot(next("root"));
  const intermediate = await makeLeaf(next("intermediate"), { commonName: "ELB Test Intermediate CA", days: 30 }, root, "ca");
  const issuers = { root, intermediate };

  return {
    dir,
    root,
    intermediate,
    server: (options) => makeLeaf(next(options.commonName), options, issuers[options.issuer ?? "root"], "server"),
    client: (options) => makeLeaf(next(options.commonName), options, issuers[options.issuer ?? "root"], "client"),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A server `SnapshotCertificate` of `certificate` (chain served in full, key sealed with `key`), or a CA
 * one when `type` is "CA" (certificate only, no key).
 */
export function toSnapshotCertificate(
  id: string,
  certificate: TestCertificate,
  options: { type?: "SERVER" | "CA"; domainName?: string | null; key?: Buffer } = {},
): SnapshotCertificate {
  const type = options.type ?? "SERVER";
  return {
    id,
    type,
    certificatePem: type === "CA" ? certificate.certPem : certificate.chainPem,
    privateKeySealed: type === "CA" ? null : sealSecret(certificate.keyPem, options.key ?? TEST_SECRET_KEY),
    domainName: options.domainName ?? null,
  };
}

async function openssl(args: string[]): Promise<void> {
  await run("openssl", args, { timeout: 20_000 });
}

async function generateKey(keyPath: string, keyType: TestKeyType, keyFormat: "pkcs8" | "traditional"): Promise<void> {
  const algorithm = keyType === "rsa" ? ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"] : ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
  if (keyFormat === "pkcs8") return openssl(["genpkey", ...algorithm, "-out", keyPath]);
  await openssl(["genpkey", ...algorithm, "-out", `${keyPath}.pkcs8`]);
  await openssl(["pkey", "-in", `${keyPath}.pkcs8`, "-traditional", "-out", keyPath]);
}

async function makeRoot(base: string): Promise<TestCertificate> {
  const keyPath = `${base}.key`;
  const certPath = `${base}.crt`;
  await generateKey(keyPath, "ec", "pkcs8");
  await openssl([
    "req", "-x509", "-new", "-key", keyPath, "-subj", "/CN=ELB Test Root CA", "-days", "30", "-out", certPath,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  const certPem = await readFile(certPath, "utf8");
  return { certPem, chainPem: certPem, keyPem: await readFile(keyPath, "utf8"), certPath, chainPath: certPath, keyPath };
}

const EXTENSIONS: Record<"ca" | "server" | "client", string> = {
  ca: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
  server: "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
  client: "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
};

async function makeLeaf(base: string, options: LeafOptions, issuer: TestCertificate, kind: "ca" | "server" | "client"): Promise<TestCertificate> {
  const keyPath = `${base}.key`;
  const csrPath = `${base}.csr`;
  const certPath = `${base}.crt`;
  const chainPath = `${base}.chain.crt`;
  const extPath = `${base}.ext`;
  await generateKey(keyPath, options.keyType ?? "ec", options.keyFormat ?? "pkcs8");
  await openssl(["req", "-new", "-key", keyPath, "-subj", `/CN=${options.commonName}`, "-out", csrPath]);
  const sans = kind === "ca" ? [] : options.sans ?? [options.commonName];
  const san = sans.length > 0 ? `subjectAltName=${sans.map((name) => `DNS:${name}`).join(",")}\n` : "";
  await writeFile(extPath, EXTENSIONS[kind] + san);
  await openssl([
    "x509", "-req", "-in", csrPath, "-CA", issuer.certPath, "-CAkey", issuer.keyPath,
    "-set_serial", `0x${randomBytes(8).toString("hex")}`, "-days", String(options.days ?? 30), "-extfile", extPath, "-out", certPath,
  ]);
  const certPem = await readFile(certPath, "utf8");
  const chainPem = certPem + issuer.chainPem;
  await writeFile(chainPath, chainPem);
  return { certPem, chainPem, keyPem: await readFile(keyPath, "utf8"), certPath, chainPath, keyPath };
}
