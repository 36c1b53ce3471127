import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { controlSocketPath } from "./protocol/control-socket";
import type { EngineToConsole } from "./protocol/ipc.types";
import { readLines, writeLine } from "./protocol/ndjson";
import { freePort, startTcpBackend, tcpHello, waitFor, type TcpBackend } from "./test-support/backends";
import { buildEngine } from "./test-support/engine-process";
import { listener, member, pool, snapshot } from "./test-support/fixtures";

/**
 * A new engine build takes over from the running one without closing a connection (control/upgrade.ts),
 * black box: the bundle in a temp folder, rebuilt in place (another banner: another build id), then
 * SIGUSR2 or { type: "upgrade" } on the control socket. New connections run in a loop across the handover
 * and must all succeed; connections open before it stay with the old process until they end.
 */
let dir = "";
let entry = "";
let tcpBackend: TcpBackend;
let httpBackend: http.Server;
let httpBackendPort = 0;
const children: ChildProcess[] = [];
const pids = new Set<number>();
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-upgrade-"));
  entry = path.join(dir, "main.js");
  tcpBackend = await startTcpBackend("backend-a");
  httpBackend = http.createServer((req, res) => {
    const body = req.url === "/slow" ? "slow" : "ok";
    const answer = () => res.writeHead(200, { "content-type": "text/plain", "content-length": body.length }).end(body);
    if (req.url === "/slow") setTimeout(answer, 1500);
    else answer();
  });
  await new Promise<void>((resolve) => httpBackend.listen(0, "127.0.0.1", resolve));
  httpBackendPort = (httpBackend.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await tcpBackend?.close();
  httpBackend?.closeAllConnections();
  await new Promise((resolve) => httpBackend?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL"); // the new engine: detached, not our child
    } catch {
      // gone
    }
  }
  pids.clear();
});

const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A console's end of the control socket: what the engine said, and a way to talk. */
interface Control {
  socket: net.Socket;
  messages: EngineToConsole[];
  closed: Promise<void>;
  next<T extends EngineToConsole["type"]>(type: T, match?: (m: Extract<EngineToConsole, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<EngineToConsole, { type: T }>>;
}

/** Connects to the control socket of `stateDir`, retrying while nobody listens (up to `timeoutMs`). */
async function connectControl(stateDir: string, timeoutMs = 5000): Promise<Control> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = await new Promise<net.Socket | null>((resolve) => {
      const s = net.connect(controlSocketPath(stateDir));
      s.once("connect", () => resolve(s));
      s.once("error", () => resolve(null));
    });
    if (socket !== null) {
      cleanups.push(() => socket.destroy());
      const messages: EngineToConsole[] = [];
      readLines(socket, (m) => messages.push(m as EngineToConsole));
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      const next: Control["next"] = async (type, match = () => true, wait = 5000) => {
        let found: unknown;
        await waitFor(() => (found = messages.find((m) => m.type === type && match(m as never))) !== undefined, wait, `control message ${type}`);
        return found as never;
      };
      return { socket, messages, closed, next };
    }
    if (Date.now() > deadline) throw new Error(`no control socket in ${stateDir}`);
    await sleep(25);
  }
}

/** One HTTP request on a new connection (Connection: close); resolves with the body of a 200. */
function httpGet(port: number, urlPath = "/", timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: urlPath, agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}`))));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("http timed out")));
    req.on("error", reject);
  });
}

/** A keep-alive HTTP/1.1 connection driven by hand: one request at a time, responses read by Content-Length. */
async function keepAliveConnection(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  cleanups.push(() => socket.destroy());
  let data = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => (data += chunk));
  const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return {
    socket,
    ended,
    /** Sends GET `urlPath` and resolves with the response's status line, head and body. */
    async request(urlPath: string, timeoutMs = 5000): Promise<{ status: string; head: string; body: string }> {
      data = "";
      socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: upgrade.test\r\n\r\n`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = data.indexOf("\r\n\r\n");
        if (end >= 0) {
          const head = data.slice(0, end);
          const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (data.length >= end + 4 + length) return { status: head.split("\r\n")[0]!, head, body: data.slice(end + 4, end + 4 + length) };
        }
        if (socket.destroyed || Date.now() > deadline) throw new Error(`no response to ${urlPath} (got ${JSON.stringify(data)})`);
        await sleep(10);
      }
    },
  };
}

