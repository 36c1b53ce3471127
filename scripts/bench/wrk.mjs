// Runs wrk (pinned to its own core) and parses its report.
import { spawn } from "node:child_process";

/** Converts wrk's "1.23ms" / "850.00us" / "1.02s" to milliseconds. */
function toMs(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v;
}

/**
 * One wrk run: `connections` connections for `seconds` on core `cpu`; `close` adds
 * `Connection: close` (a new TCP connection per request); `script` is a wrk Lua script (-s); `threads`
 * wrk threads (default 1).
 * Returns requests/s, latency and errors.
 */
export function runWrk(url, { seconds, connections, cpu, close = false, script = null, threads = 1 }) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--latency"];
  if (close) args.push("-H", "Connection: close");
  if (script !== null) args.push("-s", script);
  args.push(url);
  return runPinnedTool(cpu, "wrk", args).then((out) => {
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
    const avg = toMs(/Latency\s+(\S+)/.exec(out)?.[1] ?? "");
    const p50 = toMs(/ 50%\s+(\S+)/.exec(out)?.[1] ?? "");
    const p99 = toMs(/ 99%\s+(\S+)/.exec(out)?.[1] ?? "");
    const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? "";
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    return { rps, avg, p50, p99, errors, non2xx, raw: out };
  });
}

/** Runs a load tool pinned to `cpu` (taskset) and resolves with its whole output; rejects on a non-zero exit. */
export function runPinnedTool(cpu, tool, args) {
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", ["-c", String(cpu), tool, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${tool} exited ${code}: ${out}`))));
  });
}
