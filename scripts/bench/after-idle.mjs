// Benchmark case (not a test): tail latency of a paced burst after an idle pause, engine vs nginx in
// the same run. Per proxy: the maximum rate with AFTER_IDLE_CONNECTIONS (128) connections, unpaced;
// then, for each round, an idle pause of AFTER_IDLE_PAUSE_S (6 s: longer than the engine's old 4 s
// backend keep-alive timeout plus a sweep), a paced run at half the lower of the proxies' maximum
// rates (the same offered load for both), and a second paced run right after it (steady state).
// Pacing: wrk's Lua delay() before every request of every connection, drawn uniformly from
// [0, 2 × period) so that the connections do not fire in step (wrk truncates it to whole ms; the
// rate reached is printed). wrk counts latency from the request's write, so the pause before it is
// not latency. Beside p99 it counts the backend connections each proxy opened during the run after
// the pause (the backend nginx's stub_status "accepts"): warm keep-alive connections mean none.
import { writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { runWrk } from "./wrk.mjs";

const connections = Number(process.env.AFTER_IDLE_CONNECTIONS ?? 128);
const pauseSeconds = Number(process.env.AFTER_IDLE_PAUSE_S ?? 6);
const pacedSeconds = Number(process.env.AFTER_IDLE_SECONDS ?? 3);
const rounds = Number(process.env.AFTER_IDLE_ROUNDS ?? 3);
const LOAD = 0.5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A wrk script pacing each connection to one request per `periodMs` on average. */
function pacingScript(dir, periodMs) {
  const file = path.join(dir, `pace-${periodMs.toFixed(3)}.lua`);
  writeFileSync(file, `math.randomseed(42)\nfunction delay()\n  return math.random() * ${(2 * periodMs).toFixed(3)}\nend\n`);
  return file;
}

/** Connections the backend nginx accepted so far (its stub_status over a connection of its own, counted too). */
function backendAccepts(backendPort) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(backendPort, "127.0.0.1");
    let text = "";
    socket.on("error", reject);
    socket.on("data", (c) => (text += c));
    socket.on("end", () => {
      const m = /\n\s*(\d+)\s+\d+\s+\d+/.exec(text);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`unexpected stub_status: ${text}`));
    });
    socket.write("GET /stub_status HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n");
  });
}

/**
 * Runs the case against `proxies` ({ name, httpPort }); returns { rate, byProxy: { name: { afterIdle: [p99…], steady: [p99…] } } }.
 * Rounds interleave the proxies; nothing runs during a pause, and each proxy sat idle at least that long
 * before its paced run.
 */
export async function afterIdle(proxies, { dir, cpu, backendPort }) {
  const url = (p) => `http://127.0.0.1:${p.httpPort}/`;
  const max = {};
  for (const p of proxies) max[p.name] = (await runWrk(url(p), { seconds: 3, connections, cpu })).rps;
  const rate = LOAD * Math.min(...Object.values(max));
  const script = pacingScript(dir, (connections * 1000) / rate);
  console.log(
    `  after idle: max ${Object.entries(max).map(([n, r]) => `${n} ${r.toFixed(0)}`).join(", ")} req/s with ${connections} connections; paced at ${rate.toFixed(0)} req/s (${(LOAD * 100).toFixed(0)} % of the lower), ${pauseSeconds} s idle before each run, ${rounds} rounds`,
  );
  const byProxy = Object.fromEntries(proxies.map((p) => [p.name, { afterIdle: [], steady: [], rps: [], reconnects: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const p of proxies) {
      await sleep(pauseSeconds * 1000);
      const accepted = await backendAccepts(backendPort);
      const cold = await runWrk(url(p), { seconds: pacedSeconds, connections, cpu, script });
      byProxy[p.name].reconnects.push((await backendAccepts(backendPort)) - accepted - 1); // -1: this query's own connection

      const warm = await runWrk(url(p), { seconds: pacedSeconds, connections, cpu, script });
      const r = byProxy[p.name];
      r.afterIdle.push(cold.p99);
      r.steady.push(warm.p99);
      r.rps.push(cold.rps);
      if (cold.errors || cold.non2xx) console.log(`  ${p.name} after idle: errors ${cold.errors} non-2xx ${cold.non2xx}`);
    }
  }
  for (const p of proxies) {
    const r = byProxy[p.name];
    const list = (xs) => xs.map((x) => x.toFixed(2)).join("/");
    console.log(
      `  ${p.name.padEnd(13)} p99 after ${pauseSeconds} s idle: median ${median(r.afterIdle).toFixed(2)} ms (runs ${list(r.afterIdle)})  steady: median ${median(r.steady).toFixed(2)} ms (runs ${list(r.steady)})  at ${median(r.rps).toFixed(0)} req/s; backend connections opened after the pause: ${r.reconnects.join("/")}`,
    );
  }
  return { rate, byProxy };
}