/** A client connection through the TCP listener that stays open and echoes lines. */
async function heldTcp(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  cleanups.push(() => socket.destroy());
  let data = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (data += chunk));
  const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const until = async (text: string) => {
    const deadline = Date.now() + 3000;
    while (!data.includes(text)) {
      if (socket.destroyed || Date.now() > deadline) throw new Error(`no ${JSON.stringify(text)} on the held connection (got ${JSON.stringify(data)})`);
      await sleep(10);
    }
  };
  await until("backend-a\n");
  return { socket, ended, echo: async (line: string) => (socket.write(`${line}\n`), until(`${line}\n`)) };
}

/**
 * New connections for `durationMs`, `lanes` at a time, each lane alternating a TCP greeting and an HTTP
 * request; resolves with what succeeded and what failed (with why).
 */
async function trafficLoop(tcpPort: number, httpPort: number, durationMs: number, lanes = 4) {
  const failures: string[] = [];
  let ok = 0;
  const until = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; Date.now() < until; i++) {
        try {
          if (i % 2 === 0) expect(await tcpHello(tcpPort)).toBe("backend-a");
          else expect(await httpGet(httpPort)).toBe("ok");
          ok++;
        } catch (err) {
          failures.push(`${i % 2 === 0 ? "tcp" : "http"}: ${(err as Error).message}`);
        }
      }
    }),
  );
  return { ok, failures };
}

