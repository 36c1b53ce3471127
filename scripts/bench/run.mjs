// Benchmark (not a test): the engine vs nginx vs haproxy as reverse proxies, measured in one run.
// Each proxy runs pinned to core 0 (taskset -c 0), wrk runs on core 1, the backend (nginx `return
// 200`) on core 1 too, loopback only. Measures HTTP/1.1 keep-alive requests/s + latency (64
// connections), new connections/s (Connection: close), and TCP pass-through (wrk through each
// proxy's TCP listener). Prints ratios and ends with one `bench:` line.
// Env: BENCH_SECONDS (per measurement, default 5), BENCH_CONNECTIONS (default 64), BENCH_ONLY=engine,nginx,haproxy.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NGINX_STREAM_MODULE, backendNginx, engineSnapshot, proxyHaproxy, proxyNginx } from "./configs.mjs";
import { ensurePackages, freePort, startPinned, stop, stopAll, waitForPort } from "./processes.mjs";
import { runWrk } from "./wrk.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const only = (process.env.BENCH_ONLY ?? "engine,nginx,haproxy").split(",");
const PROXY_CPU = "0";
const LOAD_CPU = "1";

/** CPU seconds (user+system) a process has used so far, from /proc. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds of a process and all its descendants (nginx master + worker). */
function treeCpuSeconds(pid) {
  const r = spawnSync("sh", ["-c", `ps -o pid= --ppid ${pid}`], { encoding: "utf8" });
  const children = (r.stdout ?? "").split("\n").map((s) => s.trim()).filter(Boolean).map(Number);
  return cpuSeconds(pid) + children.reduce((sum, child) => sum + treeCpuSeconds(child), 0);
}

async function measure(label, pid, url, opts) {
  const before = treeCpuSeconds(pid);
  const result = await runWrk(url, { seconds, connections, cpu: LOAD_CPU, ...opts });
  result.cpu = (treeCpuSeconds(pid) - before) / seconds;
  const errs = result.errors ? ` errors: ${result.errors}` : "";
  const bad = result.non2xx ? ` non-2xx: ${result.non2xx}` : "";
  console.log(
    `  ${label.padEnd(22)} ${result.rps.toFixed(0).padStart(8)} req/s  avg ${result.avg.toFixed(2)} ms  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  proxy cpu ${(result.cpu * 100).toFixed(0)}%${errs}${bad}`,
  );
  return result;
}

/** Runs the three measurements against one proxy started by `start`. */
async function benchProxy(name, start) {
  const { child, httpPort, tcpPort } = await start();
  try {
    await waitForPort(httpPort);
    await waitForPort(tcpPort);
    console.log(`${name} (pid ${child.pid}, core ${PROXY_CPU})`);
    await runWrk(`http://127.0.0.1:${httpPort}/`, { seconds: 1, connections, cpu: LOAD_CPU }); // warm-up (JIT, pools)
    const keepalive = await measure("http keep-alive", child.pid, `http://127.0.0.1:${httpPort}/`, {});
    const newConn = await measure("http new connections", child.pid, `http://127.0.0.1:${httpPort}/`, { close: true });
    const tcp = await measure("tcp pass-through", child.pid, `http://127.0.0.1:${tcpPort}/`, {});
    return { keepalive, newConn, tcp };
  } finally {
    await stop(child);
  }
}

