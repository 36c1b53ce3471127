import { afterEach, describe, expect, it } from "vitest";
import { HealthRegistry } from "../health/health-registry";
import { startBlackHole } from "../test-support/black-hole";
import { RecordingObserver } from "../test-support/recording-observer";
import { httpPool, request, startBackend, startProxy, type ProxyFixture } from "./test-support/http-fixture";
import type { HttpProxyOptions } from "./proxy-options";

/** Issue 7 item 11.1: a black-holed member (SYNs dropped) costs one connect timeout, then another member answers. */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: HttpProxyOptions, withGood = true, observer?: RecordingObserver) {
  const hole = await startBlackHole();
  cleanup.push(() => hole.close());
  const members = [{ id: "hole", port: hole.port }];
  if (withGood) {
    const good = await startBackend("good");
    cleanup.push(() => good.close());
    members.push({ id: "good", port: good.port });
  }
  const proxy: ProxyFixture = await startProxy(httpPool(members), options, {}, observer);
  cleanup.push(() => proxy.close());
  return proxy;
}

async function timed(port: number) {
  const started = Date.now();
  const res = await request(port, { agent: false });
  return { ...res, ms: Date.now() - started };
}

describe("HTTP proxy: connect timeout failover", () => {
  it("answers 200 from the good member within the connect timeout plus a margin", async () => {
    const proxy = await setup({ connectTimeoutMs: 1000, maxFails: 0 });
    for (let i = 0; i < 4; i++) {
      const res = await timed(proxy.port); // round robin: every other request is first sent to the hole
      expect(res.status).toBe(200);
      expect(res.body).toBe("good");
      expect(res.ms).toBeLessThan(1000 + 400);
    }
  }, 15_000);

  it("times a connect out on its own timer, not 1–2 sweep periods late", async () => {
    const proxy = await setup({ connectTimeoutMs: 2000, maxTries: 1 }, false);
    const res = await timed(proxy.port);
    expect(res.status).toBe(504);
    expect(res.ms).toBeGreaterThanOrEqual(1950);
    expect(res.ms).toBeLessThan(2300); // the sweep (500 ms here) made it 2.5–3 s
  }, 10_000);

  it("ejects a member after maxFails failed connects for failTimeoutMs, then tries it again", async () => {
    const observer = new RecordingObserver();
    const proxy = await setup({ connectTimeoutMs: 200, maxFails: 2, failTimeoutMs: 1500 }, true, observer);
    const timeouts = () => observer.of("error").filter((e) => e.kind === "connect_timeout").length;
    const hole = proxy.pool!.byId("hole")!;
    for (let i = 0; i < 10 && timeouts() < 2; i++) expect((await timed(proxy.port)).status).toBe(200);
    expect(timeouts()).toBe(2);
    const ejectedAt = Date.now();
    expect(hole.ejectedUntil).toBeGreaterThan(ejectedAt);

    const health = new HealthRegistry(() => {});
    health.update([proxy.pool!]);
    expect(health.report()).toEqual([
      { poolId: "pool-1", memberId: "hole", status: "NO_MONITOR", ejected: true, consecutiveFailures: 2 },
      { poolId: "pool-1", memberId: "good", status: "NO_MONITOR" },
    ]);

    for (let i = 0; i < 6; i++) {
      const res = await timed(proxy.port);
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(150); // the hole is skipped: no connect timeout paid
    }
    expect(timeouts()).toBe(2);

    await new Promise((r) => setTimeout(r, Math.max(0, ejectedAt + 1500 + 150 - Date.now())));
    for (let i = 0; i < 4 && timeouts() < 3; i++) expect((await timed(proxy.port)).status).toBe(200);
    expect(timeouts()).toBe(3); // let back after the window…
    expect(hole.ejectedUntil).toBeGreaterThan(Date.now()); // …and, still failing, ejected again at once
  }, 15_000);
});
