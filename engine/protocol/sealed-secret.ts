import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * A secret sealed with AES-256-GCM, as stored in the database (certificates.private_key_sealed) and
 * carried in snapshots: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. The console seals, the engine
 * opens; both get the 32-byte key from `ELB_SECRET_KEY` or the key file (see server/crypto/secret-key.ts).
 */
const VERSION = "v1";
const IV_BYTES = 12;

/** Seals `plaintext` (UTF-8) with a fresh random IV. */
export function sealSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** Opens a sealed secret; throws when it is malformed, sealed with another key, or tampered with. */
export function openSecret(sealed: string, key: Buffer): string {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined || rest.length > 0) throw new Error("not a sealed secret (v1.iv.tag.ciphertext)");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64/base64url (the key file's and
 * ELB_SECRET_KEY's format); throws naming the expected format otherwise.
 */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("the secret key must be 32 bytes: 64 hex digits or base64 (openssl rand -hex 32)");
  return key;
}
