// Starting and stopping the benchmark's processes by PID (never by name), and waiting for ports.
// BENCH_NODE_ARGS (space-separated) go before the script of every node process started here, e.g.
// "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the engine under load.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";

/** A free loopback port (bound then released). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts on `port`, or throws after `timeoutMs`. */
export async function waitForPort(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${port} after ${timeoutMs} ms`);
}

const started = new Set();

/**
 * Starts `command args` pinned to `cpus` (taskset) in the foreground; returns the child. The
 * child's PID is the process itself (taskset execs), so stopping by PID stops the server.
 */
export function startPinned(name, cpus, command, args, env = {}) {
  if (command === process.execPath && process.env.BENCH_NODE_ARGS) args = [...process.env.BENCH_NODE_ARGS.split(" "), ...args];
  const child = spawn("taskset", ["-c", cpus, command, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c) => (stderr = (stderr + c).slice(-4000)));
  child.on("exit", (code, signal) => {
    started.delete(child);
    if (!child.stopping) console.error(`${name} exited early (code ${code}, signal ${signal}): ${stderr}`);
  });
  child.benchName = name;
  started.add(child);
  return child;
}

/** Stops one child by its PID and waits for it to exit. */
export async function stop(child, signal = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stopping = true;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(child.pid, signal);
  const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, "SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Stops every child this script started (on exit or error). */
export async function stopAll() {
  await Promise.all([...started].map((child) => stop(child)));
}

/** True when `cmd` is on PATH. */
export function have(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Installs missing Debian packages (apt-get update once first); each entry is [command or absolute file, package]. */
export function ensurePackages(packages) {
  const missing = packages.filter(([what]) => (what.startsWith("/") ? !existsSync(what) : !have(what))).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  console.log(`installing ${missing.join(", ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...missing]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed`);
  }
}
