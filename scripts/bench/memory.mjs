// Benchmark (not a test): memory per client connection of the engine, nginx and a bare Node socket
// server, measured in one run. `node scripts/bench/memory.mjs` (builds dist/engine/main.js first).
//
// For each server: warm up (a few hundred connections, one request each, closed), settle, take a
// baseline; open MEMORY_CONNECTIONS (default 5000) keep-alive connections that each send one request,
// read the response and stay open idle; settle, measure again; the delta divided by the connections
// is the cost of one idle keep-alive connection. Then MEMORY_PARTIAL (default 1000) connections that
// each send a 30 KiB request head without its final CRLF (a partial head, within the 10 s head
// timeout), measured the same way.
// - engine: VmRSS from /proc/<pid>/status, and the V8 heap after a full GC through the inspector
//   (node --inspect on a loopback port; HeapProfiler.collectGarbage, then process.memoryUsage()).
// - nginx (one worker, in front of the same backend): VmRSS of master + worker.
// - node-bare: a net.Server answering every request with a fixed response (the floor for any Node
//   proxy: a net.Socket and its libuv/V8 state), heap and RSS like the engine.
// Last, MEMORY_SLOW (default 50) slow readers: each asks for a 32 MiB file from the backend and never
// reads (the proxy holds what it buffered for them; the kernel's socket buffers are not in RSS).
// Samples are taken MEMORY_SETTLE_MS (default 10 000; partial heads 3 000) after the connections opened: the engine drops
// an idle connection's per-request state after two sweeps (≤ 2 s), and V8 returns the pages freed by
// the burst to the system only when its memory reducer runs (~8 s after allocation stops), so an
// earlier RSS sample counts pages V8 still pools (heap numbers are exact either way).
// Env: MEMORY_CONNECTIONS, MEMORY_PARTIAL, MEMORY_SETTLE_MS, MEMORY_ONLY=engine,nginx,node-bare;
// MEMORY_ENGINE_BEFORE=<bundle> adds an "engine-before" row measured the same way (e.g. an older
// commit built with `node scripts/build-engine.mjs <file>` in a `git archive` copy), for a before/after
// in the same run; MEMORY_RSS_BEFORE_GC=1 reads RSS before the forced GC (garbage not yet collected
// included, as a process watched from outside holds it); MEMORY_ENGINE=<bundle> measures that bundle as "engine" instead of building one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import WebSocket from "ws";
import { backendNginx, engineSnapshot } from "./configs.mjs";
import { freePort, startPinned, stop, stopAll, waitForPort } from "./processes.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const N = Number(process.env.MEMORY_CONNECTIONS ?? 5000);
const PARTIAL = Number(process.env.MEMORY_PARTIAL ?? 1000);
const SLOW = Number(process.env.MEMORY_SLOW ?? 50);
const SLOW_FILE_MIB = 32;
const only = (process.env.MEMORY_ONLY ?? "engine,nginx,node-bare").split(",");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SETTLE_MS = Number(process.env.MEMORY_SETTLE_MS ?? 10_000);
const PARTIAL_SETTLE_MS = 3000;
const BEFORE = process.env.MEMORY_ENGINE_BEFORE;
/** Read RSS before forcing the GC (as the process holds it, garbage not yet collected included). */
const RSS_BEFORE_GC = process.env.MEMORY_RSS_BEFORE_GC === "1";
/** An engine bundle to measure instead of building dist/engine/main.js. */
const ENGINE = process.env.MEMORY_ENGINE;

/** VmRSS of `pid` in KiB. */
function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** Direct children of `pid` (nginx workers). */
function children(pid) {
  const r = spawnSync("sh", ["-c", `ps -o pid= --ppid ${pid}`], { encoding: "utf8" });
  return (r.stdout ?? "").split("\n").map((s) => s.trim()).filter(Boolean).map(Number);
}

/** A connection to a Node inspector: gc + process.memoryUsage() of the inspected process. */
async function inspector(port) {
  let url;
  for (let i = 0; i < 100 && url === undefined; i++) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      url = list[0]?.webSocketDebuggerUrl;
    } catch {
      await sleep(50);
    }
  }
  if (url === undefined) throw new Error(`no inspector on ${port}`);
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  let id = 0;
  const waiting = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg);
  });
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      const n = ++id;
      waiting.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return {
    async memory() {
      for (let i = 0; i < 3; i++) await call("HeapProfiler.collectGarbage");
      const r = await call("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true });
      return JSON.parse(r.result.result.value);
    },
    close: () => ws.close(),
  };
}

