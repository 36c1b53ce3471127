// Benchmark (not a test): the engine vs nginx vs haproxy as reverse proxies, measured in one run.
// Each proxy runs pinned to core 0 (taskset -c 0), wrk runs on core 1, the backend (nginx `return
// 200`) on core 1 too, loopback only. Measures HTTP/1.1 keep-alive requests/s + latency (64
// connections), new connections/s (Connection: close), and TCP pass-through (wrk through each
// proxy's TCP listener). Prints ratios and ends with one `bench:` line.
// Runs are interleaved (engine, nginx, haproxy, engine, …) and the best of BENCH_ROUNDS counts, since
// other work on a shared box only ever makes a run slower. Per-request proxy CPU is printed too.
// Last, "after idle" (after-idle.mjs): p99 of a burst paced at half the maximum rate, 128 connections,
// after 6 s without traffic, engine vs nginx (and haproxy) in the same run, with the steady-state p99.
// Then "two workers" (twoWorkers): engine ELB_ENGINE_WORKERS=2, nginx worker_processes 2, haproxy
// nbthread 2, unpinned (cores 0,1 for proxies, wrk -t2 and the backend alike), keep-alive and TCP.
// Then TLS (tls.mjs), proxies on one core again: HTTPS keep-alive (wrk over TLS, 64 connections), new
// TLS connections (full handshakes, Connection: close) and HTTP/2 (h2load -c32 -m10), the same ECDSA
// P-256 certificate for all three proxies (cases httpsKeepalive, tlsHandshake, h2).
// Access logs: the keep-alive case also runs against a second HTTP listener of the same engine writing
// table 7-1 records ("engine+log") and a second server of the same nginx writing the same fields with
// access_log buffer=64k ("nginx+log"): http_keepalive_logged_vs_nginx.
// Env: BENCH_SECONDS (per run, default 4), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 64),
// "Paired" (case paired): keep-alive engine vs nginx and engine+log vs nginx+log (and vs engine-before) again in back-to-back pairs
// of short runs, in alternating order (A B, B A, …): the median of the pairs' ratios (see pairedRatio).
// BENCH_PAIRS (default 8) pairs of BENCH_PAIR_SECONDS (default 2) each.
// "Concurrent" (case concurrent): the same two pairings loaded at the same time — both proxies already run
// pinned to core 0, two wrk (half the connections each) load them at once, so each gets half the core
// and the ratio of their requests/s is the inverse ratio of their CPU cost per request, measured in the
// same second of the box's weather (see concurrentRatio); BENCH_CONCURRENT_ROUNDS (default 6) of
// BENCH_SECONDS each, the median.
// BENCH_ONLY=engine,nginx,haproxy,node-h2-alone, BENCH_CASES=keepalive,paired,newConn,tcp,afterIdle,twoWorkers,httpsKeepalive,tlsHandshake,h2 (default all; see
// after-idle.mjs for its AFTER_IDLE_* settings), BENCH_ENGINE=<bundle> (run that engine bundle, e.g. an
// older commit's, instead of building dist/engine/main.js), BENCH_ENGINE_BEFORE=<bundle> (also run that
// bundle as "engine-before", in the same rounds: a before/after in one run).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { NGINX_STREAM_MODULE, backendNginx, engineSnapshot, proxyHaproxy, proxyNginx } from "./configs.mjs";
import { ensurePackages, freePort, startPinned, stop, stopAll, waitForPort } from "./processes.mjs";
import { afterIdle } from "./after-idle.mjs";
import { runWrk } from "./wrk.mjs";
import { runH2load, startTlsProxies, stopTlsProxies } from "./tls.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const only = (process.env.BENCH_ONLY ?? "engine,nginx,haproxy,node-h2-alone").split(",");
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const engineBundle = path.resolve(process.env.BENCH_ENGINE ?? path.join(root, "dist", "engine", "main.js"));
const cases = (process.env.BENCH_CASES ?? "keepalive,paired,concurrent,newConn,tcp,afterIdle,httpsKeepalive,tlsHandshake,h2,twoWorkers").split(",");
const pairs = Number(process.env.BENCH_PAIRS ?? 8);
const pairSeconds = Number(process.env.BENCH_PAIR_SECONDS ?? 2);
const concurrentRounds = Number(process.env.BENCH_CONCURRENT_ROUNDS ?? 6);
const PROXY_CPU = "0";
const LOAD_CPU = "1";
const BOTH_CPUS = "0,1";

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

