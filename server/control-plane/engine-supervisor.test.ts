import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, startTcpBackend, type TcpBackend } from "@/engine/test-support/backends";
import { listener, member, pool, snapshot } from "@/engine/test-support/fixtures";
import { EngineSupervisor, type EngineSupervisorOptions } from "./engine-supervisor";
import { compileSnapshot } from "./compile";
import { isAlive, waitForEvent } from "./test-support/supervisor-events";

/** The real engine bundle, built into a temp folder, supervised as a separate (detached) process. */
let dir: string;
let entry: string;
let backend: TcpBackend;
const supervisors: EngineSupervisor[] = [];
/** Every engine pid seen: killed by pid after each test (engines outlive their supervisor by design). */
const enginePids = new Set<number>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "elb-supervisor-"));
  entry = path.join(dir, "engine.mjs");
  execFileSync(process.execPath, [path.resolve("scripts/build-engine.mjs"), entry], { stdio: "ignore" });
  backend = await startTcpBackend("held");
});
afterEach(async () => {
  for (const supervisor of supervisors.splice(0)) await supervisor.stop({ stopEngine: false });
  for (const pid of enginePids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  enginePids.clear();
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

function supervise(stateDir: string, options: Partial<EngineSupervisorOptions> = {}): EngineSupervisor {
  const supervisor = new EngineSupervisor({ entry, stateDir, initialBackoffMs: 100, pingIntervalMs: 200, ...options });
  supervisor.on("spawn", (pid: number) => enginePids.add(pid));
  supervisor.on("ready", (pid: number) => enginePids.add(pid));
  supervisors.push(supervisor);
  return supervisor;
}

const waitFor = waitForEvent;
const alive = isAlive;

/** Pids of live processes running this test's engine bundle (Linux /proc; assertions only, never to kill). */
function enginesRunning(): number[] {
  if (!existsSync("/proc")) return [];
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      const state = readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.[0];
      if (cmdline.includes(entry) && state !== "Z") pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** A client connection through the engine that stays open: reads the greeting, then echoes lines. */
async function holdConnection(port: number) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  socket.setEncoding("utf8");
  let data = "";
  socket.on("data", (chunk: string) => (data += chunk));
  socket.on("error", () => {});
  const until = async (text: string, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    while (!data.includes(text)) {
      if (socket.destroyed || Date.now() > deadline) throw new Error(`no "${text}" on the held connection (got ${JSON.stringify(data)})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until("held\n");
  return {
    socket,
    async echo(line: string) {
      socket.write(`${line}\n`);
      await until(`${line}\n`);
    },
  };
}

describe("engine supervisor", () => {
  it("starts the engine, hands it a snapshot, and restarts it after it is killed", async () => {
    const stateDir = path.join(dir, "state");
    const supervisor = supervise(stateDir);
    const firstReady = waitFor<number>(supervisor, "ready");
    supervisor.start();
    const firstPid = await firstReady;
    expect(firstPid).toBeGreaterThan(0);
    expect(firstPid).not.toBe(process.pid);
    expect(statSync(path.join(stateDir, "control.sock")).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(stateDir, "engine.pid"), "utf8").trim()).toBe(String(firstPid));

    const { snapshot } = compileSnapshot({ loadBalancers: [], eips: [], listeners: [], pools: [], members: [], healthMonitors: [], certificates: [], listenerSniCertificates: [], redirects: [], forwardingPolicies: [] }, 7, "supervisor-test");
    const applied = waitFor<number>(supervisor, "applied", (v) => v === 7);
    supervisor.publish(snapshot);
    await applied;
    await waitFor(supervisor, "pong", (p: { version: number }) => p.version === 7);
    expect(supervisor.status).toMatchObject({ state: "running", pid: firstPid, version: 7, adopted: false });

    // Kill the engine the hard way: the supervisor must notice and start a new process.
    const exited = waitFor<{ signal: string | null }>(supervisor, "exit");
    const secondReady = waitFor<number>(supervisor, "ready");
    process.kill(firstPid, "SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    const secondPid = await secondReady;
    expect(secondPid).not.toBe(firstPid);
    expect(supervisor.status.restarts).toBe(1);
    expect(supervisor.status.lastExit).toMatchObject({ signal: "SIGKILL" });
    // The restarted engine holds the same snapshot (from its disk copy, or re-sent by the supervisor).
    await waitFor(supervisor, "pong", (p: { version: number; pid: number }) => p.version === 7 && p.pid === secondPid);
    expect(supervisor.status).toMatchObject({ state: "running", pid: secondPid, version: 7 });
  });

  it("re-sends the current snapshot to a restarted engine that lost its snapshot.json", async () => {
    const stateDir = path.join(dir, "state-lost");
    const supervisor = supervise(stateDir);
    const firstReady = waitFor<number>(supervisor, "ready");
    supervisor.start();
    const firstPid = await firstReady;
    const { snapshot } = compileSnapshot({ loadBalancers: [], eips: [], listeners: [], pools: [], members: [], healthMonitors: [], certificates: [], listenerSniCertificates: [], redirects: [], forwardingPolicies: [] }, 5, "resend-test");
    const applied = waitFor<number>(supervisor, "applied", (v) => v === 5);
    supervisor.publish(snapshot);
    await applied;
    const file = path.join(stateDir, "snapshot.json");
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 5_000, interval: 20 });

    // The disk copy is gone (deleted, a new disk, a wiped state folder), then the engine dies.
    rmSync(file);
    let heldAtReady: { version: number; hash: string } | undefined;
    supervisor.once("ready", () => (heldAtReady = { version: supervisor.status.version, hash: supervisor.status.hash }));
    const secondReady = waitFor<number>(supervisor, "ready");
    const reapplied = waitFor<number>(supervisor, "applied", (v) => v === 5);
    process.kill(firstPid, "SIGKILL");
    const secondPid = await secondReady;
    expect(secondPid).not.toBe(firstPid);
    // The new engine started empty ...
    expect(heldAtReady).toEqual({ version: 0, hash: "" });
    // ... and holds the console's snapshot again because the supervisor sent it, unasked.
    await reapplied;
    expect(supervisor.status).toMatchObject({ state: "running", pid: secondPid, version: 5, hash: snapshot.hash });
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 5_000, interval: 20 });
  });

  it("a console restart adopts the running engine: held connections survive, the next snapshot applies", async () => {
    const stateDir = path.join(dir, "state-adopt");
    const port = await freePort();
    const a = supervise(stateDir);
    const readyA = waitFor<number>(a, "ready");
    a.start();
    const pid = await readyA;
    const applied1 = waitFor<number>(a, "applied", (v) => v === 1);
    a.publish(snapshot(1, [listener("l1", port, "p")], [pool("p", [member("m", backend.port)])]));
    await applied1;
    const held = await holdConnection(port);
    await held.echo("before");

    await a.stop(); // the console goes away; by default the engine stays
    expect(a.status.state).toBe("stopped");
    expect(alive(pid)).toBe(true);
    await held.echo("between consoles");

    const b = supervise(stateDir);
    const readyB = waitFor<number>(b, "ready");
    b.start();
    expect(await readyB).toBe(pid);
    expect(b.status).toMatchObject({ state: "running", pid, version: 1, adopted: true, restarts: 0 });
    await held.echo("after adoption");

    const applied2 = waitFor<number>(b, "applied", (v) => v === 2);
    b.publish(snapshot(2, [listener("l1", port, "p")], [pool("p", [member("m", backend.port)])]));
    await applied2;
    expect(b.status).toMatchObject({ pid, version: 2, hash: "hash-2" });
    await held.echo("after v2");
    held.socket.destroy();

    // The adopted engine dies: B only loses the connection, checks the pid, and starts a new one.
    const exited = waitFor<{ reason: string }>(b, "exit");
    const restarted = waitFor<number>(b, "ready");
    process.kill(pid, "SIGKILL");
    expect((await exited).reason).toBe("connection lost");
    const newPid = await restarted;
    expect(newPid).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    expect(b.status).toMatchObject({ state: "running", pid: newPid, restarts: 1, adopted: false, lastExit: { reason: "connection lost" } });
    await waitFor(b, "pong", (p: { version: number; pid: number }) => p.version === 2 && p.pid === newPid);
    expect(enginesRunning()).toEqual([newPid]);
  });

  it("two supervisors on one state folder share one engine", async () => {
    const stateDir = path.join(dir, "state-race");
    const a = supervise(stateDir);
    const b = supervise(stateDir);
    const readyA = waitFor<number>(a, "ready");
    const readyB = waitFor<number>(b, "ready");
    a.start();
    b.start();
    const [pidA, pidB] = await Promise.all([readyA, readyB]);
    expect(pidA).toBe(pidB);
    // The engine that lost the race for the folder exits by itself (code 75, not counted as a restart).
    const deadline = Date.now() + 5000;
    while (enginesRunning().length > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(enginesRunning()).toEqual([pidA]);
    await new Promise((r) => setTimeout(r, 500)); // a few pings: both stay on that engine
    expect(a.status).toMatchObject({ state: "running", pid: pidA, restarts: 0 });
    expect(b.status).toMatchObject({ state: "running", pid: pidA, restarts: 0 });
  });

  it("with stopEngine, stop() ends the engine", async () => {
    const supervisor = supervise(path.join(dir, "state-stop"), { stopEngineOnStop: true });
    const ready = waitFor<number>(supervisor, "ready");
    supervisor.start();
    const pid = await ready;
    await supervisor.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(path.join(dir, "state-stop", "control.sock"))).toBe(false);
  });
});
