import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort, startTcpBackend, type TcpBackend } from "@/engine/test-support/backends";
import { listener, member, pool, snapshot } from "@/engine/test-support/fixtures";
import { EngineSupervisor, type EngineSupervisorOptions } from "./engine-supervisor";
import { isAlive, waitForEvent } from "./test-support/supervisor-events";

/**
 * The supervisor and engine upgrades (engine/control/upgrade.ts), with the real engine bundle in a temp
 * folder, rebuilt in place (another banner: another build id) as `npm run build` would.
 */
let dir: string;
let entry: string;
let backend: TcpBackend;
const supervisors: EngineSupervisor[] = [];
const enginePids = new Set<number>();
const sockets: net.Socket[] = [];

const build = (label: string) => execFileSync(process.execPath, [path.resolve("scripts/build-engine.mjs"), entry], { stdio: "ignore", env: { ...process.env, ELB_ENGINE_BUILD_LABEL: label } });
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "elb-supervisor-upgrade-"));
  entry = path.join(dir, "engine.mjs");
  backend = await startTcpBackend("held");
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
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
  const supervisor = new EngineSupervisor({ entry, stateDir, initialBackoffMs: 100, pingIntervalMs: 200, env: { ELB_ENGINE_WORKERS: "1" }, ...options });
  for (const event of ["spawn", "ready", "upgrading"]) supervisor.on(event, (pid: number) => enginePids.add(pid));
  supervisors.push(supervisor);
  return supervisor;
}

const waitFor = waitForEvent;
const alive = isAlive;

/** A client connection through the engine that stays open: reads the greeting, then echoes lines. */
async function holdConnection(port: number) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  sockets.push(socket);
  socket.setEncoding("utf8");
  let data = "";
  socket.on("data", (chunk: string) => (data += chunk));
  socket.on("error", () => {});
  const until = async (text: string) => {
    const deadline = Date.now() + 3000;
    while (!data.includes(text)) {
      if (socket.destroyed || Date.now() > deadline) throw new Error(`no "${text}" on the held connection (got ${JSON.stringify(data)})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until("held\n");
  return { socket, echo: async (line: string) => (socket.write(`${line}\n`), until(`${line}\n`)) };
}

describe("engine supervisor and upgrades", () => {
  it('adopts the engine that takes over after "upgrading": no kill, no restart, held connections stay with the old engine', async () => {
    build("first");
    const first = sha256(entry);
    const stateDir = path.join(dir, "state-adopt");
    const port = await freePort();
    const supervisor = supervise(stateDir);
    const exits: unknown[] = [];
    supervisor.on("exit", (exit) => exits.push(exit));
    const ready = waitFor<number>(supervisor, "ready");
    supervisor.start();
    const oldPid = await ready;
    await waitFor(supervisor, "pong");
    expect(supervisor.status).toMatchObject({ build: first, buildOnDisk: first, upgrade: null });
    const applied = waitFor<number>(supervisor, "applied", (v) => v === 1);
    supervisor.publish(snapshot(1, [listener("l1", port, "p")], [pool("p", [member("m", backend.port)])]));
    await applied;
    const held = await holdConnection(port);

    build("second");
    const second = sha256(entry);
    await waitFor(supervisor, "pong", () => supervisor.status.buildOnDisk === second); // pongs refresh the build on disk
    const upgrading = waitFor<number>(supervisor, "upgrading");
    const adopted = waitFor<number>(supervisor, "ready", (pid) => pid !== oldPid);
    expect(supervisor.requestUpgrade()).toEqual({ ok: true, pid: oldPid });
    const newPid = await upgrading;
    expect(await adopted).toBe(newPid);
    expect(supervisor.status).toMatchObject({
      state: "running",
      pid: newPid,
      version: 1,
      restarts: 0,
      lastExit: null,
      adopted: true,
      build: second,
      buildOnDisk: second,
      upgrade: { state: "done", fromPid: oldPid, toPid: newPid },
    });
    await waitFor(supervisor, "pong", (p: { pid: number }) => p.pid === newPid);

    // The old engine still serves the held connection (it drains), and exits by itself once it ends.
    await held.echo("after the upgrade");
    expect(alive(oldPid)).toBe(true);
    held.socket.end();
    const deadline = Date.now() + 5000;
    while (alive(oldPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(alive(oldPid)).toBe(false);
    expect(readFileSync(path.join(stateDir, "engine.log"), "utf8")).toContain(`[engine ${oldPid}] drained; exiting`);
    expect(exits).toEqual([]);
    expect(supervisor.status).toMatchObject({ state: "running", pid: newPid, restarts: 0 });
  }, 60_000);

  it("a console that finds an engine of another build than the one on disk upgrades it (once); not with autoUpgrade false", async () => {
    build("running");
    const running = sha256(entry);
    const stateDir = path.join(dir, "state-mismatch");
    const a = supervise(stateDir);
    const readyA = waitFor<number>(a, "ready");
    a.start();
    const oldPid = await readyA;
    await a.stop(); // the console goes away; the engine stays

    build("rebuilt");
    const rebuilt = sha256(entry);
    const manual = supervise(stateDir, { autoUpgrade: false });
    const seen = waitFor<number>(manual, "ready");
    manual.start();
    expect(await seen).toBe(oldPid);
    await waitFor(manual, "pong");
    await waitFor(manual, "pong");
    expect(manual.status).toMatchObject({ pid: oldPid, build: running, buildOnDisk: rebuilt, upgrade: null });
    await manual.stop();

    const b = supervise(stateDir);
    const exits: unknown[] = [];
    b.on("exit", (exit) => exits.push(exit));
    const upgrading = waitFor<number>(b, "upgrading");
    const adopted = waitFor<number>(b, "ready", (pid) => pid !== oldPid);
    b.start();
    const newPid = await upgrading;
    expect(await adopted).toBe(newPid);
    expect(b.status).toMatchObject({ state: "running", pid: newPid, build: rebuilt, buildOnDisk: rebuilt, restarts: 0, upgrade: { state: "done", fromPid: oldPid, toPid: newPid } });
    const deadline = Date.now() + 5000;
    while (alive(oldPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(alive(oldPid)).toBe(false);
    expect(exits).toEqual([]);
  }, 60_000);
});