/** Requests wrk completed per URL, over all runs: the logged listeners' counts are checked against their log lines. */
const sentByUrl = new Map();

/** `runWrk`, counting the requests it completed in `sentByUrl`. */
async function wrkCounted(url, opts) {
  const result = await runWrk(url, opts);
  sentByUrl.set(url, (sentByUrl.get(url) ?? 0) + Number(/(\d+) requests in/.exec(result.raw)?.[1] ?? 0));
  return result;
}

/** Newline-terminated lines in `file` (gunzipped when it ends in .gz). */
function linesIn(file) {
  const data = file.endsWith(".gz") ? gunzipSync(readFileSync(file)) : readFileSync(file);
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/** The files anywhere under `dir` (none when it does not exist). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map((name) => path.join(dir, String(name))).filter((file) => statSync(file).isFile());
}

/**
 * Log lines each logged proxy wrote against the requests it answered: a proxy that drops records under
 * load does less work, and its logged ratio would flatter it. nginx keeps up to its 64 KiB buffer unwritten.
 */
function logCompleteness(proxies) {
  const parts = [];
  for (const p of proxies) {
    if (!p.logFiles) continue;
    const lines = p.logFiles().reduce((sum, file) => sum + linesIn(file), 0);
    const sent = sentByUrl.get(`http://127.0.0.1:${p.httpPort}/`) ?? 0;
    parts.push(`${p.name} ${lines} lines for ${sent} requests (${sent ? ((100 * lines) / sent).toFixed(1) : "-"} %)`);
  }
  if (parts.length) console.log(`  access-log lines written: ${parts.join("; ")}`);
}

/** One wrk run (or `run`, e.g. h2load) against `proxy`, with the proxy's CPU time per request. */
async function measureOnce(proxy, url, opts, run = wrkCounted) {
  const before = treeCpuSeconds(proxy.child.pid);
  const result = await run(url, { seconds, connections, cpu: LOAD_CPU, ...opts }); // opts may set cpu/threads
  const cpu = treeCpuSeconds(proxy.child.pid) - before;
  result.cpuUsPerRequest = (cpu * 1e6) / Math.max(1, result.rps * seconds);
  result.cpuShare = cpu / seconds;
  return result;
}

/**
 * The median ratio of `a`'s to `b`'s keep-alive requests/s over `pairs` back-to-back pairs of short runs,
 * every other pair in the reverse order (a drift in the box's load then favours neither). This shared
 * box's speed changes within seconds: the two runs of a pair see the same weather far more often than
 * two best runs picked from different rounds, or two runs a whole round apart.
 */
async function pairedRatio(a, b) {
  const ratios = [];
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const rps = new Map();
    for (const p of order) rps.set(p, (await wrkCounted(`http://127.0.0.1:${p.httpPort}/`, { seconds: pairSeconds, connections, cpu: LOAD_CPU })).rps);
    if (rps.get(b) > 0) ratios.push(rps.get(a) / rps.get(b));
  }
  ratios.sort((x, y) => x - y);
  return { median: ratios.length ? ratios[Math.floor(ratios.length / 2)] : 0, ratios };
}

/**
 * The median ratio of `a`'s to `b`'s keep-alive requests/s with both loaded at once (two wrk on the
 * load core, `connections / 2` each, the one started first alternating): both proxies are pinned to
 * the same core, so while both are busy each gets half of it and rps(a) / rps(b) = cost(b) / cost(a),
 * the ratio each would reach alone on a full core — and a slow second of this shared box slows both.
 * A round counts only when the two kept the core busy together (≥ 90 %: otherwise the load side, not
 * the proxies, set the pace); `cpu` is the median of their summed shares.
 */
