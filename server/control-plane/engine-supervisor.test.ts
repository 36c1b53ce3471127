import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineSupervisor } from "./engine-supervisor";
import { compileSnapshot } from "./compile-snapshot";

/** The real engine bundle, built into a temp folder, supervised as a separate process. */
let dir: string;
let entry: string;
let supervisor: EngineSupervisor | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "elb-supervisor-"));
  entry = path.join(dir, "engine.mjs");
  execFileSync(process.execPath, [path.resolve("scripts/build-engine.mjs"), entry], { stdio: "ignore" });
});
afterAll(async () => {
  await supervisor?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const waitFor = <T>(emitter: EngineSupervisor, event: string, predicate: (value: T) => boolean = () => true, timeoutMs = 10_000) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    const listener = (value: T) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });

describe("engine supervisor", () => {
  it("starts the engine, hands it a snapshot, and restarts it after it is killed", async () => {
    supervisor = new EngineSupervisor({ entry, stateDir: path.join(dir, "state"), initialBackoffMs: 100, pingIntervalMs: 200, env: { ELB_ENGINE_EXIT_WITH_PARENT: "1" } });
    const firstReady = waitFor<number>(supervisor, "ready");
    supervisor.start();
    const firstPid = await firstReady;
    expect(firstPid).toBeGreaterThan(0);
    expect(firstPid).not.toBe(process.pid);

    const snapshot = compileSnapshot({ loadBalancers: [], eips: [], listeners: [], pools: [], members: [], healthMonitors: [] }, 7, "supervisor-test");
    const applied = waitFor<number>(supervisor, "applied", (v) => v === 7);
    supervisor.publish(snapshot);
    await applied;
    await waitFor(supervisor, "pong", (p: { version: number }) => p.version === 7);
    expect(supervisor.status).toMatchObject({ state: "running", pid: firstPid, version: 7 });

    // Kill the engine the hard way: the supervisor must notice and start a new process.
    const exited = waitFor<{ signal: string | null }>(supervisor, "exit");
    const secondReady = waitFor<number>(supervisor, "ready");
    process.kill(firstPid, "SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    const secondPid = await secondReady;
    expect(secondPid).not.toBe(firstPid);
    expect(supervisor.status.restarts).toBe(1);
    // The restarted engine holds the same snapshot (from its disk copy, or re-sent by the supervisor).
    await waitFor(supervisor, "pong", (p: { version: number; pid: number }) => p.version === 7 && p.pid === secondPid);
    expect(supervisor.status).toMatchObject({ state: "running", pid: secondPid, version: 7 });
  });
});
