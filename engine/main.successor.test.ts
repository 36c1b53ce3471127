import dgram from "node:dgram";
import { readFileSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSuccessor } from "./control/upgrade";
import { bindUdpReusePort, listenReusePort } from "./io/reuse-port";
import type { InheritedSocket } from "./runtime/inherited-sockets";
import { freePort, startTcpBackend, startUdpBackend, tcpHello, udpAsk, waitFor, type TcpBackend, type UdpBackend } from "./test-support/backends";
import { buildEngine } from "./test-support/engine-process";
import { listener, member, pool, snapshot } from "./test-support/fixtures";

/**
 * The new engine's side of an upgrade, black box: this test plays the old engine (control/upgrade.ts's
 * startSuccessor with sockets of its own), so it can hand over more sockets per address than the new
 * engine has workers, and a socket no listener wants. Once the new engine is ready the test closes its
 * copies: every socket then lives in the new engine alone, which must read every one (a socket nobody
 * polls would hold the connections the kernel hashes to it) and close the one it does not use.
 */
let dir = "";
let entry = "";
let tcpBackend: TcpBackend;
let udpBackend: UdpBackend;
const pids: number[] = [];
const closers: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-successor-"));
  entry = path.join(dir, "main.js");
  await buildEngine(entry);
  tcpBackend = await startTcpBackend("backend-a");
  udpBackend = await startUdpBackend("u");
});
afterAll(async () => {
  await tcpBackend?.close();
  await udpBackend?.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
});

/** Pids of live (not zombie) processes whose command line names `script` (Linux /proc). */
function running(script: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const state = readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.[0];
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").includes(script) && state !== "Z") found.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** A listening TCP socket of "the old engine" (this test): its descriptor. */
async function oldTcp(port: number): Promise<{ fd: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy()); // never reached: closed before any client
  const fd = await listenReusePort(server, "127.0.0.1", port);
  let closed = false;
  const close = () => (closed ? Promise.resolve() : ((closed = true), new Promise<void>((resolve) => server.close(() => resolve()))));
  closers.push(close);
  return { fd, close };
}

async function oldUdp(port: number): Promise<{ fd: number; close: () => Promise<void> }> {
  const socket = dgram.createSocket("udp4");
  const fd = await bindUdpReusePort(socket, "127.0.0.1", port);
  let closed = false;
  const close = () => (closed ? Promise.resolve() : ((closed = true), new Promise<void>((resolve) => socket.close(() => resolve()))));
  closers.push(close);
  return { fd, close };
}

describe.each(["1", "2"])("a new engine (ELB_ENGINE_WORKERS=%s) taking over sockets", (workers) => {
  it("serves on every inherited socket, several per address included, and closes the one no listener wants", async () => {
    const [tcpPort, udpPort, unwanted] = [await freePort(), await freePort(), await freePort()];
    const tcpSockets = [await oldTcp(tcpPort), await oldTcp(tcpPort), await oldTcp(tcpPort)];
    const udpSockets = [await oldUdp(udpPort), await oldUdp(udpPort)];
    const leftover = await oldTcp(unwanted);
    const sockets: InheritedSocket[] = [
      ...tcpSockets.map(({ fd }) => ({ type: "tcp" as const, address: "127.0.0.1", port: tcpPort, fd })),
      ...udpSockets.map(({ fd }) => ({ type: "udp" as const, address: "127.0.0.1", port: udpPort, fd })),
      { type: "tcp", address: "127.0.0.1", port: unwanted, fd: leftover.fd },
    ];
    const served = snapshot(
      1,
      [listener("tcp", tcpPort, "p"), listener("udp", udpPort, "pu", { protocol: "UDP" })],
      [pool("p", [member("a", tcpBackend.port)]), pool("pu", [member("u", udpBackend.port)], { protocol: "UDP" })],
    );
    const env = { ...process.env, ELB_ENGINE_WORKERS: workers, ELB_ENGINE_STATE_DIR: "" };
    const successor = await startSuccessor({ entry, execArgv: [], sockets, snapshot: served, env, readyTimeoutMs: 10_000 });
    pids.push(successor.pid);
    successor.release();
    for (const socket of [...tcpSockets, ...udpSockets, leftover]) await socket.close(); // as the old engine does once it is ready

    const answers = await Promise.all(Array.from({ length: 48 }, () => tcpHello(tcpPort, "127.0.0.1", undefined, 2000)));
    expect(new Set(answers)).toEqual(new Set(["backend-a"]));
    const replies = await Promise.all(Array.from({ length: 24 }, (_, i) => udpAsk(udpPort, `d${i}`, undefined, "127.0.0.1", 2000)));
    expect(replies.map((r) => r.text)).toEqual(Array.from({ length: 24 }, (_, i) => `u:d${i}`));
    await expect(tcpHello(unwanted, "127.0.0.1", undefined, 2000)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("startSuccessor", () => {
  it("kills a new engine that does not say ready in time, and says why", async () => {
    const hang = path.join(dir, "hang.mjs");
    await writeFile(hang, "process.send({ type: 'hello' }); setInterval(() => {}, 1000);\n");
    const started = Date.now();
    await expect(startSuccessor({ entry: hang, execArgv: [], sockets: [], snapshot: null, env: process.env, readyTimeoutMs: 500 })).rejects.toThrow(/not ready within 500 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
    await waitFor(() => running(hang).length === 0, 2000, "the hung successor killed");
  });
});
