import { execFile, spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort, startTcpBackend, tcpHello, waitFor, type TcpBackend } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import type { Snapshot } from "../protocol/snapshot.types";

/**
 * Black-box: an engine process with a lowered descriptor limit (`ulimit -n 64`) gets more connections
 * than it has descriptors. libuv drops the accepts it cannot take (accept + close with its reserve
 * descriptor, no 'error' event in Node), so the engine must notice the limit itself: it logs it to
 * stderr (rate-limited), reports it to its observer, and serves again once the connections are gone.
 */
const root = path.resolve(import.meta.dirname, "..", "..");
const NOFILE = 64;
let dir = "";
let engineEntry = "";
let harnessEntry = "";
let tcpBackend: TcpBackend;
let httpBackend: http.Server;
let httpBackendPort = 0;
const children: ChildProcess[] = [];
const sockets: net.Socket[] = [];

/** The runtime with an observer printing every error event as one JSON line on stdout. */
const HARNESS = `
import { readFileSync } from "node:fs";
import { EngineRuntime } from "./engine-runtime";
const print = (o: unknown) => void process.stdout.write(JSON.stringify(o) + "\\n");
const observer = {
  observesRequests: false,
  connectionOpened() {}, bytesIn() {}, bytesOut() {}, requestDone() {}, connectionClosed() {},
  error(context: { listenerId: string }, kind: string, cause: { code?: string; syscall?: string } | null) {
    print({ listenerId: context.listenerId, kind, code: cause?.code, syscall: cause?.syscall });
  },
};
const runtime = new EngineRuntime({ observer, descriptorCheckMs: 200 });
const result = await runtime.apply(JSON.parse(readFileSync(process.env.SNAPSHOT_FILE!, "utf8")));
print({ ready: true, errors: result.errors });
`;

