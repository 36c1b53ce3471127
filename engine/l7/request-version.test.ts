import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_FORWARDED, rawExchange, type ProxyFixture } from "./test-support/http-fixture";
import type { RawBackend } from "./test-support/raw-backend";
import { startRawProxy, type RawProxy } from "./test-support/raw-proxy";

/**
 * Issue "hardening" 11.5: the proxy sends its own HTTP version to the backend (RFC 9110 §6.2), so an
 * HTTP/1.0 client's request goes out as HTTP/1.1 on our keep-alive backend connection, while the
 * client keeps HTTP/1.0 semantics (no keep-alive unless it asks). Oracle: a raw recording backend.
 */

let backend: RawBackend;
let proxy: ProxyFixture;
let fixture: RawProxy;

beforeAll(async () => void ({ backend, proxy } = fixture = await startRawProxy({ clientIp: ALL_FORWARDED })));
afterAll(() => fixture.close());

/** Sends `payload` raw; returns the client's bytes, whether the proxy closed, and what the backend received meanwhile. */
async function send(payload: string, waitMs = 1000): Promise<{ text: string; closed: boolean; reached: string; connections: number }> {
  const before = backend.received;
  const opened = backend.connections.length;
  const { text, closed } = await rawExchange(proxy.port, payload, waitMs);
  return { text, closed, reached: backend.bytes().slice(before), connections: backend.connections.length - opened };
}

describe("HTTP/1.0 requests reach the backend as HTTP/1.1", () => {
  it("rewrites the request line's version and keeps the rest of the head", async () => {
    const r = await send("GET /x HTTP/1.0\r\nHost: h\r\nAccept: */*\r\n\r\n");
    expect(r.reached.startsWith("GET /x HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n")).toBe(true);
    expect(r.reached).not.toMatch(/HTTP\/1\.0/);
    expect(r.reached).not.toMatch(/\r\nconnection:/i); // HTTP/1.1 is persistent by default: nothing to ask for
    // Client side: HTTP/1.0 without keep-alive gets Connection: close and the connection ends.
    expect(r.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.text).toContain("\r\nConnection: close\r\n");
    expect(r.closed).toBe(true);
  });

  it("gives a request without Host the address the client reached as Host (RFC 9112 §3.2), no X-Forwarded-Host", async () => {
    const r = await send("GET /nohost HTTP/1.0\r\n\r\n");
    expect(r.reached).toMatch(new RegExp(`^GET /nohost HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:${proxy.port}\\r\\n`));
    expect(r.reached.match(/\r\nHost:/gi)).toHaveLength(1);
    expect(r.reached).not.toMatch(/x-forwarded-host/i);
    expect(r.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it("a keep-alive HTTP/1.0 client keeps its connection; both requests share one backend connection", async () => {
    const get = (p: string) => `GET ${p} HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n`;
    await send(get("/warm")); // leaves an idle keep-alive backend connection
    const r = await send(get("/k1") + get("/k2"));
    expect(r.closed).toBe(false);
    expect(r.text.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(2);
    expect(r.text.match(/\r\nConnection: keep-alive\r\n/gi)).toHaveLength(2);
    expect(r.reached).toMatch(/^GET \/k1 HTTP\/1\.1\r\nHost: h\r\n/);
    expect(r.reached).toContain("GET /k2 HTTP/1.1\r\nHost: h\r\n");
    expect(r.connections).toBe(0); // the idle backend connection served both
  });

  it("does not forward an HTTP/1.0 Upgrade (RFC 9110 §7.8: ignored in 1.0)", async () => {
    const r = await send("GET /ws HTTP/1.0\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n");
    expect(r.reached.startsWith("GET /ws HTTP/1.1\r\nHost: h\r\n")).toBe(true);
    expect(r.reached).not.toMatch(/upgrade/i);
    expect(r.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it("HTTP/1.1 requests are still forwarded byte for byte", async () => {
    const r = await send("GET /same HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    expect(r.reached.startsWith("GET /same HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 127.0.0.1\r\n")).toBe(true);
  });
});
