import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openSecret, sealSecret } from "@/engine/protocol/sealed-secret";
import { engineSecretKeyEnvironment } from "../control-plane/engine-process";
import { loadSecretKey, secretKey } from "./secret-key";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "elb-secret-key-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  vi.unstubAllEnvs();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the secret key sealing private keys", () => {
  it("is generated once into <data dir>/secret.key with mode 0600 (under a loose umask too) and reused", () => {
    const dataDir = path.join(tempDir(), "data");
    const umask = process.umask(0o000);
    let first;
    try {
      first = loadSecretKey({ envKey: "", dataDir });
    } finally {
      process.umask(umask);
    }
    const file = path.join(dataDir, "secret.key");
    expect(first).toMatchObject({ source: "file", file });
    expect(first.key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, "utf8")).toBe(`${first.key.toString("hex")}\n`);
    const again = loadSecretKey({ envKey: "", dataDir });
    expect(again.key.equals(first.key)).toBe(true);
    // What one process sealed, the next one (a restarted console, the engine) opens.
    expect(openSecret(sealSecret("key material", first.key), again.key)).toBe("key material");
  });

  it("tightens a key file left readable by others, and refuses a malformed one naming the file", () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, "secret.key");
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o644 });
    loadSecretKey({ envKey: "", dataDir });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, "not a key");
    expect(() => loadSecretKey({ envKey: "", dataDir })).toThrow(`${file}: the secret key must be 32 bytes`);
  });

  it("is ELB_SECRET_KEY when set (hex or base64): no key file is made; a malformed one is refused by name", () => {
    const dataDir = tempDir();
    const hex = randomBytes(32).toString("hex");
    const fromEnv = loadSecretKey({ envKey: hex, dataDir });
    expect(fromEnv).toMatchObject({ source: "env", file: null });
    expect(fromEnv.key.toString("hex")).toBe(hex);
    expect(loadSecretKey({ envKey: Buffer.from(hex, "hex").toString("base64"), dataDir }).key.toString("hex")).toBe(hex);
    expect(() => statSync(path.join(dataDir, "secret.key"))).toThrow(/ENOENT/);
    expect(() => loadSecretKey({ envKey: "abc", dataDir })).toThrow(/^ELB_SECRET_KEY: the secret key must be 32 bytes/);
  });

  it("secretKey() follows ELB_SECRET_KEY and ELB_DATA_DIR, and the engine is told the same source", () => {
    const dataDir = tempDir();
    vi.stubEnv("ELB_SECRET_KEY", "");
    vi.stubEnv("ELB_DATA_DIR", dataDir);
    const fromFile = secretKey();
    expect(fromFile.file).toBe(path.join(dataDir, "secret.key"));
    expect(secretKey()).toBe(fromFile);
    expect(engineSecretKeyEnvironment(fromFile)).toEqual({ ELB_SECRET_KEY_FILE: path.join(dataDir, "secret.key") });
    const hex = randomBytes(32).toString("hex");
    vi.stubEnv("ELB_SECRET_KEY", hex);
    expect(secretKey().key.toString("hex")).toBe(hex);
    expect(engineSecretKeyEnvironment(secretKey())).toEqual({ ELB_SECRET_KEY: hex });
  });
});