beforeAll(async () => {
  await mkdir(path.join(root, "dist"), { recursive: true });
  dir = await mkdtemp(path.join(root, "dist", "test-descriptors-")); // inside the repository: node_modules resolves from here
  engineEntry = path.join(dir, "main.js");
  harnessEntry = path.join(dir, "harness.mjs");
  await Promise.all([
    promisify(execFile)(process.execPath, [path.join(root, "scripts", "build-engine.mjs"), engineEntry]),
    build({
      stdin: { contents: HARNESS, resolveDir: import.meta.dirname, sourcefile: "harness.ts", loader: "ts" },
      outfile: harnessEntry,
      loader: { ".node": "copy" }, // the reuse-port addon, as scripts/build-engine.mjs does
      banner: { js: "import { createRequire as __elbCreateRequire } from 'node:module'; const require = __elbCreateRequire(import.meta.url);" },
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      logLevel: "warning",
    }),
  ]);
  tcpBackend = await startTcpBackend("tcp-backend");
  httpBackend = http.createServer((req, res) => {
    req.resume();
    res.end("http-backend");
  });
  await new Promise<void>((resolve) => httpBackend.listen(0, "127.0.0.1", resolve));
  httpBackendPort = (httpBackend.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await tcpBackend.close();
  httpBackend.closeAllConnections();
  await new Promise((resolve) => httpBackend.close(resolve));
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Runs `node <entry>` with at most NOFILE descriptors; collects stdout and stderr. */
function startLimited(entry: string, env: Record<string, string>) {
  const child = spawn("bash", ["-c", `ulimit -n ${NOFILE} && exec "$0" "$@"`, process.execPath, entry], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const out = { stdout: "", stderr: "" };
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (out.stdout += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (out.stderr += c));
  return { child, out };
}

async function writeSnapshot(name: string, value: Snapshot): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

/** Opens `count` connections and keeps them; resolves once each one is connected or refused. */
async function flood(port: number, count: number): Promise<{ open: () => number; live: () => net.Socket[] }> {
  const opened: net.Socket[] = [];
  await Promise.all(
    Array.from({ length: count }, () => {
      const socket = net.connect(port, "127.0.0.1");
      sockets.push(socket);
      opened.push(socket);
      socket.on("error", () => {});
      return new Promise<void>((resolve) => {
        socket.once("connect", () => resolve());
        socket.once("close", () => resolve());
      });
    }),
  );
  const live = () => opened.filter((s) => !s.destroyed && !s.readableEnded);
  return { open: () => live().length, live };
}

function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 3000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/** Retries `attempt` until it resolves (every 100 ms, up to `ms`): recovery takes the engine a moment to close its side. */
async function eventually<T>(attempt: () => Promise<T>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const LIMIT_LINE = /descriptor limit reached \(EMFILE\)/g;

describe(`engine at its descriptor limit (ulimit -n ${NOFILE})`, () => {
  it("the built engine logs the limit once (rate-limited), survives the flood and serves again once connections close", async () => {
    const port = await freePort();
    const file = await writeSnapshot(
      "engine.json",
      snapshot(1, [listener("web", port, "p", { protocol: "HTTP" })], [pool("p", [member("b", httpBackendPort)], { protocol: "HTTP" })]),
    );
    const engine = startLimited(engineEntry, { ELB_ENGINE_SNAPSHOT_FILE: file });
    await waitFor(() => engine.out.stderr.includes("ready, snapshot version 1"), 10_000, "engine ready");
    expect(await httpGet(port)).toEqual({ status: 200, body: "http-backend" });

    const held = await flood(port, 3 * NOFILE); // three times more connections than descriptors
    await waitFor(() => (engine.out.stderr.match(LIMIT_LINE) ?? []).length > 0, 5000, "descriptor limit logged");
    // The engine cannot take them all. What happens to the rest differs: with one thread libuv accepts
    // and closes them (its reserve descriptor); with several workers they wait in the kernel's accept
    // queues (as with nginx, which pauses accepting at the limit). Either way the engine lives on.
    expect(held.open()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500)); // still at the limit: checked again, not logged again
    expect(engine.out.stderr.match(LIMIT_LINE)).toHaveLength(1);
    expect(engine.out.stderr).toMatch(/descriptor limit reached \(EMFILE\) at periodic check .*raise the limit \(ulimit -n/);

    for (const socket of sockets.splice(0)) socket.destroy();
    expect(await eventually(() => httpGet(port))).toEqual({ status: 200, body: "http-backend" });
    expect(engine.child.exitCode).toBeNull();
  }, 30_000);

  it("reports the limit to the observer: the periodic check engine-wide, a failed backend connect on its listener; then recovers", async () => {
    const [tcpPort, httpPort] = [await freePort(), await freePort()];
    const file = await writeSnapshot(
      "harness.json",
      snapshot(
        1,
        [listener("tcp", tcpPort, "t"), listener("web", httpPort, "h", { protocol: "HTTP" })],
        [pool("t", [member("tb", tcpBackend.port)]), pool("h", [member("hb", httpBackendPort)], { protocol: "HTTP" })],
      ),
    );
    const harness = startLimited(harnessEntry, { SNAPSHOT_FILE: file });
    await waitFor(() => harness.out.stdout.includes('"ready":true'), 10_000, "harness ready");
    expect(harness.out.stdout).toContain('"errors":[]');
    const events = () =>
      harness.out.stdout
        .split("\n")
        .filter((line) => line.startsWith('{"listenerId"'))
        .map((line) => JSON.parse(line) as { listenerId: string; kind: string; code?: string; syscall?: string });

    // HTTP: idle connections take every descriptor; the periodic check is what tells.
    const held = await flood(httpPort, 3 * NOFILE);
    await waitFor(() => events().some((e) => e.listenerId === ""), 5000, "periodic check reported");
    // One descriptor freed: a TCP connection is accepted on it, and its backend connect finds none left.
    for (let i = 0; i < 5 && !events().some((e) => e.listenerId === "tcp"); i++) {
      held.live()[0]?.destroy();
      await new Promise((r) => setTimeout(r, 200));
      await tcpHello(tcpPort).catch(() => "");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events().filter((e) => e.listenerId === "tcp")).toEqual([{ listenerId: "tcp", kind: "internal", code: "EMFILE", syscall: "connect" }]);
    for (const e of events()) expect(e).toMatchObject({ kind: "internal", code: "EMFILE" });
    expect((harness.out.stderr.match(LIMIT_LINE) ?? []).length).toBe(1);

    for (const socket of sockets.splice(0)) socket.destroy();
    expect(await eventually(() => tcpHello(tcpPort))).toBe("tcp-backend");
    expect(await eventually(() => httpGet(httpPort))).toEqual({ status: 200, body: "http-backend" });
    expect(harness.child.exitCode).toBeNull();
  }, 30_000);
});