async function concurrentRatio(a, b) {
  const ratios = [];
  const shares = [];
  const half = Math.max(1, Math.floor(connections / 2));
  for (let i = 0; i < concurrentRounds; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const before = order.map((p) => treeCpuSeconds(p.child.pid));
    const runs = order.map((p) => wrkCounted(`http://127.0.0.1:${p.httpPort}/`, { seconds, connections: half, cpu: LOAD_CPU }));
    const [first, second] = await Promise.all(runs);
    const share = order.reduce((sum, p, k) => sum + (treeCpuSeconds(p.child.pid) - before[k]) / seconds, 0);
    shares.push(share);
    const [ra, rb] = i % 2 === 0 ? [first.rps, second.rps] : [second.rps, first.rps];
    if (share >= 0.9 && rb > 0) ratios.push(ra / rb);
  }
  ratios.sort((x, y) => x - y);
  shares.sort((x, y) => x - y);
  return { median: ratios.length ? ratios[Math.floor(ratios.length / 2)] : 0, ratios, cpu: shares[Math.floor(shares.length / 2)] ?? 0 };
}

/** The best of `rounds` runs (this box is shared: the best run is the least disturbed one). */
function best(runs) {
  return runs.reduce((a, b) => (b.rps > a.rps ? b : a));
}

function report(name, label, runs) {
  const r = best(runs);
  const errs = r.errors ? ` errors: ${r.errors}` : "";
  const bad = r.non2xx ? ` non-2xx: ${r.non2xx}` : "";
  const all = runs.map((x) => x.rps.toFixed(0)).join("/");
  const latency = Number.isNaN(r.avg) ? "" : `  avg ${r.avg.toFixed(2)} ms  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`;
  console.log(
    `  ${name.padEnd(13)} ${label.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} req/s (runs ${all})${latency}  proxy ${r.cpuUsPerRequest.toFixed(1)} us/req at ${(r.cpuShare * 100).toFixed(0)}% cpu${errs}${bad}`,
  );
}

/**
 * Starts the proxies on `cpus` with `workers` workers each (engine ELB_ENGINE_WORKERS, nginx
 * worker_processes, haproxy nbthread); names get `suffix` ("" or "-2w").
 */
async function startProxies(dir, backendPort, { cpus = PROXY_CPU, workers = 1, suffix = "", backendProxyPort = 0 } = {}) {
  const proxies = [];
  const engines = only.includes("engine") ? [["engine", engineBundle]] : [];
  if (process.env.BENCH_ENGINE_BEFORE) engines.push(["engine-before", path.resolve(process.env.BENCH_ENGINE_BEFORE)]);
  for (const [base, bundle] of engines) {
    const name = base + suffix;
    const [httpPort, tcpPort] = [await freePort(), await freePort()];
    const clientIp = base === "engine" && backendProxyPort ? { httpPort: await freePort(), tcpPort: await freePort(), backendProxyPort } : null;
    const loggedPort = backendProxyPort ? await freePort() : 0; // engine-before too: logging compared across builds
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(engineSnapshot(httpPort, tcpPort, backendPort, clientIp, loggedPort)));
    const stateDir = path.join(dir, `${name}-state`);
    mkdirSync(stateDir);
    const child = startPinned(name, cpus, process.execPath, [bundle], {
      ELB_ENGINE_SNAPSHOT_FILE: file,
      ELB_ENGINE_STATE_DIR: stateDir, // access-log files go under it
      ELB_ENGINE_DRAIN_MS: "200",
      ELB_ENGINE_WORKERS: String(workers),
    });
    proxies.push({ name, child, httpPort, tcpPort });
    const logFiles = () => filesUnder(path.join(stateDir, "access-logs"));
    if (loggedPort) proxies.push({ name: `${name}+log`, child, httpPort: loggedPort, tcpPort: loggedPort, only: ["keepalive"], logFiles });
    // The same engine process measured on its "client IP" listeners, interleaved with the plain ones.
    if (clientIp) proxies.push({ name: `${name}+cip`, child, httpPort: clientIp.httpPort, tcpPort: clientIp.tcpPort, only: ["keepalive", "tcp"] });
  }
  if (only.includes("nginx")) {
    const [httpPort, tcpPort] = [await freePort(), await freePort()];
    const loggedPort = backendProxyPort ? await freePort() : 0;
    const d = path.join(dir, `nginx${suffix}`);
    mkdirSync(d);
    writeFileSync(path.join(d, "nginx.conf"), proxyNginx(d, httpPort, tcpPort, backendPort, workers, loggedPort));
    const child = startPinned(`nginx${suffix}`, cpus, "nginx", ["-p", d, "-c", path.join(d, "nginx.conf"), "-e", path.join(d, "error.log"), "-g", "daemon off;"]);
    proxies.push({ name: `nginx${suffix}`, child, httpPort, tcpPort });
    const logFiles = () => (existsSync(path.join(d, "access.log")) ? [path.join(d, "access.log")] : []);
    if (loggedPort) proxies.push({ name: `nginx${suffix}+log`, child, httpPort: loggedPort, tcpPort: loggedPort, only: ["keepalive"], logFiles });
  }
  if (only.includes("haproxy")) {
    const [httpPort, tcpPort] = [await freePort(), await freePort()];
    const d = path.join(dir, `haproxy${suffix}`);
    mkdirSync(d);
    writeFileSync(path.join(d, "haproxy.cfg"), proxyHaproxy(d, httpPort, tcpPort, backendPort, workers));
    const child = startPinned(`haproxy${suffix}`, cpus, "haproxy", ["-db", "-f", path.join(d, "haproxy.cfg")]);
    proxies.push({ name: `haproxy${suffix}`, child, httpPort, tcpPort });
  }
  for (const p of proxies) {
    await waitForPort(p.httpPort);
    await waitForPort(p.tcpPort);
  }
  return proxies;
}

