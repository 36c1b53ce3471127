import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingObserver } from "../test-support/recording-observer";
import { httpPool, rawExchange, request, startBackend, startProxy, type HttpBackend, type TestResponse } from "./test-support/http-fixture";

/**
 * Issue "hardening" 11.4: `maxConnectionsPerMember` caps the open backend connections (busy +
 * connecting + idle) of each member. A member at its cap is skipped like an ejected one (the
 * balancer's next choice); an idle connection to it is still reused; with every member at its cap
 * the engine answers 503 (`member_busy`) itself. Oracle: node:http backends counting connections.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!cond() && Date.now() - started < ms) await sleep(10);
}

/** A backend that holds every response until `release()` (slow backend). */
async function slowBackend(name: string): Promise<HttpBackend & { release(): void }> {
  let held: http.ServerResponse[] = [];
  let open = false;
  const backend = await startBackend(name, (req, res) => {
    req.resume();
    if (open) res.end(name);
    else held.push(res);
  });
  cleanup.push(() => backend.close());
  return Object.assign(backend, {
    release() {
      open = true;
      for (const res of held) res.end(name);
      held = [];
    },
  });
}

/** Members a (weight 100: the balancer always offers it first) and b (weight 1), cap 2. */
async function setup() {
  const a = await slowBackend("a");
  const b = await slowBackend("b");
  const observer = new RecordingObserver();
  const pool = httpPool([
    { id: "a", port: a.port, weight: 100 },
    { id: "b", port: b.port, weight: 1 },
  ]);
  const proxy = await startProxy(pool, { maxConnectionsPerMember: 2 }, {}, observer);
  cleanup.push(() => proxy.close());
  return { a, b, proxy, observer };
}

describe("per-member connection cap", () => {
  it("sends the 3rd concurrent request to the other member, answers 503 when both are full, reuses idle connections", async () => {
    const { a, b, proxy, observer } = await setup();
    const inFlight: Promise<TestResponse>[] = [];
    const send = () => inFlight.push(request(proxy.port, { agent: false }));

    send();
    send();
    await until(() => a.seen.length === 2, 2000);
    expect([a.seen.length, b.seen.length]).toEqual([2, 0]);

    send(); // a is at its cap: the next member
    await until(() => b.seen.length === 1, 2000);
    expect([a.seen.length, b.seen.length]).toEqual([2, 1]);
    send();
    await until(() => b.seen.length === 2, 2000);
    expect([a.connections, b.connections]).toEqual([2, 2]);

    const busy = await rawExchange(proxy.port, "GET /extra HTTP/1.1\r\nHost: h\r\n\r\n", 1000);
    expect(busy.text).toMatch(/^HTTP\/1\.1 503 /);
    expect(busy.text).toContain("\r\nServer: elb\r\n");
    expect(busy.closed).toBe(false); // an engine 503 keeps the client connection
    await sleep(50);
    expect([a.connections, b.connections]).toEqual([2, 2]); // no backend saw an extra connection
    expect(a.seen.concat(b.seen).map((s) => s.url)).not.toContain("/extra");
    expect(observer.of("error").map((e) => e.kind)).toEqual(["member_busy"]);
    const refused = observer.of("request").find((r) => r.record.status === 503);
    expect(refused?.record.error).toBe("member_busy");

    a.release();
    b.release();
    const bodies = (await Promise.all(inFlight)).map((r) => `${r.status} ${r.body}`);
    expect(bodies.sort()).toEqual(["200 a", "200 a", "200 b", "200 b"]);

    // Both members are at their cap with idle connections only: those are reused, nothing new opens.
    const again = await Promise.all([request(proxy.port, { agent: false }), request(proxy.port, { agent: false })]);
    expect(again.map((r) => `${r.status} ${r.body}`)).toEqual(["200 a", "200 a"]);
    expect([a.connections, b.connections]).toEqual([2, 2]);
  });

  it("documents the default cap and 0 = no cap", async () => {
    const { resolveOptions } = await import("./proxy-options");
    expect(resolveOptions().maxConnectionsPerMember).toBe(1024);
    expect(resolveOptions({ maxConnectionsPerMember: 0 }).maxConnectionsPerMember).toBe(Infinity);
  });
});
