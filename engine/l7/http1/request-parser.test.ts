import { describe, expect, it } from "vitest";
import { INVALID, NEED_MORE } from "./head-reader";
import { H } from "./header-kind";
import { ParseError } from "./parse-error";
import { RequestParser } from "./request-parser";

const HEAD = "POST /p?q=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nCookie: a=1\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n";

function parseAll(text: string, parser = new RequestParser()) {
  const buf = Buffer.from(text, "latin1");
  return { parser, r: parser.execute(buf, 0), buf };
}

describe("RequestParser", () => {
  it("parses a complete head in one chunk and reports where it ends", () => {
    const { parser, r, buf } = parseAll(HEAD + "hello");
    expect(r).toBe(buf.length - 5);
    expect(parser.method).toBe("POST");
    expect(parser.target()).toBe("/p?q=1");
    expect(parser.versionMinor).toBe(1);
    expect(parser.contentLength).toBe(5);
    expect(parser.value(parser.hostField)).toBe("example.com");
    expect(parser.values(H.COOKIE)).toEqual(["a=1"]);
    expect(parser.forwardedCount).toBe(1);
    expect(parser.keepAlive).toBe(true);
  });

  it("gives the same result when the head arrives one byte at a time", () => {
    const parser = new RequestParser();
    const bytes = Buffer.from(HEAD + "hello", "latin1");
    let r = NEED_MORE;
    let i = 0;
    for (; i < bytes.length && r === NEED_MORE; i++) r = parser.execute(bytes.subarray(i, i + 1), 0);
    expect(r).toBe(1);
    expect(i).toBe(bytes.length - 5);
    expect(parser.partial).toBe(true);
    expect(parser.target()).toBe("/p?q=1");
    expect(parser.value(parser.hostField)).toBe("example.com");
    expect(parser.contentLength).toBe(5);
  });

  it("handles a head split at every possible point", () => {
    const bytes = Buffer.from(HEAD, "latin1");
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new RequestParser();
      expect(parser.execute(bytes.subarray(0, cut), 0)).toBe(NEED_MORE);
      expect(parser.execute(bytes.subarray(cut), 0)).toBe(bytes.length - cut);
      expect(parser.values(H.X_FORWARDED_FOR)).toEqual(["1.2.3.4"]);
    }
  });

  it("skips empty lines before the request line and is reusable after reset", () => {
    const parser = new RequestParser();
    expect(parser.execute(Buffer.from("\r\nGET / HTTP/1.0\r\n\r\n"), 0)).toBe(20);
    expect(parser.versionMinor).toBe(0);
    expect(parser.keepAlive).toBe(false);
    parser.reset();
    expect(parser.execute(Buffer.from("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), 0)).toBeGreaterThan(0);
    expect(parser.keepAlive).toBe(false);
  });

  it("enforces the head size and field count limits", () => {
    const small = new RequestParser({ maxHeadBytes: 64, maxFields: 2, allowBareLf: false });
    expect(small.execute(Buffer.from(`GET / HTTP/1.1\r\nHost: h\r\nX: ${"a".repeat(60)}\r\n\r\n`), 0)).toBe(INVALID);
    expect(small.error).toBe(ParseError.HEAD_TOO_LARGE);
    const few = new RequestParser({ maxHeadBytes: 1024, maxFields: 2, allowBareLf: false });
    expect(few.execute(Buffer.from("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"), 0)).toBe(INVALID);
    expect(few.error).toBe(ParseError.TOO_MANY_FIELDS);
    const uri = new RequestParser({ maxHeadBytes: 64, maxFields: 2, allowBareLf: false });
    expect(uri.execute(Buffer.from(`GET /${"u".repeat(80)}`), 0)).toBe(INVALID);
    expect(uri.error).toBe(ParseError.URI_TOO_LONG);
  });

  it("recognises upgrade requests and idempotent methods", () => {
    const { parser } = parseAll("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n");
    expect(parser.upgrade).toBe(true);
    expect(parser.idempotent).toBe(true);
    expect(parseAll("POST / HTTP/1.1\r\nHost: h\r\n\r\n").parser.idempotent).toBe(false);
  });

  it("rejects CONNECT (not a forward proxy)", () => {
    const { parser, r } = parseAll("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    expect(r).toBe(INVALID);
    expect(parser.error).toBe(ParseError.METHOD_NOT_ALLOWED);
  });

  it("names each smuggling defence by its own code (a removed check cannot hide behind another)", () => {
    const cases: [string, number][] = [
      ["POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n", ParseError.CONTENT_LENGTH_AND_TRANSFER_ENCODING],
      ["POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", ParseError.BAD_CONTENT_LENGTH],
      ["POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", ParseError.BAD_TRANSFER_ENCODING],
      ["GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", ParseError.OBS_FOLD],
      ["GET / HTTP/1.1\r\nHost: h\nX: a\r\n\r\n", ParseError.BARE_LF],
      ["GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n", ParseError.BAD_FIELD_VALUE],
    ];
    for (const [text, code] of cases) {
      const { parser, r } = parseAll(text);
      expect([text, r, parser.error]).toEqual([text, INVALID, code]);
    }
  });
});