const TESTS = [
  { key: "keepalive", label: "http keep-alive", port: "httpPort", opts: {} },
  { key: "newConn", label: "http new conns", port: "httpPort", opts: { close: true } },
  { key: "tcp", label: "tcp pass-through", port: "tcpPort", opts: {} },
];

const TLS_TESTS = [
  { key: "httpsKeepalive", label: "https keep-alive", opts: {} },
  { key: "tlsHandshake", label: "tls handshakes", opts: { close: true } },
  { key: "h2", label: "h2 -c32 -m10", opts: { clients: 32, streams: 10 }, run: runH2load },
];

async function main() {
  ensurePackages([["h2load", "nghttp2-client"], ["wrk", "wrk"], ["nginx", "nginx"], [NGINX_STREAM_MODULE, "libnginx-mod-stream"], ["haproxy", "haproxy"], ["taskset", "util-linux"]]);
  if (process.env.BENCH_ENGINE === undefined) {
    const build = spawnSync(process.execPath, [path.join(root, "scripts", "build-engine.mjs")], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("engine build failed");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "elb-bench-"));
  const results = {};
  let idle = null;
  let paired = null;
  let concurrent = null;
  try {
    const [backendPort, backendProxyPort] = [await freePort(), await freePort()];
    const backendDir = path.join(dir, "backend");
    mkdirSync(backendDir);
    writeFileSync(path.join(backendDir, "nginx.conf"), backendNginx(backendDir, backendPort, backendProxyPort));
    startPinned("backend nginx", LOAD_CPU, "nginx", ["-p", backendDir, "-c", path.join(backendDir, "nginx.conf"), "-e", path.join(backendDir, "error.log"), "-g", "daemon off;"]);
    await waitForPort(backendPort);
    const proxies = await startProxies(dir, backendPort, { backendProxyPort });
    console.log(
      `backend: nginx return 200 (core ${LOAD_CPU}); proxies on core ${PROXY_CPU}: ${proxies.map((p) => `${p.name} pid ${p.child.pid}`).join(", ")}; wrk -t1 -c${connections} -d${seconds}s on core ${LOAD_CPU}; best of ${rounds} interleaved rounds`,
    );
    const direct = await runWrk(`http://127.0.0.1:${backendPort}/`, { seconds: 2, connections, cpu: LOAD_CPU });
    console.log(`  backend direct: ${direct.rps.toFixed(0)} req/s (ceiling of the load side)`);
    for (const p of proxies) await wrkCounted(`http://127.0.0.1:${p.httpPort}/`, { seconds: 1, connections, cpu: LOAD_CPU }); // warm-up (JIT, pools)
    for (const test of TESTS.filter((t) => cases.includes(t.key))) {
      const takingPart = proxies.filter((p) => !p.only || p.only.includes(test.key));
      const runs = Object.fromEntries(takingPart.map((p) => [p.name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const p of takingPart) runs[p.name].push(await measureOnce(p, `http://127.0.0.1:${p[test.port]}/`, test.opts));
      }
      for (const p of takingPart) {
        report(p.name, test.label, runs[p.name]);
        (results[p.name] ??= {})[test.key] = best(runs[p.name]);
        results[p.name][`${test.key}Runs`] = runs[p.name];
      }
    }
    if (cases.includes("paired")) {
      const byName = (name) => proxies.find((p) => p.name === name);
      // With BENCH_ENGINE_BEFORE also this build against that one, paired the same way (a before/after
      // within the box's weather; printed, not on the bench: line).
      const pairings = [["keepalive", "engine", "nginx"], ["keepaliveLogged", "engine+log", "nginx+log"], ["beforeKeepalive", "engine", "engine-before"], ["beforeKeepaliveLogged", "engine+log", "engine-before+log"]];
      for (const [key, a, b] of pairings) {
        if (!byName(a) || !byName(b)) continue;
        const r = await pairedRatio(byName(a), byName(b));
        (paired ??= {})[key] = r.median;
        console.log(`  paired ${a} / ${b}: median ${r.median.toFixed(2)} of ${r.ratios.map((x) => x.toFixed(2)).join(" ")} (${pairs} back-to-back pairs of ${pairSeconds} s)`);
      }
    }
    if (cases.includes("concurrent")) {
      const byName = (name) => proxies.find((p) => p.name === name);
      for (const [key, a, b] of [["keepalive", "engine", "nginx"], ["keepaliveLogged", "engine+log", "nginx+log"]]) {
        if (!byName(a) || !byName(b) || byName(a).child === byName(b).child) continue;
        const r = await concurrentRatio(byName(a), byName(b));
        (concurrent ??= {})[key] = r.median;
        console.log(
          `  concurrent ${a} / ${b}: median ${r.median.toFixed(2)} of ${r.ratios.map((x) => x.toFixed(2)).join(" ")} (${concurrentRounds} rounds of ${seconds} s, both on core ${PROXY_CPU} at once, ${(r.cpu * 100).toFixed(0)} % of it busy)`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the engine writes a partial batch within 1 s
    logCompleteness(proxies);
    if (cases.includes("afterIdle")) idle = await afterIdle(proxies.filter((p) => !p.only), { dir, cpu: LOAD_CPU, backendPort });
    const tlsTests = TLS_TESTS.filter((t) => cases.includes(t.key));
    if (tlsTests.length > 0) {
      await Promise.all(proxies.filter((p) => !p.only).map((p) => stop(p.child))); // the plain proxies make room on the core
      const tls = await startTlsProxies(dir, backendPort, { cpu: PROXY_CPU, only, engineBundle });
      console.log(`TLS, ECDSA P-256, proxies on core ${PROXY_CPU}: ${tls.map((p) => `${p.name} pid ${p.child.pid}`).join(", ")}`);
      for (const p of tls) if (!p.only) await runWrk(`https://127.0.0.1:${p.port}/`, { seconds: 1, connections, cpu: LOAD_CPU }); // warm-up
      for (const test of tlsTests) {
        const takingPart = tls.filter((p) => !p.only || p.only.includes(test.key));
        const runs = Object.fromEntries(takingPart.map((p) => [p.name, []]));
        for (let round = 0; round < rounds; round++) {
          for (const p of takingPart) runs[p.name].push(await measureOnce(p, `https://127.0.0.1:${p.port}/`, test.opts, test.run));
        }
        for (const p of takingPart) {
          report(p.name, test.label, runs[p.name]);
          (results[p.name] ??= {})[test.key] = best(runs[p.name]);
          results[p.name][`${test.key}Runs`] = runs[p.name];
        }
      }
      await stopTlsProxies(tls);
    }
    if (cases.includes("twoWorkers")) {
      await Promise.all(proxies.filter((p) => !p.only).map((p) => stop(p.child))); // the one-core proxies make room
      const two = await startProxies(dir, backendPort, { cpus: BOTH_CPUS, workers: 2, suffix: "-2w" });
      console.log(`two workers each, unpinned (cores ${BOTH_CPUS}) with wrk -t2 and the backend: ${two.map((p) => `${p.name} pid ${p.child.pid}`).join(", ")}`);
      const twoOpts = { cpu: BOTH_CPUS, threads: 2 };
      for (const p of two) await runWrk(`http://127.0.0.1:${p.httpPort}/`, { seconds: 1, connections, ...twoOpts }); // warm-up
      for (const test of TESTS.filter((t) => t.key !== "newConn")) {
        const runs = Object.fromEntries(two.map((p) => [p.name, []]));
        for (let round = 0; round < rounds; round++) {
          for (const p of two) runs[p.name].push(await measureOnce(p, `http://127.0.0.1:${p[test.port]}/`, { ...test.opts, ...twoOpts }));
        }
        for (const p of two) {
          report(p.name, test.label, runs[p.name]);
          (results[p.name] ??= {})[test.key] = best(runs[p.name]);
        }
      }
    }
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
  for (const other of ["nginx", "haproxy", "engine-before"]) {
    const o = results[other];
    if (!e || !o) continue;
    console.log(
      `  vs ${other.padEnd(13)} keep-alive ${ratio(e.keepalive, o.keepalive).toFixed(2)}  new connections ${ratio(e.newConn, o.newConn).toFixed(2)}  tcp ${ratio(e.tcp, o.tcp).toFixed(2)}`,
    );
  }
  let tail = "";
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Each round measures the proxies back to back: the median of the per-round ratios is less at the mercy of
  // a disturbed run (this box is shared) than the ratio of the two best runs.
  const pairedMedian = (a, b, key) => {
    const on = a?.[`${key}Runs`] ?? [];
    const off = b?.[`${key}Runs`] ?? [];
    const ratios = on.map((r, i) => (off[i]?.rps ? r.rps / off[i].rps : NaN)).filter((x) => !Number.isNaN(x));
    return ratios.length ? med(ratios) : 0;
  };
  const ie = idle?.byProxy.engine;
  const ing = idle?.byProxy.nginx;
  if (ie && ing) {
    const [e99, n99] = [med(ie.afterIdle), med(ing.afterIdle)];
    console.log(`  after idle p99 (median of rounds): engine ${e99.toFixed(2)} ms, nginx ${n99.toFixed(2)} ms, difference ${(e99 - n99).toFixed(2)} ms; steady ${med(ie.steady).toFixed(2)} vs ${med(ing.steady).toFixed(2)} ms`);
    tail = ` p99_after_idle_engine_ms=${e99.toFixed(2)} p99_after_idle_nginx_ms=${n99.toFixed(2)} p99_after_idle_diff_ms=${(e99 - n99).toFixed(2)}`;
  }
  let cipLine = "";
  const cip = results["engine+cip"];
  if (e && cip) {
    const kaCip = ratio(cip.keepalive, e.keepalive);
    const tcpCip = ratio(cip.tcp, e.tcp);
    const paired = (key) => pairedMedian(cip, e, key);
    console.log(
      `  client IP on vs off (same engine, same rounds): http with every X-Forwarded-* + X-Real-IP ${kaCip.toFixed(2)} (median of per-round ratios ${paired("keepalive").toFixed(2)}), tcp with PROXY v2 ${tcpCip.toFixed(2)} (median ${paired("tcp").toFixed(2)})`,
    );
    cipLine = ` http_forwarded_vs_plain=${kaCip.toFixed(2)} tcp_proxy_v2_vs_plain=${tcpCip.toFixed(2)} http_forwarded_vs_plain_median=${paired("keepalive").toFixed(2)} tcp_proxy_v2_vs_plain_median=${paired("tcp").toFixed(2)}`;
  }
  let logged = "";
  if (results["engine+log"] && results["nginx+log"]) {
    const kaLog = ratio(results["engine+log"].keepalive, results["nginx+log"].keepalive);
    console.log(`  access logs on (table 7-1 records; nginx access_log buffer=64k): keep-alive vs nginx ${kaLog.toFixed(2)} (off ${ka.toFixed(2)}); the engine with logs reaches ${ratio(results["engine+log"].keepalive, e?.keepalive).toFixed(2)} of itself without`);
    const kaLogMedian = pairedMedian(results["engine+log"], results["nginx+log"], "keepalive");
    console.log(`  access logs on, median of per-round ratios: ${kaLogMedian.toFixed(2)} (off ${pairedMedian(e, results.nginx, "keepalive").toFixed(2)})`);
    logged = ` http_keepalive_logged_vs_nginx=${kaLog.toFixed(2)} http_keepalive_logged_vs_nginx_median=${kaLogMedian.toFixed(2)}`;
  }
  if (paired?.keepaliveLogged !== undefined) logged += ` http_keepalive_logged_vs_nginx_paired=${paired.keepaliveLogged.toFixed(2)}`;
  if (paired?.keepalive !== undefined) logged += ` http_keepalive_vs_nginx_paired=${paired.keepalive.toFixed(2)}`;
  if (concurrent?.keepaliveLogged !== undefined) logged += ` http_keepalive_logged_vs_nginx_concurrent=${concurrent.keepaliveLogged.toFixed(2)}`;
  if (concurrent?.keepalive !== undefined) logged += ` http_keepalive_vs_nginx_concurrent=${concurrent.keepalive.toFixed(2)}`;
  let two = "";
  if (results["engine-2w"]) {
    const ka2 = ratio(results["engine-2w"].keepalive, results["nginx-2w"]?.keepalive);
    const tcp2 = ratio(results["engine-2w"].tcp, results["haproxy-2w"]?.tcp);
    console.log(`  two workers: keep-alive vs nginx ${ka2.toFixed(2)} (one core ${ka.toFixed(2)}), tcp vs haproxy ${tcp2.toFixed(2)} (one core ${tcp.toFixed(2)})`);
    two = ` http_keepalive_2w_vs_nginx_2w=${ka2.toFixed(2)} tcp_2w_vs_haproxy_2t=${tcp2.toFixed(2)}`;
  }
  let tlsLine = "";
  if (e?.httpsKeepalive || e?.tlsHandshake || e?.h2) {
    const n = results.nginx ?? {};
    const hk = ratio(e.httpsKeepalive, n.httpsKeepalive);
    const th = ratio(e.tlsHandshake, n.tlsHandshake);
    const h2 = ratio(e.h2, n.h2);
    console.log(`  tls: https keep-alive vs nginx ${hk.toFixed(2)}, handshakes vs nginx ${th.toFixed(2)}, h2 vs nginx ${h2.toFixed(2)} (h2 vs haproxy ${ratio(e.h2, results.haproxy?.h2).toFixed(2)})`);
    const alone = results["node-h2-alone"]?.h2;
    if (alone) console.log(`  h2 ceiling: node:http2 answering by itself vs nginx ${ratio(alone, n.h2).toFixed(2)}; the engine reaches ${ratio(e.h2, alone).toFixed(2)} of it`);
    const h2Median = pairedMedian(e, n, "h2");
    console.log(`  h2 vs nginx, median of per-round ratios: ${h2Median.toFixed(2)}`);
    tlsLine = ` https_keepalive_vs_nginx=${hk.toFixed(2)} tls_handshake_vs_nginx=${th.toFixed(2)} h2_vs_nginx=${h2.toFixed(2)} h2_vs_nginx_median=${h2Median.toFixed(2)}`;
  }
  console.log(`bench: http_keepalive_vs_nginx=${ka.toFixed(2)} new_conn_vs_nginx=${nc.toFixed(2)} tcp_vs_haproxy=${tcp.toFixed(2)}${logged}${cipLine}${two}${tlsLine}${tail}`);
}

main().catch(async (err) => {
  console.error(err);
  await stopAll();
  process.exit(1);
});

// Interrupted (Ctrl-C, timeout): stop every proxy, backend and load tool this run started, by PID.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}
