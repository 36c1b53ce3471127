import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

/**
 * Network namespaces for transparent-mode tests (root only): a client, an engine and a backend namespace
 * joined by two veth pairs, the backend's default route via the engine, and in the engine namespace the
 * policy routing that delivers the backend's replies (addressed to the client) to the engine's local
 * transparent socket. Every name starts with a unique test id; `destroy` deletes all of it.
 *
 *   client ns  198.18.1.2 [c-eng] ── [e-cli] 198.18.1.1  engine ns  198.18.2.1 [e-back] ── [b-eng] 198.18.2.2  backend ns
 *              fd00:1::2                fd00:1::1                fd00:2::1                fd00:2::2
 */

const root = path.resolve(import.meta.dirname, "..", "..");

/** Addresses of the lab (fixed: each lab has namespaces of its own). */
export const LAB = {
  client: "198.18.1.2",
  engineClientSide: "198.18.1.1",
  engineBackendSide: "198.18.2.1",
  backend: "198.18.2.2",
  client6: "fd00:1::2",
  engineClientSide6: "fd00:1::1",
  engineBackendSide6: "fd00:2::1",
  backend6: "fd00:2::2",
} as const;

/** Names of the lab's namespaces. */
export interface NetnsLab {
  readonly id: string;
  readonly client: string;
  readonly engine: string;
  readonly backend: string;
  /** Adds or removes the engine namespace's IPv4 rule `iif e-back lookup 100` (the replies' way to the socket). */
  policyRule(on: boolean): void;
  /** Deletes the namespaces (and with them the veth pairs). Safe to call twice. */
  destroy(): void;
}

function ip(args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
}

/**
 * What refused the lab's building blocks in a throwaway namespace here (no `ip`, not root, no netns, no
 * veth, no policy routing), naming the command, or null when all of them worked.
 */
export function netnsRefusal(): string | null {
  const name = `elbtp-probe-${process.pid}-${randomBytes(3).toString("hex")}`;
  const steps = [
    ["netns", "add", name],
    ["-n", name, "link", "add", "p0", "type", "veth", "peer", "name", "p1"],
    ["-n", name, "rule", "add", "iif", "p0", "lookup", "100"],
    ["-n", name, "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100"],
  ];
  let refused: string | null = null;
  for (const args of steps) {
    try {
      ip(args);
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? "").trim();
      refused = `\`ip ${args.join(" ")}\` was refused: ${stderr || (err as Error).message}`;
      break;
    }
  }
  try {
    ip(["netns", "del", name]);
  } catch {
    // never made
  }
  return refused;
}

