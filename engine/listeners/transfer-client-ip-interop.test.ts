import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MemberHealthReport } from "../protocol/ipc.types";
import type { ClientIpTransport, Snapshot } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, waitFor } from "../test-support/backends";
import { listener, member, monitor, pool, snapshot } from "../test-support/fixtures";

/**
 * Interop of Transfer Client IP Address (issue 10, (a) and (b)): the engine's TCP listener sends PROXY
 * v1 and v2 to Debian's nginx (`listen … proxy_protocol; real_ip_header proxy_protocol`) and HAProxy
 * (`bind … accept-proxy`), which answer with the client address they see; clients are bound to their own
 * 127.x. The groups are HTTP-health-checked with the probe header (v2 LOCAL, v1 `PROXY UNKNOWN`): a new
 * member takes no traffic before its first successful check, so every answer also proves the probes pass.
 */

const NGINX = "/usr/sbin/nginx";
const HAPROXY = "/usr/sbin/haproxy";

/** A peer process started for the tests: stopped by its PID. */
interface Peer {
  port: number;
  stop(): Promise<void>;
}

/** Resolves once something accepts on 127.0.0.1:port (polled every 50 ms, at most `timeoutMs`). */
async function listening(port: number, child: ChildProcess, output: () => string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`peer exited with ${child.exitCode}: ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => resolve(true));
      socket.once("error", () => resolve(false));
      socket.once("close", () => socket.destroy());
      setTimeout(() => resolve(false), 500).unref();
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`peer not listening on ${port} after ${timeoutMs} ms: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `command args`, waits for it to listen on `port`; stop() sends SIGTERM to its PID and waits (SIGKILL after 3 s). */
async function startPeer(command: string, args: string[], port: number): Promise<Peer> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(child.pid!, "SIGTERM");
    const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, "SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await listening(port, child, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, stop };
}

/** nginx, one process, answering `$remote_addr:$proxy_protocol_addr` on a proxy_protocol listen. */
async function startNginx(dir: string): Promise<Peer> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${path.join(dir, "nginx.pid")};
error_log ${path.join(dir, "error.log")} warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${path.join(dir, "body")};
  proxy_temp_path ${path.join(dir, "proxy")};
  fastcgi_temp_path ${path.join(dir, "fastcgi")};
  uwsgi_temp_path ${path.join(dir, "uwsgi")};
  scgi_temp_path ${path.join(dir, "scgi")};
  server {
    listen 127.0.0.1:${port} proxy_protocol;
    set_real_ip_from 127.0.0.0/8;
    real_ip_header proxy_protocol;
    location / { default_type text/plain; return 200 "$remote_addr:$proxy_protocol_addr"; }
  }
}
`,
  );
  return startPeer(NGINX, ["-e", path.join(dir, "error.log"), "-p", dir, "-c", conf], port);
}

/** HAProxy in the foreground, answering `%[src]` on an accept-proxy bind. */
async function startHaproxy(dir: string): Promise<Peer> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = path.join(dir, "haproxy.cfg");
  writeFileSync(
    conf,
    `global
  maxconn 64
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:${port} accept-proxy
  http-request return status 200 content-type text/plain lf-string "%[src]"
`,
  );
  return startPeer(HAPROXY, ["-db", "-f", conf], port);
}

/** GET / through the listener on a fresh connection from `localAddress`; the body. */
function askFrom(localAddress: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/", localAddress, agent: false, timeout: 3000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`status ${response.statusCode}: ${body}`))));
    });
    request.on("timeout", () => request.destroy(new Error("no answer within 3 s")));
    request.on("error", reject);
  });
}

/** The engine with one TCP listener in front of `memberPort`, HTTP-health-checked; `apply(version, transport)` re-applies. */
async function engineBefore(memberPort: number) {
  const health: MemberHealthReport[] = [];
  const runtime = new EngineRuntime({ drainGraceMs: 200, onHealthChange: (report) => health.push(report) });
  const port = await freePort();
  const listeners = [listener("l", port, "p")];
  const healthMonitor = monitor({ protocol: "HTTP", path: "/", expectedCodes: [200], maxRetries: 2 });
  const at = (version: number, transferClientIp: ClientIpTransport | null): Snapshot =>
    snapshot(version, listeners, [pool("p", [member("m", memberPort)], { healthMonitor, transferClientIp })]);
  return {
    port,
    health,
    healthy: () => health.at(-1)?.status === "HEALTHY",
    apply: async (version: number, transport: ClientIpTransport | null) => expect((await runtime.apply(at(version, transport))).errors).toEqual([]),
    stop: () => runtime.stop(100),
  };
}

const missing = [NGINX, HAPROXY].filter((binary) => !existsSync(binary));
if (missing.length > 0) {
  // scripts/test.sh installs them from Debian; a machine without them says so instead of passing silently.
  console.error(`[transfer-client-ip-interop] SKIPPED: ${missing.join(", ")} not installed (apt-get install nginx haproxy)`);
}

describe.skipIf(missing.length > 0)("Transfer Client IP Address with real PROXY protocol receivers", () => {
  let dir = "";
  const cleanups: (() => unknown)[] = [];
  beforeAll(() => void (dir = mkdtempSync(path.join(os.tmpdir(), "elb-transfer-ip-"))));
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("(a) nginx `real_ip_header proxy_protocol` sees the client's own 127.x over PROXY v1 and v2, and its HTTP health check with the header keeps it healthy", async () => {
    const nginx = await startNginx(path.join(dir, "nginx-a"));
    cleanups.push(() => nginx.stop());
    const engine = await engineBefore(nginx.port);
    cleanups.push(() => engine.stop());

    await engine.apply(1, "PROXY_V1");
    await waitFor(engine.healthy, 4000, "nginx healthy with PROXY UNKNOWN probes");
    expect(await askFrom("127.0.0.61", engine.port)).toBe("127.0.0.61:127.0.0.61");
    expect(await askFrom("127.0.0.62", engine.port)).toBe("127.0.0.62:127.0.0.62");

    await engine.apply(2, "PROXY_V2");
    expect(await askFrom("127.0.0.63", engine.port)).toBe("127.0.0.63:127.0.0.63");
    expect(await askFrom("127.0.0.64", engine.port)).toBe("127.0.0.64:127.0.0.64");
    await new Promise((resolve) => setTimeout(resolve, 1200)); // at least one v2 LOCAL probe since the switch
    expect(engine.health.map((h) => h.status)).toEqual(["HEALTHY"]);

    // Without the header nginx refuses the probes ("broken header"): the member goes down.
    await engine.apply(3, null);
    await waitFor(() => !engine.healthy(), 6000, "nginx unhealthy once probes carry no header");
  });

  it("(b) HAProxy `accept-proxy` sees the client's own 127.x over PROXY v1 and v2, and stays healthy under probes with the header", async () => {
    const haproxy = await startHaproxy(path.join(dir, "haproxy-b"));
    cleanups.push(() => haproxy.stop());
    const engine = await engineBefore(haproxy.port);
    cleanups.push(() => engine.stop());

    await engine.apply(1, "PROXY_V1");
    await waitFor(engine.healthy, 4000, "HAProxy healthy with PROXY UNKNOWN probes");
    expect(await askFrom("127.0.0.71", engine.port)).toBe("127.0.0.71");

    await engine.apply(2, "PROXY_V2");
    expect(await askFrom("127.0.0.72", engine.port)).toBe("127.0.0.72");
    expect(await askFrom("127.0.0.73", engine.port)).toBe("127.0.0.73");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(engine.health.map((h) => h.status)).toEqual(["HEALTHY"]);
  });
});
