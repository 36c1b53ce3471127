import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";

/**
 * Runs a TypeScript worker script in real worker_threads, for tests of shared-memory classes across
 * threads. `script` is bundled with esbuild (its imports resolve from `resolveDir`) to a temporary
 * .mjs in os.tmpdir(); one Worker starts per entry of `workerData` (SharedArrayBuffers in it are
 * shared, not copied). The script answers with `parentPort.postMessage(result)` once; the results come
 * back in worker order. A worker that throws or exits without answering rejects the whole run.
 */
export async function runInThreads<T>(script: string, resolveDir: string, workerData: readonly unknown[]): Promise<T[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "elb-threads-"));
  const entry = path.join(dir, "worker.mjs");
  const workers: Worker[] = [];
  try {
    await build({
      stdin: { contents: script, resolveDir, sourcefile: "worker.ts", loader: "ts" },
      outfile: entry,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      logLevel: "warning",
    });
    return await Promise.all(
      workerData.map(
        (data) =>
          new Promise<T>((resolve, reject) => {
            const worker = new Worker(entry, { workerData: data });
            workers.push(worker);
            worker.once("message", (result: T) => resolve(result));
            worker.once("error", reject);
            worker.once("exit", (code) => reject(new Error(`worker exited with ${code} before answering`)));
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await rm(dir, { recursive: true, force: true });
  }
}
