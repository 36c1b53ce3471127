import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { resolveOptions } from "../l7/proxy-options";
import { createPoolRuntime } from "../pools/pool-runtime";
import { DEFAULT_EJECTION_POLICY } from "../pools/passive-ejection";
import { startTcpBackend } from "../test-support/backends";
import { startBlackHole } from "../test-support/black-hole";
import { listener, member, pool } from "../test-support/fixtures";
import { serveHandler } from "../test-support/proxy";
import { createTcpHandler, DEFAULT_TCP_CONNECT_TIMEOUT_MS } from "./tcp";
import { DEFAULT_UDP_OPTIONS } from "./udp";

/** Issue 7 ("Tests whose oracles can fail: timeouts"): the L4 connect timeout, and the documented defaults. */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("timeouts and defaults", () => {
  it("L4: a black-holed member costs connectTimeoutMs, then the next member answers", async () => {
    const hole = await startBlackHole();
    cleanups.push(() => hole.close());
    const good = await startTcpBackend("good");
    cleanups.push(() => good.close());
    const runtime = createPoolRuntime(pool("p", [member("hole", hole.port), member("good", good.port)]));
    const proxy = await serveHandler(createTcpHandler({ listener: listener("l", 0, "p"), pool: runtime }, { connectTimeoutMs: 400 }));
    cleanups.push(() => void proxy.close());
    const started = Date.now();
    const socket = net.connect(proxy.port, "127.0.0.1");
    cleanups.push(() => socket.destroy());
    const greeting = await new Promise<string>((resolve, reject) => {
      socket.once("data", (c: Buffer) => resolve(c.toString()));
      socket.once("error", reject);
    });
    const ms = Date.now() - started;
    expect(greeting).toContain("good");
    expect(ms).toBeGreaterThanOrEqual(380); // round robin sent the first connection to the hole
    expect(ms).toBeLessThan(400 + 400);
  });

  it("documents its defaults", () => {
    expect(resolveOptions()).toEqual({
      headTimeoutMs: 10_000,
      bodyTimeoutMs: 60_000,
      responseTimeoutMs: 60_000,
      connectTimeoutMs: 5_000,
      maxIdlePerBackend: 1024,
      backendIdleTimeoutMs: 60_000,
      requestLimits: { maxHeadBytes: 32 * 1024, maxFields: 100, allowBareLf: false },
      maxTries: 3,
      maxBodyBytes: 2 * 1024 ** 3,
      minBodyBytesPerSecond: 256,
      bodyRateWindowMs: 10_000,
      bufferBodyBytes: 16 * 1024,
      maxConnectionsPerMember: 1024,
      ejection: { maxFails: 3, failTimeoutMs: 10_000 },
    });
    expect(DEFAULT_EJECTION_POLICY).toEqual({ maxFails: 3, failTimeoutMs: 10_000 });
    expect(DEFAULT_TCP_CONNECT_TIMEOUT_MS).toBe(5_000);
    expect(DEFAULT_UDP_OPTIONS).toEqual({ maxSessions: 10_000, maxSessionsPerAddress: 1_000, evictIdleMs: 5_000 });
  });
});
