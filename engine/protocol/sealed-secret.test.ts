import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, parseSecretKey, sealSecret } from "./sealed-secret";

const key = randomBytes(32);

describe("sealed secrets (AES-256-GCM)", () => {
  it("opens what it sealed; the sealed text does not contain the secret and differs every time", () => {
    const secret = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
    const a = sealSecret(secret, key);
    const b = sealSecret(secret, key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("PRIVATE KEY");
    expect(a.startsWith("v1.")).toBe(true);
    expect(openSecret(a, key)).toBe(secret);
    expect(openSecret(b, key)).toBe(secret);
  });

  it("refuses another key, a tampered ciphertext or tag, and malformed input", () => {
    const sealed = sealSecret("secret", key);
    expect(() => openSecret(sealed, randomBytes(32))).toThrow();
    const [v, iv, tag, ct] = sealed.split(".");
    const flip = (s: string) => Buffer.from(Buffer.from(s, "base64url").map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString("base64url");
    expect(() => openSecret([v, iv, tag, flip(ct!)].join("."), key)).toThrow();
    expect(() => openSecret([v, iv, flip(tag!), ct].join("."), key)).toThrow();
    expect(() => openSecret("v2." + [iv, tag, ct].join("."), key)).toThrow(/sealed secret/);
    expect(() => openSecret("plain text", key)).toThrow(/sealed secret/);
  });

  it("reads a key as 64 hex digits or base64, and refuses other lengths", () => {
    expect(parseSecretKey(key.toString("hex")).equals(key)).toBe(true);
    expect(parseSecretKey(` ${key.toString("base64")}\n`).equals(key)).toBe(true);
    expect(() => parseSecretKey("abcd")).toThrow(/32 bytes/);
    expect(() => parseSecretKey(randomBytes(16).toString("hex"))).toThrow(/32 bytes/);
  });
});
