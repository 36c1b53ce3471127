import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Certificates for tests, made at run time with the openssl CLI in a temp folder (never checked-in
 * keys): a root CA, an intermediate CA, and leaves with any key type and format, SANs and validity
 * dates in the past or future (`openssl ca -startdate/-enddate`, which OpenSSL 3.0's x509 lacks).
 */

const run = promisify(execFile);

/** A generated certificate: PEM texts and the key in the forms 6.1 talks about. */
export interface GeneratedCertificate {
  certPem: string;
  /** PKCS#8 (BEGIN PRIVATE KEY). */
  keyPem: string;
  /** PKCS#1 (BEGIN RSA PRIVATE KEY) for RSA, SEC1 (BEGIN EC PRIVATE KEY) for EC. */
  traditionalKeyPem: string;
  /** The certificate as DER bytes. */
  der: Buffer;
  certPath: string;
  keyPath: string;
}

/** What to put in a generated certificate. */
export interface IssueOptions {
  commonName: string;
  /** DNS SANs; default [commonName]; [] = none. */
  sans?: string[];
  /** Default "ec" (P-256). */
  keyType?: "rsa" | "ec";
  /** Signed by "root" (default), "intermediate", or itself ("self"). */
  issuer?: "root" | "intermediate" | "self";
  /** A CA certificate (basicConstraints CA:TRUE). Default false. */
  ca?: boolean;
  /** Default: one hour ago. */
  notBefore?: Date;
  /** Default: 90 days from now. */
  notAfter?: Date;
  /** Reuse this certificate's key (a renewal) instead of generating one. */
  keyFrom?: GeneratedCertificate;
  /** Leave out the subject/authority key identifiers (then only names tie a certificate to its issuer). */
  noKeyIdentifiers?: boolean;
}

/** A root and an intermediate CA and a factory of certificates; `cleanup` removes the folder. */
export interface CertificateFactory {
  root: GeneratedCertificate;
  /** Signed by the root. */
  intermediate: GeneratedCertificate;
  issue(options: IssueOptions): Promise<GeneratedCertificate>;
  /** The key of `certificate` encrypted with a pass phrase: PKCS#8 (ENCRYPTED PRIVATE KEY) or traditional (Proc-Type: 4,ENCRYPTED). */
  encryptedKey(certificate: GeneratedCertificate, format: "pkcs8" | "traditional"): Promise<string>;
  cleanup(): Promise<void>;
}

const DAY = 24 * 60 * 60 * 1000;

async function openssl(args: string[]): Promise<string> {
  return (await run("openssl", args, { timeout: 20_000 })).stdout;
}

/** "20240102030405Z", the date form of openssl ca. */
function asn1Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

/** Creates the CAs in a new temp folder. */
export async function createCertificateFactory(): Promise<CertificateFactory> {
  const dir = await mkdtemp(path.join(tmpdir(), "elb-test-certs-"));
  let counter = 0;
  await writeFile(path.join(dir, "index.txt"), "");
  await writeFile(path.join(dir, "serial"), `${randomBytes(8).toString("hex")}\n`);
  await writeFile(
    path.join(dir, "ca.cnf"),
    [
      "[ca]",
      "default_ca = test_ca",
      "[test_ca]",
      `database = ${path.join(dir, "index.txt")}`,
      `new_certs_dir = ${dir}`,
      `serial = ${path.join(dir, "serial")}`,
      "default_md = sha256",
      "policy = any_name",
      "unique_subject = no",
      "email_in_dn = no",
      "[any_name]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );

  const issue = async (options: IssueOptions, issuer: GeneratedCertificate | null): Promise<GeneratedCertificate> => {
    const base = path.join(dir, `${String(++counter).padStart(3, "0")}`);
    const keyPath = `${base}.key`;
    const certPath = `${base}.crt`;
    const keyType = options.keyType ?? "ec";
    const algorithm = keyType === "rsa" ? ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"] : ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
    if (options.keyFrom) await writeFile(keyPath, options.keyFrom.keyPem, { mode: 0o600 });
    else await openssl(["genpkey", ...algorithm, "-out", keyPath]);
    await openssl(["req", "-new", "-key", keyPath, "-subj", `/CN=${options.commonName}`, "-out", `${base}.csr`]);
    const sans = options.ca ? [] : (options.sans ?? [options.commonName]);
    const extensions = options.ca
      ? "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
      : "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n";
    const keyIds = options.noKeyIdentifiers ? "subjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n" : "";
    await writeFile(`${base}.ext`, extensions + keyIds + (sans.length > 0 ? `subjectAltName=${sans.map((s) => `DNS:${s}`).join(",")}\n` : ""));
    const signer = issuer ? ["-cert", issuer.certPath, "-keyfile", issuer.keyPath] : ["-selfsign", "-keyfile", keyPath];
    await openssl([
      "ca", "-batch", "-notext", "-config", path.join(dir, "ca.cnf"), ...signer, "-in", `${base}.csr`, "-out", certPath, "-extfile", `${base}.ext`,
      "-startdate", asn1Time(options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000)),
      "-enddate", asn1Time(options.notAfter ?? new Date(Date.now() + 90 * DAY)),
    ]);
    const traditionalKeyPem = await openssl(["pkey", "-in", keyPath, "-traditional"]);
    return {
      certPem: await readFile(certPath, "utf8"),
      keyPem: await readFile(keyPath, "utf8"),
      traditionalKeyPem,
      der: Buffer.from(await openssl(["x509", "-in", certPath, "-outform", "DER", "-out", `${base}.der`]).then(() => readFile(`${base}.der`))),
      certPath,
      keyPath,
    };
  };

  const root = await issue({ commonName: "ELB Test Root CA", ca: true }, null);
  const intermediate = await issue({ commonName: "ELB Test Intermediate CA", ca: true }, root);
  const issuers = { root, intermediate };
  return {
    root,
    intermediate,
    issue: (options) => (options.issuer === "self" ? issue(options, null) : issue(options, issuers[options.issuer ?? "root"])),
    async encryptedKey(certificate, format) {
      const pass = `pass:${randomBytes(8).toString("hex")}`;
      if (format === "pkcs8") return openssl(["pkey", "-in", certificate.keyPath, "-aes256", "-passout", pass]);
      return openssl(["pkey", "-in", certificate.keyPath, "-traditional", "-aes256", "-passout", pass]);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
