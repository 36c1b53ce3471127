import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readLines, writeLine } from "./protocol/ndjson";
import type { EngineToConsole } from "./protocol/ipc.types";
import { freePort, startTcpBackend, tcpHello, waitFor, type TcpBackend } from "./test-support/backends";
import { buildEngine, startEngine as startEngineProcess } from "./test-support/engine-process";
import { TEST_EPOCH, listener, member, monitor, pool, snapshot } from "./test-support/fixtures";

/** Black-box: the bundled engine process, driven over IPC the way the console's supervisor does. */
let dir = "";
let entry = "";
let backend: TcpBackend;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-engine-"));
  entry = path.join(dir, "main.js");
  await buildEngine(entry);
  backend = await startTcpBackend("backend-a");
});
afterAll(async () => {
  await backend.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Forks the engine with an IPC channel and collects its messages. */
const startEngine = (env: Record<string, string>) => startEngineProcess(entry, env, children);

describe("engine process", () => {
  it("applies a snapshot over IPC, serves, answers pings, reports health, persists, and drains on SIGTERM", async () => {
    const state = path.join(dir, "state-1");
    const port = await freePort();
    const engine = startEngine({ ELB_ENGINE_STATE_DIR: state });
    expect(await engine.next("ready")).toMatchObject({ epoch: "", version: 0, hash: "" });

    const v1 = snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)], { healthMonitor: monitor() })]);
    engine.child.send({ type: "snapshot", snapshot: v1 });
    expect(await engine.next("applied")).toEqual({ type: "applied", epoch: TEST_EPOCH, version: 1, hash: "hash-1", errors: [] });
    const health = await engine.next("health", (m) => m.members.some((r) => r.status === "HEALTHY"));
    expect(health.members).toEqual([{ poolId: "p", memberId: "a", status: "HEALTHY" }]);
    expect(await tcpHello(port)).toBe("backend-a");

    engine.child.send({ type: "ping", nonce: 42 });
    expect(await engine.next("pong")).toMatchObject({ nonce: 42, pid: engine.child.pid, epoch: TEST_EPOCH, version: 1, hash: "hash-1" });

    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [], []) }); // not newer: ignored, still answered
    await waitFor(() => engine.messages.filter((m) => m.type === "applied").length === 2, 3000, "second applied");
    expect(await tcpHello(port)).toBe("backend-a");

    const persisted = JSON.parse(await readFile(path.join(state, "snapshot.json"), "utf8"));
    expect(persisted.version).toBe(1);

    engine.child.kill("SIGTERM");
    expect(await engine.exited).toBe(0);
  });

  it("serves the persisted snapshot on restart before any console message", async () => {
    const state = path.join(dir, "state-2");
    const port = await freePort();
    const first = startEngine({ ELB_ENGINE_STATE_DIR: state });
    await first.next("ready");
    first.child.send({ type: "snapshot", snapshot: snapshot(7, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)])]) });
    await first.next("applied");
    first.child.kill("SIGTERM");
    await first.exited;

    const second = startEngine({ ELB_ENGINE_STATE_DIR: state });
    expect(await second.next("ready")).toMatchObject({ version: 7, hash: "hash-7" });
    expect(await tcpHello(port)).toBe("backend-a");
  });

  it("after a database switch (new epoch, versions restart at 1) applies the console's snapshot over the persisted one", async () => {
    const state = path.join(dir, "state-epoch");
    const port = await freePort();
    const other = await startTcpBackend("backend-b");
    try {
      const first = startEngine({ ELB_ENGINE_STATE_DIR: state });
      await first.next("ready");
      first.child.send({ type: "snapshot", snapshot: snapshot(12, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)])], "pglite") });
      await first.next("applied");
      first.child.kill("SIGTERM");
      await first.exited;

      const second = startEngine({ ELB_ENGINE_STATE_DIR: state });
      expect(await second.next("ready")).toMatchObject({ epoch: "pglite", version: 12 });
      const mark = second.messages.length; // the start-up apply of the persisted snapshot also answers "applied"
      second.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", [member("b", other.port)])], "postgres") });
      expect(await second.next("applied", (m) => second.messages.indexOf(m) >= mark)).toMatchObject({ epoch: "postgres", version: 1, hash: "hash-1", errors: [] });
      expect(await tcpHello(port)).toBe("backend-b");
      second.child.send({ type: "ping", nonce: 1 });
      expect(await second.next("pong")).toMatchObject({ epoch: "postgres", version: 1 });
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0); // shutdown waits for the snapshot write
      expect(JSON.parse(await readFile(path.join(state, "snapshot.json"), "utf8"))).toMatchObject({ epoch: "postgres", version: 1 });
    } finally {
      await other.close();
    }
  });

  it("starts from a snapshot file persisted before epochs existed (epoch \"\") and takes the console's next one", async () => {
    const state = path.join(dir, "state-legacy");
    const port = await freePort();
    const other = await startTcpBackend("backend-b");
    try {
      const { epoch: _epoch, ...legacy } = snapshot(30, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)])]);
      await mkdir(state, { recursive: true });
      await writeFile(path.join(state, "snapshot.json"), JSON.stringify(legacy));
      const engine = startEngine({ ELB_ENGINE_STATE_DIR: state });
      expect(await engine.next("ready")).toMatchObject({ epoch: "", version: 30, hash: "hash-30" });
      expect(await tcpHello(port)).toBe("backend-a");
      const mark = engine.messages.length;
      engine.child.send({ type: "snapshot", snapshot: snapshot(2, [listener("l1", port, "p")], [pool("p", [member("b", other.port)])]) });
      expect(await engine.next("applied", (m) => engine.messages.indexOf(m) >= mark)).toMatchObject({ epoch: TEST_EPOCH, version: 2 });
      expect(await tcpHello(port)).toBe("backend-b");
    } finally {
      await other.close();
    }
  });

  it("keeps serving when the console disconnects, unless ELB_ENGINE_EXIT_WITH_PARENT=1", async () => {
    const port = await freePort();
    const v1 = snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)])]);
    const stays = startEngine({});
    await stays.next("ready");
    stays.child.send({ type: "snapshot", snapshot: v1 });
    await stays.next("applied");
    stays.child.disconnect();
    await new Promise((r) => setTimeout(r, 200));
    expect(stays.child.exitCode).toBeNull();
    expect(await tcpHello(port)).toBe("backend-a");
    stays.child.kill("SIGTERM");
    await stays.exited;

    const leaves = startEngine({ ELB_ENGINE_EXIT_WITH_PARENT: "1" });
    await leaves.next("ready");
    leaves.child.disconnect();
    expect(await leaves.exited).toBe(0);
  });

  it("runs standalone from ELB_ENGINE_SNAPSHOT_FILE without IPC", async () => {
    const port = await freePort();
    const file = path.join(dir, "standalone.json");
    await writeFile(file, JSON.stringify(snapshot(3, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)])])));
    const child = spawn(process.execPath, [entry], { env: { ...process.env, ELB_ENGINE_SNAPSHOT_FILE: file }, stdio: ["ignore", "ignore", "pipe"] });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    await waitFor(() => stderr.includes("ready, snapshot version 3"), 5000, "standalone ready");
    expect(await tcpHello(port)).toBe("backend-a");
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("answers on its control socket (0600, stale file replaced), without IPC; a second engine on the folder exits 75", async () => {
    const state = path.join(dir, "state-control");
    const port = await freePort();
    await mkdir(state, { recursive: true });
    await writeFile(path.join(state, "control.sock"), "stale"); // left by an engine killed with SIGKILL
    const spawnEngine = () => {
      const child = spawn(process.execPath, [entry], { env: { ...process.env, ELB_ENGINE_STATE_DIR: state }, stdio: ["ignore", "ignore", "pipe"], detached: true });
      children.push(child);
      let stderr = "";
      child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
      return { child, stderr: () => stderr, exited: new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code))) };
    };
    const first = spawnEngine();
    await waitFor(() => first.stderr().includes("ready"), 5000, "ready");
    expect((await stat(path.join(state, "control.sock"))).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(state, "engine.pid"), "utf8")).trim()).toBe(String(first.child.pid));

    const socket = net.connect(path.join(state, "control.sock"));
    const messages: EngineToConsole[] = [];
    readLines(socket, (m) => messages.push(m as EngineToConsole));
    await waitFor(() => messages.some((m) => m.type === "ready" && m.pid === first.child.pid), 3000, "ready on connect");
    writeLine(socket, { type: "snapshot", snapshot: snapshot(4, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)])]) });
    await waitFor(() => messages.some((m) => m.type === "applied" && m.version === 4), 3000, "applied");
    expect(await tcpHello(port)).toBe("backend-a");
    writeLine(socket, { type: "ping", nonce: 9 });
    await waitFor(() => messages.some((m) => m.type === "pong" && m.nonce === 9 && m.version === 4), 3000, "pong");

    const second = spawnEngine();
    expect(await second.exited).toBe(75);
    expect(second.stderr()).toContain("another engine is running");
    expect(await tcpHello(port)).toBe("backend-a"); // the first one is untouched

    socket.destroy(); // a console going away does not stop the engine
    await new Promise((r) => setTimeout(r, 200));
    expect(first.child.exitCode).toBeNull();
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    await expect(stat(path.join(state, "control.sock"))).rejects.toThrow(); // removed on a clean exit
  });

  it("with its stderr gone (the reading end of a pipe closed: EPIPE) it keeps serving and still stops on SIGTERM, instead of spinning on its own error log", async () => {
    const port = await freePort();
    const engine = startEngine({ ELB_ENGINE_STATE_DIR: path.join(dir, "state-epipe"), ELB_ENGINE_DRAIN_MS: "100" });
    await engine.next("ready");
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", backend.port)])]) });
    await engine.next("applied");
    engine.child.stderr!.destroy(); // every log line from now on fails with EPIPE
    engine.child.send({ type: "ping", nonce: 7 });
    expect(await engine.next("pong")).toMatchObject({ nonce: 7 });
    expect(await tcpHello(port)).toBe("backend-a");
    engine.child.kill("SIGTERM"); // logs "SIGTERM: draining …" into the broken pipe
    const code = await Promise.race([engine.exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running after 5 s"), 5000))]);
    expect(code).toBe(0);
  });
});
