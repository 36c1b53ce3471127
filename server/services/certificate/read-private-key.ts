import "server-only";
import { createPrivateKey, type KeyObject, type X509Certificate } from "node:crypto";
import { AppError } from "../../errors";
import { DER_PRIVATE_KEY_MESSAGE } from "./binary-pem";
import { readPemBlocks, type PemField } from "./pem-rows";
import { describeCertificate } from "./read-certificate-content";

const FORMATS = "-----BEGIN RSA PRIVATE KEY----- (PKCS#1) or -----BEGIN PRIVATE KEY----- (PKCS#8); an EC key may also be -----BEGIN EC PRIVATE KEY-----";
const KEY: PemField = { field: "privateKey", label: "Private Key", expectedBegin: FORMATS, binaryMessage: DER_PRIVATE_KEY_MESSAGE };
const ENCRYPTED =
  "is encrypted; ELB needs an unencrypted private key. Decrypt it with openssl pkey -in encrypted.key -out server.key (you are asked for its pass phrase)";
const KEY_LABELS = new Set(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]);

const fail = (message: string): never => {
  throw new AppError("BAD_REQUEST", `Private Key: ${message}`, "privateKey");
};

/**
 * Reads a server certificate's Private Key (guide 6.1): PEM rows, one unencrypted key in PKCS#1
 * (BEGIN RSA PRIVATE KEY), PKCS#8 (BEGIN PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY, optionally after
 * the EC PARAMETERS block openssl ecparam writes), RSA or EC, matching the leaf (first) certificate. Returns the key as
 * PKCS#8 PEM (what is sealed and stored). No message ever quotes the key.
 */
export function readPrivateKey(text: string, certificates: readonly X509Certificate[]): string {
  const blocks = readPemBlocks(text, KEY).filter((block) => block.label !== "EC PARAMETERS");
  if (blocks.some((block) => block.label === "ENCRYPTED PRIVATE KEY" || block.headers.some((h) => /^Proc-Type:.*ENCRYPTED/i.test(h)))) fail(ENCRYPTED);
  if (blocks.length !== 1) fail(`paste exactly one private key (this holds ${blocks.length} PEM blocks)`);
  const block = blocks[0]!;
  if (block.label === "CERTIFICATE") fail("is a certificate; paste it in Certificate Content, and the private key here");
  if (!KEY_LABELS.has(block.label)) fail(`must start with ${FORMATS}`);
  if (block.headers.length > 0) fail("has header rows; an unencrypted key holds base64 rows only");
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block.text, format: "pem" });
  } catch {
    return fail(`is not a valid ${block.label === "PRIVATE KEY" ? "PKCS#8" : block.label === "RSA PRIVATE KEY" ? "PKCS#1 RSA" : "EC"} private key: its base64 does not decode to one`);
  }
  if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "ec") fail(`has key type ${key.asymmetricKeyType ?? "unknown"}; ELB supports RSA and EC keys`);
  if (!certificates[0]!.checkPrivateKey(key)) fail(`does not match ${describeCertificate(certificates, 0)} of Certificate Content: give the private key of the first (leaf) certificate`);
  return key.export({ type: "pkcs8", format: "pem" }) as string;
}
