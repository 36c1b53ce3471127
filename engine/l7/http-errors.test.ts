import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingObserver } from "../test-support/recording-observer";
import { proxyErrorOf, type ProxyError } from "./errors";
import { httpPool, rawExchange, request, startBackend, startProxy, type ProxyFixture } from "./test-support/http-fixture";
import type { HttpProxyOptions } from "./proxy-options";
import type { SnapshotPool } from "../protocol/snapshot.types";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function proxyFor(pool: SnapshotPool | null, options: HttpProxyOptions = {}, observer?: RecordingObserver): Promise<ProxyFixture> {
  const proxy = await startProxy(pool, options, {}, observer);
  cleanup.push(() => proxy.close());
  return proxy;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A raw TCP backend running `onConnection` for each accepted socket. */
async function rawBackend(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as net.AddressInfo).port;
}

function expectGenerated(res: { status: number; headers: Record<string, unknown>; body: string }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.server).toBe("elb");
  expect(res.body).toContain(`${status}`);
}

describe("HTTP proxy: generated error responses", () => {
  it("502 when the backend refuses the connection", async () => {
    const observer = new RecordingObserver();
    const proxy = await proxyFor(httpPool([{ id: "dead", port: await deadPort() }]), {}, observer);
    const res = await request(proxy.port);
    const errors: ProxyError[] = observer.of("error").map((e) => proxyErrorOf(e.kind, e.cause));
    expectGenerated(res, 502);
    expect(errors.map((e) => [e.kind, e.source])).toEqual([["connect_failed", "backend"]]);
  });

  it("502 when the backend resets after reading the request", async () => {
    const port = await rawBackend((s) => s.once("data", () => s.resetAndDestroy()));
    const proxy = await proxyFor(httpPool([{ id: "rst", port }]));
    expectGenerated(await request(proxy.port, { method: "POST", body: "x" }), 502);
  });

  it("502 when the backend answers garbage", async () => {
    const port = await rawBackend((s) => s.once("data", () => s.end("SMTP ready\r\n\r\n")));
    const proxy = await proxyFor(httpPool([{ id: "junk", port }]));
    expectGenerated(await request(proxy.port), 502);
  });

  it("connect failure moves on to another member", async () => {
    const live = await startBackend("live");
    cleanup.push(() => live.close());
    const proxy = await proxyFor(httpPool([{ id: "dead", port: await deadPort() }, { id: "live", port: live.port }]));
    for (let i = 0; i < 4; i++) {
      const res = await request(proxy.port);
      expect(res.status).toBe(200);
      expect(res.body).toBe("live");
    }
  });

  it("503 when the listener has no backend server group", async () => {
    const proxy = await proxyFor(null);
    const res = await request(proxy.port);
    expectGenerated(res, 503);
    expect(res.headers.connection).not.toBe("close");
  });

  it("503 when the group has no members or all weigh 0", async () => {
    const a = await startBackend("a");
    cleanup.push(() => a.close());
    const empty = await proxyFor(httpPool([]));
    expectGenerated(await request(empty.port), 503);
    const zero = await proxyFor(httpPool([{ id: "a", port: a.port, weight: 0 }]));
    expectGenerated(await request(zero.port), 503);
    expect(a.seen).toHaveLength(0);
  });

  it("504 when the backend is slower than the response timeout, and the connection stays usable", async () => {
    const slow = await startBackend("slow", (req, res) => {
      req.resume();
      if (req.url === "/slow") setTimeout(() => res.end("late"), 1500).unref();
      else res.end("fast");
    });
    cleanup.push(() => slow.close());
    const proxy = await proxyFor(httpPool([{ id: "slow", port: slow.port }]), { responseTimeoutMs: 300 });
    const { text } = await rawExchange(proxy.port, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\nGET /fast HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 504 Gateway Timeout\r\n/);
    expect(text).toContain("Server: elb");
    expect(text).toMatch(/HTTP\/1\.1 200 OK[\s\S]*fast$/);
  });

  it("Server: elb only on generated responses, never replacing the backend's", async () => {
    const a = await startBackend("a", (req, res) => {
      req.resume();
      res.setHeader("Server", "backend/1.0");
      res.end("ok");
    });
    cleanup.push(() => a.close());
    const proxy = await proxyFor(httpPool([{ id: "a", port: a.port }]));
    const res = await request(proxy.port);
    expect(res.headers.server).toBe("backend/1.0");
  });
});

describe("HTTP proxy: client-side limits", () => {
  it("slowloris: a head that trickles in is cut off with 408 at the head timeout", async () => {
    const a = await startBackend("a");
    cleanup.push(() => a.close());
    const proxy = await proxyFor(httpPool([{ id: "a", port: a.port }]), { headTimeoutMs: 400 });
    const socket = net.connect(proxy.port, "127.0.0.1");
    let text = "";
    socket.on("data", (c) => (text += c));
    const started = Date.now();
    const closed = new Promise<void>((r) => socket.on("close", () => r()));
    const drip = setInterval(() => socket.write("X-Drip: 1\r\n"), 50);
    socket.write("GET / HTTP/1.1\r\nHost: h\r\n");
    await closed;
    clearInterval(drip);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(a.seen).toHaveLength(0);
  });

  it("a connection that never sends a byte is closed at the head timeout", async () => {
    const proxy = await proxyFor(null, { headTimeoutMs: 200 });
    const { text, closed } = await rawExchange(proxy.port, "", 2000);
    expect(closed).toBe(true);
    expect(text).toBe("");
  });

  it("an idle keep-alive connection is closed after the listener idle timeout", async () => {
    const a = await startBackend("a");
    cleanup.push(() => a.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }]), {}, { idleTimeoutSeconds: 0.3 });
    cleanup.push(() => proxy.close());
    const started = Date.now();
    const { text, closed } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 3000);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("an oversized header block gets 431 and the connection closes", async () => {
    const a = await startBackend("a");
    cleanup.push(() => a.close());
    const proxy = await proxyFor(httpPool([{ id: "a", port: a.port }]));
    const big = `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${"a".repeat(40 * 1024)}\r\n\r\n`;
    const { text, closed } = await rawExchange(proxy.port, big);
    expect(text).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(text).toContain("Connection: close");
    expect(closed).toBe(true);
    const many = "GET / HTTP/1.1\r\nHost: h\r\n" + Array.from({ length: 101 }, (_, i) => `X-H${i}: v\r\n`).join("") + "\r\n";
    expect((await rawExchange(proxy.port, many)).text).toMatch(/^HTTP\/1\.1 431 /);
    const longUri = `GET /${"u".repeat(33 * 1024)} HTTP/1.1\r\nHost: h\r\n\r\n`;
    expect((await rawExchange(proxy.port, longUri)).text).toMatch(/^HTTP\/1\.1 414 /);
    expect(a.seen).toHaveLength(0);
  });

  it("answers an unsupported HTTP version with 505", async () => {
    const proxy = await proxyFor(null);
    expect((await rawExchange(proxy.port, "GET / HTTP/2.0\r\nHost: h\r\n\r\n")).text).toMatch(/^HTTP\/1\.1 505 /);
  });
});
