import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "../test-support/fixtures";
import type { SlotAssignment } from "./worker-messages.types";
import { WorkerPool } from "./worker-pool";

const NO_SLOTS: SlotAssignment = { members: [], bandwidth: [] };

/**
 * The barrier and the restarts, with a scripted stand-in for the engine's worker thread (the real worker
 * is driven in engine/main.workers.test.ts). The script answers "apply" after `delays[workerIndex]` ms, and
 * a worker whose index is in `crashOnApply` exits instead, once per unit of the shared crash budget.
 */
const SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
const budget = new Int32Array(workerData.crashBudget);
parentPort.on("message", (m) => {
  if (m.type === "apply") {
    if (workerData.crashOnApply.includes(workerData.workerIndex) && Atomics.sub(budget, 0, 1) > 0) process.exit(3);
    if (workerData.hangOnApply === workerData.workerIndex && Atomics.sub(budget, 1, 1) > 0) return;
    setTimeout(() => parentPort.postMessage({ type: "applied", seq: m.seq, version: m.snapshot.version,
      errors: m.snapshot.version === 13 ? [{ listenerId: "l1", message: "bind failed" }] : [] }), workerData.delays[workerData.workerIndex] ?? 0);
  } else if (m.type === "stop") parentPort.postMessage({ type: "stopped" });
});
parentPort.postMessage({ type: "ready" });
`;

let dir = "";
let entry = "";
const pools: WorkerPool[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-worker-pool-"));
  entry = path.join(dir, "worker.cjs");
  await writeFile(entry, SCRIPT);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop(0)));
});

function workerPool(count: number, data: { delays?: number[]; crashOnApply?: number[]; crashes?: number; hangOnApply?: number; hangs?: number }, deadlineMs?: number) {
  const crashBudget = new SharedArrayBuffer(8);
  new Int32Array(crashBudget).set([data.crashes ?? 0, data.hangs ?? 0]);
  const logs: string[] = [];
  const pool = new WorkerPool({
    count,
    entry,
    workerData: { delays: data.delays ?? [], crashOnApply: data.crashOnApply ?? [], hangOnApply: data.hangOnApply ?? -1, crashBudget },
    applyDeadlineMs: deadlineMs,
    restartDelayMs: 20,
    log: (m) => logs.push(m),
  });
  pools.push(pool);
  return { pool, logs };
}

describe("WorkerPool", () => {
  it("resolves an apply only when every worker has applied it (the slowest decides)", async () => {
    const { pool } = workerPool(3, { delays: [0, 300, 50] });
    await pool.start();
    const started = Date.now();
    await pool.apply(snapshot(1, [], []), NO_SLOTS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(pool.status().map((s) => [s.state, s.version])).toEqual([["running", 1], ["running", 1], ["running", 1]]);
  });

  it("replaces a worker that dies during an apply, gives the new one the snapshot, and only then resolves", async () => {
    const { pool, logs } = workerPool(2, { crashOnApply: [1], crashes: 2 });
    await pool.start();
    const firstThread = pool.status()[1]!.threadId;
    await pool.apply(snapshot(7, [], []), NO_SLOTS);
    const [, second] = pool.status();
    expect(second).toMatchObject({ state: "running", version: 7, restarts: 2 });
    expect(second!.threadId).not.toBe(firstThread);
    expect(logs.filter((l) => /worker 1 exited \(code 3\)/.test(l))).toHaveLength(2);
    expect(logs.join("\n")).toMatch(/again in 20 ms[\s\S]*again in 40 ms/); // backoff doubles while it keeps dying
  });

  it("ends and replaces a worker that does not answer within the deadline", async () => {
    const { pool, logs } = workerPool(2, { hangOnApply: 0, hangs: 1 }, 200);
    await pool.start();
    await pool.apply(snapshot(3, [], []), NO_SLOTS);
    expect(logs.join("\n")).toMatch(/worker 0 did not apply snapshot 3 within 200 ms/);
    expect(pool.status()[0]).toMatchObject({ version: 3, restarts: 1 });
  });

  it("reports each listener error once, whatever the number of workers that hit it", async () => {
    const { pool } = workerPool(3, {});
    await pool.start();
    expect(await pool.apply(snapshot(13, [], []), NO_SLOTS)).toEqual([{ listenerId: "l1", message: "bind failed" }]);
    expect(await pool.apply(snapshot(14, [], []), NO_SLOTS)).toEqual([]);
  });
});
