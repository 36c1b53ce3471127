import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { httpPool, rawExchange, startProxy, type ProxyFixture } from "./test-support/http-fixture";
import { startRawBackend, type RawAnswer } from "./test-support/raw-backend";

/**
 * The proxy speaks its own HTTP version to clients (RFC 9110 §6.2) whatever the backend's, keeps
 * the client keep-alive decision its own, and never sends chunked framing to an HTTP/1.0 client
 * (RFC 9112 §6.1): the body is de-chunked and the connection closed after it.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function proxyTo(respond: RawAnswer): Promise<ProxyFixture> {
  const backend = await startRawBackend(respond);
  const proxy = await startProxy(httpPool([{ id: "b", port: backend.port }]));
  cleanup.push(() => backend.close(), () => proxy.close());
  return proxy;
}

/** Splits a raw byte stream of responses into their heads (for counting and reading fields). */
function heads(text: string): string[] {
  return text.split(/(?=HTTP\/1\.[01] \d{3} )/).map((r) => r.slice(0, r.indexOf("\r\n\r\n") + 4));
}

describe("our own HTTP version in the status line", () => {
  it("an HTTP/1.0 backend's response reaches an HTTP/1.1 client as HTTP/1.1 and the connection stays open", async () => {
    const proxy = await proxyTo(() => "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nX-Kept: yes\r\n\r\nhi");
    const get = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    const { text, closed } = await rawExchange(proxy.port, get + get, 1000);
    const [first, second] = heads(text);
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toContain("\r\nX-Kept: yes\r\n");
    expect(first).not.toMatch(/connection: close/i);
    expect(second).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(closed).toBe(false); // keep-alive is ours: still open after both
  });

  it("a node:http keep-alive client reuses its connection behind an HTTP/1.0 backend", async () => {
    const proxy = await proxyTo(() => "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanup.push(async () => agent.destroy());
    const get = () =>
      new Promise<{ version: string; reused: boolean; body: string }>((resolve, reject) => {
        const req = http.get({ host: "127.0.0.1", port: proxy.port, path: "/", agent }, (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c));
          res.on("end", () => resolve({ version: res.httpVersion, reused: req.reusedSocket, body }));
        });
        req.on("error", reject);
      });
    expect(await get()).toEqual({ version: "1.1", reused: false, body: "hi" });
    expect(await get()).toEqual({ version: "1.1", reused: true, body: "hi" });
  });

  it("rewrites the version also when the head is rebuilt (hop-by-hop fields, lone LF)", async () => {
    const proxy = await proxyTo(() => "HTTP/1.0 201 Created\nKeep-Alive: timeout=5\nConnection: keep-alive\nContent-Length: 0\n\n");
    const { text } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    expect(text).toBe(text.replace(/^HTTP\/1\.0/, "HTTP/1.1"));
    expect(text).toMatch(/^HTTP\/1\.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n$/);
  });
});

describe("chunked responses to HTTP/1.0 clients", () => {
  const chunked = ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n5\r\nhe", "llo\r\n6;ext=1\r\n world\r\n", "0\r\nX-T: t\r\n\r\n"];

  it("are de-chunked (body bytes only, no Transfer-Encoding) and the connection closes after them", async () => {
    const proxy = await proxyTo(() => chunked);
    const { text, closed } = await rawExchange(proxy.port, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const head = text.slice(0, text.indexOf("\r\n\r\n") + 4);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).not.toMatch(/transfer-encoding|trailer|keep-alive/i);
    expect(head).toContain("\r\nConnection: close\r\n");
    expect(text.slice(head.length)).toBe("hello world");
    expect(closed).toBe(true);
  });

  it("still reach HTTP/1.1 clients chunked as they came", async () => {
    const proxy = await proxyTo(() => chunked);
    const { text } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    expect(text).toContain("\r\nTransfer-Encoding: chunked\r\n");
    expect(text.slice(text.indexOf("\r\n\r\n") + 4)).toBe("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-T: t\r\n\r\n");
  });
});
