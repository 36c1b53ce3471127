import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawExchange, type ProxyFixture } from "./test-support/http-fixture";
import type { RawBackend } from "./test-support/raw-backend";
import { startRawProxy, type RawProxy } from "./test-support/raw-proxy";

/**
 * Request fields whose names contain `_` are dropped (nginx `underscores_in_headers off`): a
 * backend that maps `_` to `-` (CGI, WSGI, Rack) must never see `Transfer_Encoding`,
 * `Content_Length` or `X_Forwarded_For` as framing or forwarding fields.
 */

let backend: RawBackend;
let proxy: ProxyFixture;
let fixture: RawProxy;

beforeAll(async () => void ({ backend, proxy } = fixture = await startRawProxy()));
afterAll(() => fixture.close());

function xf(): string {
  return "X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\n"; // the defaults: no X-Forwarded-Port/-Host
}

async function reached(payload: string, waitMs?: number): Promise<{ text: string; reached: string }> {
  const before = backend.received;
  const { text } = await rawExchange(proxy.port, payload, waitMs);
  return { text, reached: backend.bytes().slice(before) };
}

describe("underscores in request field names", () => {
  it("drops X_Forwarded_For, Transfer_Encoding and Content_Length, keeps the rest in order", async () => {
    const r = await reached(
      "POST / HTTP/1.1\r\nHost: h\r\nX_Forwarded_For: 6.6.6.6\r\nTransfer_Encoding: chunked\r\nX-Ok: 1\r\nContent_Length: 5\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
    );
    expect(r.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.reached).toBe(`POST / HTTP/1.1\r\nHost: h\r\nX-Ok: 1\r\nContent-Length: 2\r\n${xf()}\r\nhi`);
  });

  it("drops them also when nothing else would be removed (no hop-by-hop field)", async () => {
    const r = await reached("GET / HTTP/1.1\r\nHost: h\r\nMy_Header: x\r\n\r\n", 500);
    expect(r.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.reached).toBe(`GET / HTTP/1.1\r\nHost: h\r\n${xf()}\r\n`);
  });
});