async function main() {
  ensurePackages([["wrk", "wrk"], ["nginx", "nginx"], [NGINX_STREAM_MODULE, "libnginx-mod-stream"], ["haproxy", "haproxy"], ["taskset", "util-linux"]]);
  const build = spawnSync(process.execPath, [path.join(root, "scripts", "build-engine.mjs")], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("engine build failed");
  const dir = mkdtempSync(path.join(os.tmpdir(), "elb-bench-"));
  const results = {};
  try {
    const backendPort = await freePort();
    const backendDir = path.join(dir, "backend");
    mkdirSync(backendDir);
    writeFileSync(path.join(backendDir, "nginx.conf"), backendNginx(backendDir, backendPort));
    const backend = startPinned("backend nginx", LOAD_CPU, "nginx", ["-p", backendDir, "-c", path.join(backendDir, "nginx.conf"), "-e", path.join(backendDir, "error.log"), "-g", "daemon off;"]);
    await waitForPort(backendPort);
    console.log(`backend: nginx return 200 on 127.0.0.1:${backendPort} (core ${LOAD_CPU}); wrk -t1 -c${connections} -d${seconds}s on core ${LOAD_CPU}`);
    const direct = await runWrk(`http://127.0.0.1:${backendPort}/`, { seconds: 2, connections, cpu: LOAD_CPU });
    console.log(`  backend direct: ${direct.rps.toFixed(0)} req/s (the ceiling of this box's load side)`);

    if (only.includes("engine")) {
      results.engine = await benchProxy("engine", async () => {
        const [httpPort, tcpPort] = [await freePort(), await freePort()];
        const file = path.join(dir, "snapshot.json");
        writeFileSync(file, JSON.stringify(engineSnapshot(httpPort, tcpPort, backendPort)));
        const child = startPinned("engine", PROXY_CPU, process.execPath, [path.join(root, "dist", "engine", "main.js")], {
          ELB_ENGINE_SNAPSHOT_FILE: file,
          ELB_ENGINE_DRAIN_MS: "200",
        });
        return { child, httpPort, tcpPort };
      });
    }
    if (only.includes("nginx")) {
      results.nginx = await benchProxy("nginx", async () => {
        const [httpPort, tcpPort] = [await freePort(), await freePort()];
        const d = path.join(dir, "nginx");
        mkdirSync(d);
        writeFileSync(path.join(d, "nginx.conf"), proxyNginx(d, httpPort, tcpPort, backendPort));
        const child = startPinned("nginx", PROXY_CPU, "nginx", ["-p", d, "-c", path.join(d, "nginx.conf"), "-e", path.join(d, "error.log"), "-g", "daemon off;"]);
        return { child, httpPort, tcpPort };
      });
    }
    if (only.includes("haproxy")) {
      results.haproxy = await benchProxy("haproxy", async () => {
        const [httpPort, tcpPort] = [await freePort(), await freePort()];
        const d = path.join(dir, "haproxy");
        mkdirSync(d);
        writeFileSync(path.join(d, "haproxy.cfg"), proxyHaproxy(d, httpPort, tcpPort, backendPort));
        const child = startPinned("haproxy", PROXY_CPU, "haproxy", ["-db", "-f", path.join(d, "haproxy.cfg")]);
        return { child, httpPort, tcpPort };
      });
    }
    await stop(backend);
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }

  const ratio = (a, b) => (a && b && b.rps > 0 ? a.rps / b.rps : 0);
  const e = results.engine;
  const ka = ratio(e?.keepalive, results.nginx?.keepalive);
  const nc = ratio(e?.newConn, results.nginx?.newConn);
  const tcp = ratio(e?.tcp, results.haproxy?.tcp);
  console.log("\nratios (engine / other, requests per second):");
  for (const other of ["nginx", "haproxy"]) {
    const o = results[other];
    if (!e || !o) continue;
    console.log(
      `  vs ${other.padEnd(8)} keep-alive ${ratio(e.keepalive, o.keepalive).toFixed(2)}  new connections ${ratio(e.newConn, o.newConn).toFixed(2)}  tcp ${ratio(e.tcp, o.tcp).toFixed(2)}`,
    );
  }
  console.log(`bench: http_keepalive_vs_nginx=${ka.toFixed(2)} new_conn_vs_nginx=${nc.toFixed(2)} tcp_vs_haproxy=${tcp.toFixed(2)}`);
}

main().catch(async (err) => {
  console.error(err);
  await stopAll();
  process.exit(1);
});
