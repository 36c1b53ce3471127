import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HealthRegistry } from "../health/health-registry";
import { createConnectionContext } from "../observe/connection-context";
import { createPoolRuntime } from "../pools/pool-runtime";
import type { PoolRuntime } from "../pools/pool-runtime.types";
import { freePort, startTcpBackend, tcpHello, waitFor, type TcpBackend } from "../test-support/backends";
import { startBlackHole } from "../test-support/black-hole";
import { listener, member, pool } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";
import { createTcpHandler, type TcpHandlerOptions } from "./tcp";

/**
 * Passive ejection on TCP listeners: failed backend connects (refused, timed out) count against the
 * member exactly as on HTTP listeners (pools/passive-ejection.ts), so a dead member stops costing every
 * new connection a failed attempt. Attempts are counted through the observer: every failed connect is
 * one error event.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The TCP handler for `pool` behind a loopback server, every accept with a context seen by `observer`. */
async function serve(runtime: PoolRuntime, options: TcpHandlerOptions = {}) {
  const observer = new RecordingObserver();
  const handler = createTcpHandler({ listener: listener("l", 0, runtime.config.id), pool: runtime }, options);
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const binding = { listenerId: "l", localAddress: "127.0.0.1", localPort: port, bandwidth: null, observer };
  server.on("connection", (socket) => handler.handle(socket, createConnectionContext(binding, socket.remoteAddress, socket.remotePort)));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const failedConnects = () => observer.of("error").filter((e) => e.kind === "connect_failed" || e.kind === "connect_timeout").length;
  return { port, observer, failedConnects };
}

async function liveBackend(name: string, port = 0): Promise<TcpBackend> {
  const backend = await startTcpBackend(name, port);
  cleanups.push(() => backend.close());
  return backend;
}

describe("TCP listener: passive ejection", () => {
  it("a refusing member (closed loopback port) is skipped after 3 failed connects: later connections never try it", async () => {
    const live = await liveBackend("live");
    const runtime = createPoolRuntime(pool("p", [member("dead", await freePort()), member("live", live.port)]));
    const dead = runtime.byId("dead")!;
    const { port, failedConnects } = await serve(runtime); // production defaults: 3 failures, 10 s
    for (let i = 0; i < 12 && failedConnects() < 3; i++) expect(await tcpHello(port)).toBe("live"); // each failure fails over
    expect(failedConnects()).toBe(3);
    expect(dead.failures).toBe(3);
    expect(dead.ejectedUntil).toBeGreaterThan(Date.now() + 8_000);
    const health = new HealthRegistry(() => {});
    health.update([runtime]);
    expect(health.report()).toEqual([
      { poolId: "p", memberId: "dead", status: "NO_MONITOR", ejected: true, consecutiveFailures: 3 },
      { poolId: "p", memberId: "live", status: "NO_MONITOR" },
    ]);

    const acceptedBefore = live.accepted;
    for (let i = 0; i < 8; i++) expect(await tcpHello(port)).toBe("live");
    expect(failedConnects()).toBe(3); // not one more attempt at the dead member
    expect(live.accepted - acceptedBefore).toBe(8);
  });

  it("a black-holed member costs the connect timeout 3 times, then no more", async () => {
    const hole = await startBlackHole();
    cleanups.push(() => hole.close());
    const live = await liveBackend("live");
    const runtime = createPoolRuntime(pool("p", [member("hole", hole.port), member("live", live.port)]));
    const { port, failedConnects } = await serve(runtime, { connectTimeoutMs: 200 });
    for (let i = 0; i < 12 && failedConnects() < 3; i++) expect(await tcpHello(port)).toBe("live");
    expect(failedConnects()).toBe(3);
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      expect(await tcpHello(port)).toBe("live");
      expect(Date.now() - started).toBeLessThan(150); // straight to the live member: no 200 ms timeout paid
    }
    expect(failedConnects()).toBe(3);
  });

  it("after failTimeoutMs the member is tried again (ejected again at once while it still fails); one success clears it", async () => {
    const live = await liveBackend("live");
    const deadPort = await freePort();
    const runtime = createPoolRuntime(pool("p", [member("dead", deadPort), member("live", live.port)]));
    const dead = runtime.byId("dead")!;
    const { port, failedConnects } = await serve(runtime, { failTimeoutMs: 400 });
    for (let i = 0; i < 12 && failedConnects() < 3; i++) expect(await tcpHello(port)).toBe("live");
    expect(failedConnects()).toBe(3);
    for (let i = 0; i < 4; i++) expect(await tcpHello(port)).toBe("live");
    expect(failedConnects()).toBe(3);

    await new Promise((r) => setTimeout(r, 500)); // the window is over (a TCP-only process: nothing else ticks the clock)
    for (let i = 0; i < 4 && failedConnects() < 4; i++) expect(await tcpHello(port)).toBe("live");
    expect(failedConnects()).toBe(4); // let back, tried once…
    expect(dead.failures).toBe(4);
    for (let i = 0; i < 4; i++) expect(await tcpHello(port)).toBe("live");
    expect(failedConnects()).toBe(4); // …and ejected again at once

    const revived = await liveBackend("revived", deadPort);
    await new Promise((r) => setTimeout(r, 500));
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await tcpHello(port));
    expect(names).toEqual(new Set(["live", "revived"]));
    expect(dead.failures).toBe(0);
    expect(dead.ejectedUntil).toBe(0);
    expect(revived.accepted).toBeGreaterThan(0);
  });

  it("maxFails 0 never ejects: every other connection tries the dead member", async () => {
    const live = await liveBackend("live");
    const runtime = createPoolRuntime(pool("p", [member("dead", await freePort()), member("live", live.port)]));
    const { port, failedConnects } = await serve(runtime, { maxFails: 0 });
    for (let i = 0; i < 8; i++) expect(await tcpHello(port)).toBe("live");
    expect(failedConnects()).toBeGreaterThanOrEqual(4);
    expect(runtime.byId("dead")!.ejectedUntil).toBe(0);
  });

  it("a connect failing for lack of descriptors (EMFILE) is reported, counts nothing against the member and tries no other", async () => {
    const live = await liveBackend("live");
    const runtime = createPoolRuntime(pool("p", [member("a", live.port), member("b", live.port)]));
    const { port, observer, failedConnects } = await serve(runtime);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const realConnect = net.connect;
    let attempts = 0;
    vi.spyOn(net, "connect").mockImplementation(((...args: Parameters<typeof net.connect>) => {
      const options = args[0] as unknown as { port?: number };
      if (options.port !== live.port) return realConnect(...args); // the test's own client
      attempts++;
      const socket = new net.Socket();
      const err = Object.assign(new Error("connect EMFILE"), { code: "EMFILE", syscall: "connect" });
      process.nextTick(() => socket.destroy(err));
      return socket;
    }) as typeof net.connect);
    for (let i = 0; i < 3; i++) await expect(tcpHello(port)).rejects.toThrow(/closed before greeting|ECONNRESET/);
    expect(attempts).toBe(3); // one per connection: no failover to the other member
    expect(failedConnects()).toBe(0);
    const internal = observer.of("error").filter((e) => e.kind === "internal");
    expect(internal).toHaveLength(3);
    expect((internal[0]!.cause as NodeJS.ErrnoException).code).toBe("EMFILE");
    expect(runtime.members.map((m) => [m.failures, m.ejectedUntil])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    await waitFor(() => stderr.mock.calls.some(([line]) => String(line).includes("descriptor limit reached (EMFILE) at connect")), 1000, "log line");
  });
});
