import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpPool, rawExchange, startProxy, type ProxyFixture } from "./test-support/http-fixture";
import { startRawBackend, type RawAnswer } from "./test-support/raw-backend";

/**
 * Small HTTP/1.1 corners: interim (1xx) responses re-arm the response timeout, identical repeated
 * Content-Length fields of a response are merged into one, and HTTP/1.x above 1.1 is served as
 * HTTP/1.1 (RFC 9112 §2.3), not refused with 505.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function proxyOn(port: number, responseTimeoutMs?: number): Promise<ProxyFixture> {
  const proxy = await startProxy(httpPool([{ id: "b", port }]), responseTimeoutMs === undefined ? {} : { responseTimeoutMs });
  cleanup.push(() => proxy.close());
  return proxy;
}

async function rawProxy(respond?: RawAnswer) {
  const backend = await startRawBackend(respond);
  cleanup.push(() => backend.close());
  return { backend, proxy: await proxyOn(backend.port) };
}

/** A backend that sends `102 Processing` every `everyMs`, `count` times, then a 200 (unless `final` is false). */
async function slowProcessing(everyMs: number, count: number, final = true): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.once("data", () => {
      let sent = 0;
      const timer = setInterval(() => {
        if (s.destroyed) return clearInterval(timer);
        if (sent++ < count) return void s.write("HTTP/1.1 102 Processing\r\n\r\n");
        clearInterval(timer);
        if (final) s.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
      }, everyMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as net.AddressInfo).port;
}

describe("HTTP/1.1 corners", () => {
  it("each 1xx response re-arms the response timer: 102 every 250 ms keeps a 400 ms timeout from firing", async () => {
    const proxy = await proxyOn(await slowProcessing(250, 6), 400);
    const { text } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 5000);
    expect(text.match(/^HTTP\/1\.1 102 Processing\r\n/gm)).toHaveLength(6);
    expect(text).toMatch(/HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\ndone$/);
  });

  it("the response timeout still fires when nothing follows an interim response", async () => {
    const proxy = await proxyOn(await slowProcessing(200, 1, false), 400);
    const { text } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 5000);
    expect(text).toMatch(/^HTTP\/1\.1 102 Processing\r\n\r\nHTTP\/1\.1 504 /);
  });

  it("identical repeated Content-Length fields of a response reach the client as one", async () => {
    const { proxy } = await rawProxy(() => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nhi");
    const { text } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    expect(text).toBe("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: 1\r\nConnection: close\r\n\r\nhi");
  });

  it("HTTP/1.2 and HTTP/1.9 are served as HTTP/1.1 and forwarded as HTTP/1.1; HTTP/2.0 stays 505", async () => {
    const { backend, proxy } = await rawProxy();
    for (const version of ["1.2", "1.9"]) {
      const before = backend.received;
      const { text, closed } = await rawExchange(proxy.port, `GET /v HTTP/${version}\r\nHost: h\r\n\r\n`, 500);
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).not.toMatch(/connection: close/i); // HTTP/1.1 keep-alive semantics
      expect(closed).toBe(false);
      expect(backend.bytes().slice(before)).toMatch(/^GET \/v HTTP\/1\.1\r\nHost: h\r\n/);
    }
    expect((await rawExchange(proxy.port, "GET / HTTP/2.0\r\nHost: h\r\n\r\n")).text).toMatch(/^HTTP\/1\.1 505 /);
  });
});