/** Opens `n` connections to `port`, each sending `request`; resolves once each saw `until` (or at once when null). */
async function openConnections(port, n, request, until, sockets) {
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, () => {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, "127.0.0.1");
          sockets.push(s);
          let seen = "";
          s.on("error", reject);
          s.once("connect", () => {
            s.write(request);
            if (until === null) resolve();
          });
          s.on("data", (c) => {
            seen += c.toString("latin1");
            if (until !== null && seen.includes(until)) resolve();
          });
        });
      }),
    );
  }
}

/** Opens `n` connections that each ask for the backend's big file and never read. */
async function openSlowReaders(port, n, sockets) {
  await Promise.all(
    Array.from({ length: n }, () => {
      return new Promise((resolve, reject) => {
        const s = net.connect(port, "127.0.0.1");
        sockets.push(s);
        s.on("error", reject);
        s.once("connect", () => {
          s.pause(); // never read: the response piles up in the proxy and the kernel
          s.write("GET /big.bin HTTP/1.1\r\nHost: bench\r\n\r\n");
          resolve();
        });
      });
    }),
  );
}

function closeAll(sockets) {
  for (const s of sockets.splice(0)) s.destroy();
}

const GET = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";
/** A 30 KiB request head without its final empty line: the server must keep it. */
const PARTIAL_HEAD = `GET / HTTP/1.1\r\nHost: bench\r\n${Array.from({ length: 30 }, (_, i) => `X-Pad-${i}: ${"a".repeat(1000)}\r\n`).join("")}`;

/**
 * One server's measurement, in bytes per connection: `first` = the first burst of N idle connections
 * over a warmed-up server (what the process grows by, pools included), `repeat` = the same burst again
 * after the first one closed (pools and heap pages left by a burst of this size are reused: what the
 * connections themselves hold), `partial` = connections holding a partial 30 KiB head.
 */
async function measure(server) {
  const sample = async (ms) => {
    await sleep(ms);
    const readRss = () => server.pids().reduce((sum, pid) => sum + rssKiB(pid), 0) * 1024;
    const held = RSS_BEFORE_GC ? readRss() : NaN;
    const mem = server.inspector ? await server.inspector.memory() : null; // a full GC, then RSS
    await sleep(200);
    const rss = RSS_BEFORE_GC ? held : readRss();
    return { rss, heap: mem?.heapUsed ?? NaN, heapTotal: mem?.heapTotal ?? NaN, external: mem ? mem.external : NaN };
  };
  const per = (a, b, n) => ({ rss: (b.rss - a.rss) / n, heap: (b.heap - a.heap) / n, heapTotal: (b.heapTotal - a.heapTotal) / n, external: (b.external - a.external) / n });
  const sockets = [];
  // Warm-up: JIT, backend keep-alive pool, lazily built state; then closed.
  await openConnections(server.port, 300, GET, "\r\n\r\nok", sockets);
  closeAll(sockets);
  const base0 = await sample(SETTLE_MS);
  await openConnections(server.port, N, GET, "\r\n\r\nok", sockets);
  const first = await sample(SETTLE_MS);
  closeAll(sockets);
  const base1 = await sample(SETTLE_MS);
  await openConnections(server.port, N, GET, "\r\n\r\nok", sockets);
  const repeat = await sample(SETTLE_MS);
  closeAll(sockets);
  // Partial heads: sampled within the engine's 10 s head timeout.
  const base2 = await sample(PARTIAL_SETTLE_MS);
  await openConnections(server.port, PARTIAL, PARTIAL_HEAD, null, sockets);
  const partial = await sample(PARTIAL_SETTLE_MS);
  closeAll(sockets);
  let slow = { rss: NaN, heap: NaN, heapTotal: NaN, external: NaN };
  if (server.bigFile) {
    const base3 = await sample(PARTIAL_SETTLE_MS);
    await openSlowReaders(server.port, SLOW, sockets);
    slow = per(base3, await sample(PARTIAL_SETTLE_MS), SLOW);
    closeAll(sockets);
  }
  return { name: server.name, first: per(base0, first, N), repeat: per(base1, repeat, N), partial: per(base2, partial, PARTIAL), slow };
}

const BARE_SERVER = `
const net = require("node:net");
const RESPONSE = "HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok";
net.createServer((s) => s.on("data", (c) => { if (c.includes("\\r\\n\\r\\n")) s.write(RESPONSE); })).listen(Number(process.argv[1]), "127.0.0.1");
`;

