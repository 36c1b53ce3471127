import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { downloadStream } from "./download-stream";
import { testLine, writeTestFile } from "./test-lines";

/**
 * A download the client abandons (the route's ReadableStream cancel → the generator's return) closes
 * every file it had open, also when an hour has several worker files merged by msec.
 */
const root = mkdtempSync(path.join(os.tmpdir(), "elb-access-download-cancel-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Descriptors of this process open on files under `folder` (Linux /proc). */
function openUnder(folder: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(folder + path.sep)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

describe("downloadStream cancelled", () => {
  it("a merged hour (two worker files) closes both files when the consumer stops after the first chunk", async () => {
    const folder = path.join(root, "two-workers");
    const hour = Date.UTC(2026, 11, 1, 10);
    // Big enough (≈ 3 MB each) that neither file is read to its end by the first chunk.
    for (const worker of [0, 1]) writeTestFile(folder, hour, worker, Array.from({ length: 10_000 }, (_, i) => testLine({ ms: hour + i * 300 + worker, status: 200 })));
    const chunks = downloadStream(folder, { fromMs: hour, toMs: hour + 3_600_000 });
    const first = await chunks.next();
    expect(first.done).toBe(false);
    expect(openUnder(folder)).toBeGreaterThan(0); // reading is under way
    await chunks.return(undefined);
    for (let i = 0; i < 20 && openUnder(folder) > 0; i++) await new Promise((r) => setTimeout(r, 10)); // closes are asynchronous
    expect(openUnder(folder)).toBe(0);
  });
});