describe.each([
  { workers: "2", trigger: "SIGUSR2" as const, drainMs: "30000" },
  { workers: "1", trigger: "message" as const, drainMs: "5000" },
])("engine upgrade with ELB_ENGINE_WORKERS=$workers ($trigger)", ({ workers, trigger, drainMs }) => {
  it("hands every listening socket to the new build: no failed connection, held ones stay with the old process until they end", async () => {
    await buildEngine(entry, `old build, ${workers} workers`);
    const oldBuild = await sha256(entry);
    const stateDir = path.join(dir, `state-${workers}`);
    const [tcpPort, httpPort] = [await freePort(), await freePort()];

    const old = spawn(process.execPath, [entry], {
      env: { ...process.env, ELB_ENGINE_STATE_DIR: stateDir, ELB_ENGINE_WORKERS: workers, ELB_ENGINE_UPGRADE_DRAIN_MS: drainMs },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(old);
    let stderr = "";
    old.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString())); // the new engine inherits it too
    const oldExit = new Promise<{ code: number | null; at: number }>((resolve) => old.once("exit", (code) => resolve({ code, at: Date.now() })));

    const control = await connectControl(stateDir);
    expect(await control.next("ready")).toMatchObject({ pid: old.pid, build: oldBuild });
    const v1 = snapshot(
      1,
      [listener("tcp", tcpPort, "p-tcp"), listener("web", httpPort, "p-http", { protocol: "HTTP" })],
      [pool("p-tcp", [member("a", tcpBackend.port)]), pool("p-http", [member("h", httpBackendPort)], { protocol: "HTTP" })],
    );
    writeLine(control.socket, { type: "snapshot", snapshot: v1 });
    expect(await control.next("applied", (m) => m.version === 1)).toMatchObject({ errors: [] });

    const tcp = await heldTcp(tcpPort);
    const keepAlive = await keepAliveConnection(httpPort);
    expect((await keepAlive.request("/")).body).toBe("ok");

    await buildEngine(entry, `new build, ${workers} workers`); // in place, as `npm run build` does
    const newBuild = await sha256(entry);
    expect(newBuild).not.toBe(oldBuild);

    const loop = trafficLoop(tcpPort, httpPort, 3000);
    await sleep(600);
    const slow = keepAlive.request("/slow"); // in flight across the handover
    await sleep(100);
    if (trigger === "SIGUSR2") old.kill("SIGUSR2");
    else writeLine(control.socket, { type: "upgrade" });

    const upgrading = await control.next("upgrading", undefined, 15_000);
    pids.add(upgrading.pid);
    expect(upgrading.pid).not.toBe(old.pid);
    expect(upgrading.build).toBe(newBuild);
    await control.closed; // the old engine let go of the control socket: a console reconnects
    const upgradingAt = Date.now();

    const adopted = await connectControl(stateDir);
    expect(await adopted.next("ready")).toMatchObject({ pid: upgrading.pid, version: 1, hash: "hash-1", build: newBuild });
    writeLine(adopted.socket, { type: "ping", nonce: 7 });
    const pong = await adopted.next("pong", (m) => m.nonce === 7);
    expect(pong).toMatchObject({ pid: upgrading.pid, version: 1, hash: "hash-1", build: newBuild });
    if (workers === "2") expect(pong.workers).toHaveLength(2);
    // Held connections: still served by the old process, which is still running for them.
    await tcp.echo("after the handover");
    expect(old.exitCode).toBeNull();

    const traffic = await loop;
    expect(traffic.failures).toEqual([]);
    expect(traffic.ok).toBeGreaterThan(40);

    const slowAnswer = await slow;
    expect(slowAnswer.status).toBe("HTTP/1.1 200 OK");
    expect(slowAnswer.body).toBe("slow");
    await keepAlive.ended; // the draining old engine closes the keep-alive connection after its response
    await tcp.echo("still the old process");

    if (drainMs === "30000") {
      tcp.socket.end(); // the last connection ends: the old engine exits well before its deadline
      const exit = await oldExit;
      expect(exit.code).toBe(0);
      expect(exit.at - upgradingAt).toBeLessThan(10_000);
    } else {
      const exit = await oldExit; // the held connection stays open: cut at the drain deadline
      expect(exit.code).toBe(0);
      expect(exit.at - upgradingAt).toBeGreaterThan(Number(drainMs) - 500);
      await tcp.ended;
    }
    // The new engine serves alone now.
    expect(await tcpHello(tcpPort)).toBe("backend-a");
    expect(await httpGet(httpPort)).toBe("ok");
    expect(stderr).toContain(`took over ${workers === "2" ? 4 : 2} listening socket(s) from engine ${old.pid}`);
    expect((await readFile(path.join(stateDir, "engine.pid"), "utf8")).trim()).toBe(String(upgrading.pid));
  }, 60_000);
});

describe("engine upgrade that fails", () => {
  it("keeps serving when the new build does not start, and says why", async () => {
    await buildEngine(entry, "working build");
    const stateDir = path.join(dir, "state-broken");
    const port = await freePort();
    const old = spawn(process.execPath, [entry], { env: { ...process.env, ELB_ENGINE_STATE_DIR: stateDir, ELB_ENGINE_WORKERS: "1" }, stdio: ["ignore", "ignore", "ignore"] });
    children.push(old);
    const control = await connectControl(stateDir);
    await control.next("ready");
    writeLine(control.socket, { type: "snapshot", snapshot: snapshot(1, [listener("tcp", port, "p")], [pool("p", [member("a", tcpBackend.port)])]) });
    await control.next("applied", (m) => m.version === 1);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(entry, "process.exit(3);\n"); // a "build" that dies at once
    writeLine(control.socket, { type: "upgrade" });
    const failed = await control.next("upgradeFailed", undefined, 15_000);
    expect(failed.message).toContain("exited before it was ready (code 3");
    expect(await tcpHello(port)).toBe("backend-a");
    writeLine(control.socket, { type: "ping", nonce: 1 });
    expect(await control.next("pong", (m) => m.nonce === 1)).toMatchObject({ pid: old.pid, version: 1 });
  });
});