async function main() {
  if (ENGINE === undefined) {
    const build = spawnSync(process.execPath, [path.join(root, "scripts", "build-engine.mjs")], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("engine build failed");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "elb-memory-"));
  const results = [];
  try {
    const backendPort = await freePort();
    const backendDir = path.join(dir, "backend");
    mkdirSync(backendDir);
    const bigFile = `    location = /big.bin { root ${backendDir}; }\n`;
    writeFileSync(path.join(backendDir, "big.bin"), Buffer.alloc(SLOW_FILE_MIB * 1024 * 1024, "x"));
    writeFileSync(path.join(backendDir, "nginx.conf"), backendNginx(backendDir, backendPort).replace("    location / {", `${bigFile}    location / {`));
    startPinned("backend nginx", "1", "nginx", ["-p", backendDir, "-c", path.join(backendDir, "nginx.conf"), "-e", path.join(backendDir, "error.log"), "-g", "daemon off;"]);
    await waitForPort(backendPort);

    const engines = only.includes("engine") ? [["engine", path.resolve(ENGINE ?? path.join(root, "dist", "engine", "main.js"))]] : [];
    if (BEFORE) engines.unshift(["engine-before", path.resolve(BEFORE)]);
    for (const [name, bundle] of engines) {
      const [httpPort, tcpPort, inspectPort] = [await freePort(), await freePort(), await freePort()];
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(engineSnapshot(httpPort, tcpPort, backendPort)));
      const child = startPinned(name, "0", process.execPath, [`--inspect=127.0.0.1:${inspectPort}`, bundle], {
        ELB_ENGINE_SNAPSHOT_FILE: file,
        ELB_ENGINE_DRAIN_MS: "200",
      });
      await waitForPort(httpPort);
      const insp = await inspector(inspectPort);
      results.push(await measure({ name, port: httpPort, pids: () => [child.pid], inspector: insp, bigFile: true }));
      insp.close();
      await stop(child);
    }
    if (only.includes("nginx")) {
      const [httpPort, tcpPort] = [await freePort(), await freePort()];
      const d = path.join(dir, "nginx");
      mkdirSync(d);
      const { proxyNginx } = await import("./configs.mjs");
      const conf = proxyNginx(d, httpPort, tcpPort, backendPort).replace("worker_connections 4096;", `worker_connections ${N + PARTIAL + 2000};`);
      writeFileSync(path.join(d, "nginx.conf"), conf);
      const child = startPinned("nginx", "0", "nginx", ["-p", d, "-c", path.join(d, "nginx.conf"), "-e", path.join(d, "error.log"), "-g", "daemon off;"]);
      await waitForPort(httpPort);
      results.push(await measure({ name: "nginx", port: httpPort, pids: () => [child.pid, ...children(child.pid)], bigFile: true }));
      await stop(child);
    }
    if (only.includes("node-bare")) {
      const [port, inspectPort] = [await freePort(), await freePort()];
      const child = startPinned("node-bare", "0", process.execPath, [`--inspect=127.0.0.1:${inspectPort}`, "-e", BARE_SERVER, String(port)]);
      await waitForPort(port);
      const insp = await inspector(inspectPort);
      results.push(await measure({ name: "node-bare", port, pids: () => [child.pid], inspector: insp }));
      insp.close();
      await stop(child);
    }
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
  const kib = (v) => (Number.isNaN(v) ? "-" : (v / 1024).toFixed(2)).padStart(6);
  console.log(`\nmemory per connection, KiB (${N} idle keep-alive connections after one request each; ${PARTIAL} partial 30 KiB heads; ${SLOW} slow readers of ${SLOW_FILE_MIB} MiB):`);
  console.log(`  rss = VmRSS delta ${RSS_BEFORE_GC ? "before" : "after"} a full GC, heap = V8 heapUsed delta after it (external stays 0 unless noted)`);
  console.log("  first = first burst on a warmed-up server; repeat = the same burst again (pages and pools of the first reused)");
  console.log(`  ${"server".padEnd(13)} ${"first rss".padStart(9)} ${"heap".padStart(6)}   ${"repeat rss".padStart(10)} ${"heap".padStart(6)}   ${"partial rss".padStart(11)} ${"heap".padStart(6)} ${"extern".padStart(6)}   ${"slow rss".padStart(8)} ${"heap".padStart(6)} ${"extern".padStart(6)}`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(13)} ${kib(r.first.rss).padStart(9)} ${kib(r.first.heap)}   ${kib(r.repeat.rss).padStart(10)} ${kib(r.repeat.heap)}   ${kib(r.partial.rss).padStart(11)} ${kib(r.partial.heap)} ${kib(r.partial.external)}   ${kib(r.slow.rss).padStart(8)} ${kib(r.slow.heap)} ${kib(r.slow.external)}`);
  }
  const f = (v) => (v / 1024).toFixed(2);
  const line = results.map((r) => `${r.name}_rss_kib=${f(r.first.rss)}/${f(r.repeat.rss)}${Number.isNaN(r.first.heap) ? "" : ` ${r.name}_heap_kib=${f(r.first.heap)}/${f(r.repeat.heap)}`}`).join(" ");
  console.log(`memory (first/repeat): ${line}`);
}

main().catch(async (err) => {
  console.error(err);
  await stopAll();
  process.exit(1);
});
