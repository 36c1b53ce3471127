import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { EngineSupervisor } from "./engine-supervisor";

/**
 * The restart backoff of the engine supervisor with its defaults (0.5 s, doubling, at most 30 s, back to
 * 0.5 s after a run of more than 60 s), on a fake clock: the engine is a stand-in process that exits at
 * once (a crash loop), or stays up while a "stay" file exists in its state folder. Only the supervisor's
 * timers and Date are fake; processes, sockets and their events are real.
 */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
let dir: string;
let entry: string;
const pids = new Set<number>();
let supervisor: EngineSupervisor | null = null;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "elb-backoff-"));
  entry = path.join(dir, "fake-engine.mjs");
  writeFileSync(
    entry,
    [
      'import { existsSync } from "node:fs";',
      'import path from "node:path";',
      'if (existsSync(path.join(process.env.ELB_ENGINE_STATE_DIR, "stay"))) setInterval(() => {}, 1 << 30);',
      "else process.exit(3);",
    ].join("\n"),
  );
});
beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation(() => {}); // "engine … lost; restarting in …" per crash
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(async () => {
  await supervisor?.stop({ stopEngine: false });
  supervisor = null;
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  pids.clear();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface ExitEvent {
  code: number | null;
  signal: string | null;
  restartInMs: number | null;
}

/** The next `event` of the supervisor, within 10 s of real time. */
function next<T>(emitter: EngineSupervisor, event: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = realSetTimeout(() => reject(new Error(`timed out waiting for ${event}`)), 10_000);
    emitter.once(event, (value: T) => {
      realClearTimeout(timer);
      resolve(value);
    });
  });
}

/** True while the supervisor has a restart scheduled (its private timer; read to pin the delay to the millisecond). */
const restartPending = (s: EngineSupervisor) => (s as unknown as { restartTimer: unknown }).restartTimer !== null;

describe("engine supervisor restart backoff", () => {
  it("restarts a crashing engine after 0.5 s, doubling up to 30 s, and from 0.5 s again after more than 60 s up", async () => {
    const stateDir = path.join(dir, "state");
    // Pings and the start timeout are pushed out of the way: only the backoff is under test (its defaults).
    supervisor = new EngineSupervisor({ entry, stateDir, pingIntervalMs: 3_600_000, startTimeoutMs: 3_600_000 });
    const s = supervisor;
    s.on("spawn", (pid: number) => pids.add(pid));

    let exited = next<ExitEvent>(s, "exit");
    s.start();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const exit = await exited;
      expect(exit).toMatchObject({ code: 3, signal: null });
      delays.push(exit.restartInMs!);
      expect(s.status).toMatchObject({ state: "restarting", restarts: attempt + 1, pid: null });
      exited = next<ExitEvent>(s, "exit");
      const spawned = next<number>(s, "spawn");
      // Not a millisecond early ...
      await vi.advanceTimersByTimeAsync(exit.restartInMs! - 1);
      expect(restartPending(s)).toBe(true);
      // ... and then it starts the engine again.
      await vi.advanceTimersByTimeAsync(1);
      expect(restartPending(s)).toBe(false);
      await spawned;
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);

    // The next engine stays up for just over 60 s, then dies: the backoff starts from 0.5 s again.
    const exit = await exited;
    expect(exit.restartInMs).toBe(30_000);
    writeFileSync(path.join(stateDir, "stay"), "");
    const spawned = next<number>(s, "spawn");
    await vi.advanceTimersByTimeAsync(30_000);
    const pid = await spawned;
    await vi.advanceTimersByTimeAsync(60_001);
    rmSync(path.join(stateDir, "stay"));
    exited = next<ExitEvent>(s, "exit");
    process.kill(pid, "SIGKILL");
    expect(await exited).toMatchObject({ signal: "SIGKILL", restartInMs: 500 });

    // ... and doubles from there when it crashes again at once.
    exited = next<ExitEvent>(s, "exit");
    await vi.advanceTimersByTimeAsync(500);
    expect(await exited).toMatchObject({ code: 3, restartInMs: 1_000 });
    expect(existsSync(path.join(stateDir, "engine.log"))).toBe(true);
  });

  it("a run shorter than 60 s does not reset the backoff", async () => {
    const stateDir = path.join(dir, "state-60");
    supervisor = new EngineSupervisor({ entry, stateDir, pingIntervalMs: 3_600_000, startTimeoutMs: 3_600_000 });
    const s = supervisor;
    s.on("spawn", (pid: number) => pids.add(pid));
    let exited = next<ExitEvent>(s, "exit");
    s.start();
    expect((await exited).restartInMs).toBe(500);
    writeFileSync(path.join(stateDir, "stay"), "");
    const spawned = next<number>(s, "spawn");
    await vi.advanceTimersByTimeAsync(500);
    const pid = await spawned;
    await vi.advanceTimersByTimeAsync(59_000);
    exited = next<ExitEvent>(s, "exit");
    process.kill(pid, "SIGKILL");
    expect((await exited).restartInMs).toBe(1_000);
  });
});
