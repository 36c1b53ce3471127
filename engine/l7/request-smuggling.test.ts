import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_FORWARDED, rawExchange, type ProxyFixture } from "./test-support/http-fixture";
import type { RawBackend } from "./test-support/raw-backend";
import { startRawProxy, type RawProxy } from "./test-support/raw-proxy";

/**
 * Request-smuggling regressions, named after the attack. Each payload tries to make the proxy and
 * the backend disagree on where a request ends; the proxy must refuse it itself (`Server: elb`, and
 * close). The backend is a raw TCP recorder that parses nothing strictly, so the oracle is what it
 * received: zero bytes for a refused head, exactly the expected bytes for what must be forwarded.
 */

let backend: RawBackend;
let proxy: ProxyFixture;
let fixture: RawProxy;

beforeAll(async () => void ({ backend, proxy } = fixture = await startRawProxy({ clientIp: ALL_FORWARDED })));
afterAll(() => fixture.close());

const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";

/** The head as the proxy forwards it: the client's fields, then its X-Forwarded-* fields (Port and Host switched on). */
function forwarded(head: string, host = "h"): string {
  return `${head.slice(0, -2)}X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${proxy.port}\r\nX-Forwarded-Host: ${host}\r\n\r\n`;
}

/** Sends `payload`; returns the answer and what reached the backend meanwhile. */
async function send(payload: string): Promise<{ text: string; closed: boolean; reached: string }> {
  const before = backend.received;
  const { text, closed } = await rawExchange(proxy.port, payload);
  return { text, closed, reached: backend.bytes().slice(before) };
}

/** The engine refused the request itself and closed; `reached` lists what the backend may have seen (default nothing). */
async function expectRejected(payload: string, status = 400, reached: string[] = [""]): Promise<void> {
  const r = await send(payload);
  expect(r.text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(r.text).toContain("\r\nServer: elb\r\n");
  expect(r.text).toContain("Connection: close");
  expect(r.text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  expect(r.closed).toBe(true);
  expect(reached).toContain(r.reached);
}

describe("request smuggling (raw recording backend: nothing refused may reach it)", () => {
  it("CL.TE: Content-Length and Transfer-Encoding together are refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE.CL: Transfer-Encoding before Content-Length is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n${SMUGGLED}\r\n0\r\n\r\n`);
  });

  it("TE.TE: an unknown coding ('xchunked') is not taken for chunked", async () => {
    // RFC 9112 §6.3: chunked is not the final coding → 400 and close.
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
    // Well-formed but unimplemented codings before chunked → 501.
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 501);
  });

  it("TE.TE: a second Transfer-Encoding header is refused, even a second 'chunked'", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${SMUGGLED}`);
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE.TE: chunked not last ('chunked, identity') is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE.TE: whitespace before the colon ('Transfer-Encoding : chunked') is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE.TE: obs-fold continuation of Transfer-Encoding is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\tX-B: 2\r\n\r\n`);
  });

  it("TE.TE: a control character in the value ('\\x0bchunked') is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \x0bchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE in HTTP/1.0 (which has no chunked coding) is refused", async () => {
    await expectRejected(`POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("CL.CL: duplicate Content-Length, conflicting or equal, is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 37\r\n\r\n${SMUGGLED}`);
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 37\r\nContent-Length: 37\r\n\r\n${SMUGGLED}`);
  });

  it("Content-Length as a list or with a sign is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 37, 37\r\n\r\n${SMUGGLED}`);
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +37\r\n\r\n${SMUGGLED}`);
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x25\r\n\r\n${SMUGGLED}`);
  });

  it("bare LF line endings are refused (header hiding)", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nX: y\nTransfer-Encoding: chunked\r\nContent-Length: 37\r\n\r\n${SMUGGLED}`);
    await expectRejected(`GET / HTTP/1.1\nHost: h\n\n${SMUGGLED}`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX: y\n\r\n`);
  });

  it("bare CR and NUL inside header lines are refused", async () => {
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX: a\rTransfer-Encoding: chunked\r\n\r\n`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX: a\x7fb\r\n\r\n`);
  });

  it("invalid header names and malformed request lines are refused", async () => {
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX Y: z\r\n\r\n`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\n: empty\r\n\r\n`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n`);
    await expectRejected(`GET  / HTTP/1.1\r\nHost: h\r\n\r\n`);
    await expectRejected(`GET /a b HTTP/1.1\r\nHost: h\r\n\r\n`);
    await expectRejected(`GET / http/1.1\r\nHost: h\r\n\r\n`);
  });

  it("a missing or repeated Host is refused (routing confusion)", async () => {
    await expectRejected(`GET / HTTP/1.1\r\n\r\n`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n`);
  });

  it("chunk size tricks are refused mid-body: at most the head reached the backend, no chunk byte", async () => {
    const head = `POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n`;
    for (const body of ["FFFFFFFFFFFFFFFFF0\r\nx\r\n0\r\n\r\n", "0x5\r\nhello\r\n0\r\n\r\n", "3\r\nhello\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n"]) {
      // The head is forwarded before the body is read; the backend connection may die before it is flushed.
      await expectRejected(head + body + SMUGGLED, 400, ["", forwarded(head)]);
    }
  });

  it("hop-by-hop abuse: 'Connection: Content-Length' cannot strip the framing header", async () => {
    const second = "GET /smuggled HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    const r = await send(`POST / HTTP/1.1\r\nHost: h\r\nConnection: Content-Length, Transfer-Encoding, Host\r\nContent-Length: 5\r\n\r\nhello${second}`);
    expect(r.text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    // The follow-up is a separate, legitimately pipelined request that the proxy framed itself.
    expect(r.reached).toBe(forwarded("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n") + "hello" + forwarded(SMUGGLED));
  });

  it("a valid chunked body followed by a pipelined request is framed exactly", async () => {
    const first = "POST /first HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    const body = "5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n";
    const r = await send(`${first}${body}POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`);
    expect(r.text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(r.reached).toBe(forwarded(first) + body + forwarded("POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n") + "ok");
  });
});
