import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pinWorkerEntry } from "./pinned-entry";

let dir = "";
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("pinWorkerEntry", () => {
  it("keeps the bundle as it was at start when a build replaces it on disk (as build-engine.mjs does, by rename)", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "elb-pin-"));
    const entry = path.join(dir, "main.js");
    await writeFile(entry, "old build");
    const pinned = pinWorkerEntry(entry, "a".repeat(64));
    expect(path.basename(pinned)).toBe(`.main-${"a".repeat(16)}.js`);
    await writeFile(path.join(dir, "main.js.next"), "new build");
    await rename(path.join(dir, "main.js.next"), entry);
    expect(await readFile(pinned, "utf8")).toBe("old build");
    expect(pinWorkerEntry(entry, "a".repeat(64))).toBe(pinned); // the same build reuses its pin
  });
});
