import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpPool, rawExchange, startBackend, startProxy, type HttpBackend, type ProxyFixture } from "./test-support/http-fixture";

/**
 * Request-smuggling regressions, named after the attack. Each payload tries to make the proxy and
 * the backend disagree on where a request ends; the proxy must refuse it (and close), so the
 * smuggled `GET /smuggled` never reaches the backend.
 */

let backend: HttpBackend;
let proxy: ProxyFixture;

beforeAll(async () => {
  backend = await startBackend("b", (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => res.end(`body=${body}`));
  });
  proxy = await startProxy(httpPool([{ id: "b", port: backend.port }]));
});
afterAll(async () => {
  await proxy.close();
  await backend.close();
});

const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";

async function expectRejected(payload: string, status = 400): Promise<void> {
  const before = backend.seen.length;
  const { text, closed } = await rawExchange(proxy.port, payload);
  expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(text).toContain("Connection: close");
  expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  expect(closed).toBe(true);
  expect(backend.seen.slice(before).map((s) => s.url)).not.toContain("/smuggled");
}

describe("request smuggling", () => {
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

  it("TE.TE: a second Transfer-Encoding header is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE.TE: chunked not last ('chunked, identity') is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE.TE: whitespace before the colon ('Transfer-Encoding : chunked') is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("TE.TE: obs-fold continuation of Transfer-Encoding is refused", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`);
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
  });

  it("bare CR and NUL inside header lines are refused", async () => {
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX: a\rTransfer-Encoding: chunked\r\n\r\n`);
    await expectRejected(`GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n`);
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

  it("chunk size tricks are refused: overflow, 0x prefix, size that lies about the data", async () => {
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF0\r\nx\r\n0\r\n\r\n${SMUGGLED}`);
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n${SMUGGLED}`);
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n${SMUGGLED}`);
    await expectRejected(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n${SMUGGLED}`);
  });

  it("hop-by-hop abuse: 'Connection: Content-Length' cannot strip the framing header", async () => {
    const before = backend.seen.length;
    const { text } = await rawExchange(
      proxy.port,
      `POST / HTTP/1.1\r\nHost: h\r\nConnection: Content-Length, Transfer-Encoding, Host\r\nContent-Length: 5\r\n\r\nhello${SMUGGLED.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")}`,
    );
    expect(text).toContain("body=hello");
    const urls = backend.seen.slice(before).map((s) => s.url);
    // The follow-up is a separate, legitimately pipelined request that the proxy framed itself.
    expect(urls).toEqual(["/", "/smuggled"]);
    expect(backend.seen[before]!.headers["content-length"]).toBe("5");
    expect(backend.seen[before]!.headers.host).toBe("h");
  });

  it("a valid chunked body followed by a pipelined request is framed exactly", async () => {
    const before = backend.seen.length;
    const { text } = await rawExchange(
      proxy.port,
      `POST /first HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\nPOST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`,
    );
    expect(backend.seen.slice(before).map((s) => s.url)).toEqual(["/first", "/second"]);
    expect(text).toContain("body=hello");
    expect(text).toContain("body=ok");
  });
});