/** Deletes namespaces left by a test process that died before its cleanup (its pid is in the name). */
function deleteOrphans(): void {
  const list = execFileSync("ip", ["netns", "list"], { encoding: "utf8", timeout: 10_000 });
  for (const line of list.split("\n")) {
    const match = /^(elbtp-(\d+)-[0-9a-f]+-[ceb])\b/.exec(line);
    if (match === null || alive(Number(match[2]))) continue;
    try {
      ip(["netns", "del", match[1]!]);
    } catch {
      // someone else deleted it
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Builds the three-namespace lab; throws naming the `ip` command that failed (after deleting what it made). */
export function createNetnsLab(): NetnsLab {
  deleteOrphans();
  const id = `elbtp-${process.pid}-${randomBytes(3).toString("hex")}`;
  const [client, engine, backend] = [`${id}-c`, `${id}-e`, `${id}-b`];
  const made: string[] = [];
  const destroy = (): void => {
    for (const name of made.splice(0)) {
      try {
        ip(["netns", "del", name]);
      } catch {
        // already gone
      }
    }
  };
  const run = (args: string[]): void => {
    try {
      ip(args);
    } catch (err) {
      destroy();
      const stderr = String((err as { stderr?: Buffer }).stderr ?? "").trim();
      throw new Error(`\`ip ${args.join(" ")}\` failed: ${stderr || (err as Error).message}`);
    }
  };
  for (const name of [client, engine, backend]) {
    run(["netns", "add", name]);
    made.push(name);
    run(["-n", name, "link", "set", "lo", "up"]);
  }
  run(["-n", client, "link", "add", "c-eng", "type", "veth", "peer", "name", "e-cli", "netns", engine]);
  run(["-n", engine, "link", "add", "e-back", "type", "veth", "peer", "name", "b-eng", "netns", backend]);
  const addresses: [string, string, string, string][] = [
    [client, "c-eng", LAB.client, LAB.client6],
    [engine, "e-cli", LAB.engineClientSide, LAB.engineClientSide6],
    [engine, "e-back", LAB.engineBackendSide, LAB.engineBackendSide6],
    [backend, "b-eng", LAB.backend, LAB.backend6],
  ];
  for (const [ns, dev, address, address6] of addresses) {
    run(["-n", ns, "addr", "add", `${address}/24`, "dev", dev]);
    run(["-n", ns, "addr", "add", `${address6}/64`, "dev", dev, "nodad"]); // usable at once, no duplicate detection wait
    run(["-n", ns, "link", "set", dev, "up"]);
  }
  run(["-n", backend, "route", "add", "default", "via", LAB.engineBackendSide]);
  run(["-n", backend, "-6", "route", "add", "default", "via", LAB.engineBackendSide6]);
  // Replies from the backend are addressed to the client: deliver them locally (to the transparent socket).
  run(["-n", engine, "rule", "add", "iif", "e-back", "lookup", "100"]);
  run(["-n", engine, "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100"]);
  run(["-n", engine, "-6", "rule", "add", "iif", "e-back", "lookup", "100"]);
  run(["-n", engine, "-6", "route", "add", "local", "::/0", "dev", "lo", "table", "100"]);
  for (const conf of ["all", "default", "e-back", "e-cli"]) {
    run(["netns", "exec", engine, "sh", "-c", `echo 0 > /proc/sys/net/ipv4/conf/${conf}/rp_filter`]);
  }
  const policyRule = (on: boolean): void => run(["-n", engine, "rule", on ? "add" : "del", "iif", "e-back", "lookup", "100"]);
  return { id, client, engine, backend, policyRule, destroy };
}

/** A child process running in namespace `ns`, and its stdout so far. */
export interface NetnsChild {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the first stdout line that `match` accepts (within `timeoutMs`), rejects naming stderr. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Kills the child (by its pid) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` inside namespace `ns` (`ip netns exec` replaces itself with node, so the child's pid
 * is node's), cwd the repository (so `--import tsx` resolves). `options.stdio` may add an "ipc" slot.
 */
export function nodeInNetns(ns: string, args: string[], options: SpawnOptions = {}): NetnsChild {
  const child = spawn("ip", ["netns", "exec", ns, process.execPath, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"], ...options });
  const state: NetnsChild = {
    child,
    stdout: "",
    stderr: "",
    line: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = state.stdout.split("\n").find((l) => match(l));
          if (found === undefined) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching line from node in ${ns} within ${timeoutMs} ms; stdout: ${state.stdout.trim()} stderr: ${state.stderr.trim()}`));
        }, timeoutMs);
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(new Error(`node in ${ns} exited (${child.exitCode ?? child.signalCode}) without a matching line; stdout: ${state.stdout.trim()} stderr: ${state.stderr.trim()}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stdout?.off("data", check);
          child.off("exit", onExit);
        };
        if (check()) return;
        child.stdout?.on("data", check);
        child.once("exit", onExit);
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGKILL");
      await exited;
    },
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (state.stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (state.stderr += chunk));
  return state;
}

/**
 * A backend for the lab, run in the backend namespace with arguments `<host>,<host>… <port>`: TCP and UDP
 * on `port` of each host, answering each connection / datagram with the address and port it came from
 * (`<address> <port>\n`); prints "ready" once all listen.
 */
export const PEER_ECHO_BACKEND = `
const net = require("node:net"), dgram = require("node:dgram");
const [hosts, port] = [process.argv[1].split(","), Number(process.argv[2])];
let pending = hosts.length * 2;
const up = () => { if (--pending === 0) console.log("ready"); };
for (const host of hosts) {
  net.createServer((s) => { s.on("error", () => {}); s.end(s.remoteAddress + " " + s.remotePort + "\\n"); }).listen(port, host, up);
  const udp = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
  udp.on("message", (_m, from) => udp.send(from.address + " " + from.port + "\\n", from.port, from.address));
  udp.bind(port, host, up);
}
`;
