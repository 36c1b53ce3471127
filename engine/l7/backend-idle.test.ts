import { afterEach, describe, expect, it } from "vitest";
import { httpPool, request, startBackend, startProxy } from "./test-support/http-fixture";

/**
 * Backend keep-alive connections stay warm through an idle pause (hardening 11.9): with the old
 * 4 s backend idle timeout a burst after a pause of a few seconds reconnected everything (p99 after
 * idle 12.8 ms vs nginx 3.6 ms). The defaults are the ones under test: no option is passed.
 */
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("backend keep-alive after an idle pause", () => {
  it("reuses the backend connections of a burst after 5.5 s without traffic (default options)", { timeout: 15_000 }, async () => {
    const backend = await startBackend("warm"); // keepAliveTimeout 30 s: the backend never closes first here
    cleanup.push(() => backend.close());
    const proxy = await startProxy(httpPool([{ id: "warm", port: backend.port }]));
    cleanup.push(() => proxy.close());
    const burst = async () => {
      const responses = await Promise.all(Array.from({ length: 4 }, () => request(proxy.port)));
      for (const res of responses) expect(res.body).toBe("warm");
    };
    await burst();
    const opened = backend.connections;
    expect(opened).toBeGreaterThanOrEqual(1);
    expect(opened).toBeLessThanOrEqual(4);
    await sleep(5_500); // longer than the old 4 s default plus one sweep (1 s)
    await burst();
    expect(backend.connections).toBe(opened); // no new backend connection: the warm ones were reused
  });
});
