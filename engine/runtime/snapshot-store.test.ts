import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snapshot } from "../test-support/fixtures";
import { isSnapshot, loadSnapshot, saveSnapshot } from "./snapshot-store";

describe("snapshot store", () => {
  let dir = "";
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("saves atomically and loads back; a missing file is null, a bad one throws", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "elb-store-"));
    const file = path.join(dir, "nested", "snapshot.json");
    expect(await loadSnapshot(file)).toBeNull();
    await saveSnapshot(file, snapshot(3, [], []));
    await saveSnapshot(file, snapshot(4, [], [], "pg-7"));
    expect(await loadSnapshot(file)).toMatchObject({ epoch: "pg-7", version: 4 });
    expect(await readdir(path.dirname(file))).toEqual(["snapshot.json"]); // no temp files left
    await writeFile(file, '{"version":"x"}');
    await expect(loadSnapshot(file)).rejects.toThrow(/not a snapshot/);
  });

  it("requires an epoch, but loads a file persisted before epochs existed as epoch \"\"", async () => {
    dir ||= await mkdtemp(path.join(os.tmpdir(), "elb-store-"));
    const { epoch: _epoch, ...legacy } = snapshot(7, [], []);
    expect(isSnapshot(legacy)).toBe(false);
    expect(isSnapshot({ ...legacy, epoch: 3 })).toBe(false);
    expect(isSnapshot(snapshot(7, [], [], ""))).toBe(true);
    const file = path.join(dir, "legacy.json");
    await writeFile(file, JSON.stringify(legacy));
    expect(await loadSnapshot(file)).toMatchObject({ epoch: "", version: 7, hash: "hash-7" });
  });
});
