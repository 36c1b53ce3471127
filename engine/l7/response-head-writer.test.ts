import { describe, expect, it } from "vitest";
import { ResponseParser } from "./http1/response-parser";
import { buildResponseHead } from "./response-head-writer";

function parse(text: string): ResponseParser {
  const parser = new ResponseParser();
  expect(parser.execute(Buffer.from(text, "latin1"), 0)).toBeGreaterThan(0);
  return parser;
}

describe("buildResponseHead", () => {
  it("passes a clean head through byte for byte", () => {
    const head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n";
    expect(buildResponseHead(parse(head + "\r\n"), false, 1, "")).toBe(head + "\r\n");
  });

  it("drops hop-by-hop fields and those Connection lists, adds its own Connection and extra lines", () => {
    const res = parse(
      "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: timeout=5\r\nX-Hop: 1\r\nX-End: 2\r\nUpgrade: h2c\r\nContent-Length: 0\r\n\r\n",
    );
    expect(buildResponseHead(res, true, 1, "Set-Cookie: a=b\r\n")).toBe(
      "HTTP/1.1 200 OK\r\nX-End: 2\r\nContent-Length: 0\r\nSet-Cookie: a=b\r\nConnection: close\r\n\r\n",
    );
    expect(buildResponseHead(res, false, 0, "")).toContain("Connection: keep-alive\r\n\r\n");
  });

  it("drops Content-Length when Transfer-Encoding is present (TE wins)", () => {
    const res = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n");
    expect(res.chunked).toBe(true);
    expect(buildResponseHead(res, false, 1, "")).toBe("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  });

  it("re-terminates lone-LF lines with CRLF", () => {
    const res = parse("HTTP/1.1 404 Not Found\nContent-Length: 0\nX-A: b\n\n");
    expect(buildResponseHead(res, false, 1, "")).toBe("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nX-A: b\r\n\r\n");
  });

  it("keeps Upgrade and says Connection: upgrade on 101", () => {
    const res = parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n");
    expect(buildResponseHead(res, false, 1, "")).toBe(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\nConnection: upgrade\r\n\r\n",
    );
  });

  it("rejects conflicting Content-Length values from a backend", () => {
    const parser = new ResponseParser();
    expect(parser.execute(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 0)).toBe(-2);
  });
});
