import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEngineSecretKey as readFrom } from "./secret-key";

/** The environment as the engine gets it (only the variables a case sets). */
const readEngineSecretKey = (env: Record<string, string>) => readFrom(env as NodeJS.ProcessEnv);

describe("readEngineSecretKey", () => {
  let dir = "";
  beforeAll(async () => void (dir = await mkdtemp(path.join(tmpdir(), "elb-secret-"))));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const hex = "ab".repeat(32);

  it("ELB_SECRET_KEY first, else the file ELB_SECRET_KEY_FILE names", async () => {
    const file = path.join(dir, "secret.key");
    await writeFile(file, `${"cd".repeat(32)}\n`);
    expect(readEngineSecretKey({ ELB_SECRET_KEY: hex, ELB_SECRET_KEY_FILE: file }).key?.toString("hex")).toBe(hex);
    expect(readEngineSecretKey({ ELB_SECRET_KEY: "", ELB_SECRET_KEY_FILE: file })).toEqual({ key: Buffer.from("cd".repeat(32), "hex"), problem: null });
  });

  it("says why when there is none or it is unusable, without throwing", () => {
    expect(readEngineSecretKey({})).toMatchObject({ key: null, problem: expect.stringMatching(/no secret key/) });
    expect(readEngineSecretKey({ ELB_SECRET_KEY: "short" })).toMatchObject({ key: null, problem: expect.stringMatching(/^ELB_SECRET_KEY: .*32 bytes/) });
    expect(readEngineSecretKey({ ELB_SECRET_KEY_FILE: path.join(dir, "missing") })).toMatchObject({ key: null, problem: expect.stringMatching(/ELB_SECRET_KEY_FILE .*missing.*ENOENT/) });
  });
});
