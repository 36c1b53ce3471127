import { describe, expect, it } from "vitest";
import { encodeProxyV1, encodeProxyV2 } from "@/engine/protocol/proxy-protocol/encode";
import { parseRequestHead, payloadText, splitProxyHeader } from "./received-bytes";

const v4 = { family: "IPv4" as const, sourceAddress: "127.0.0.77", sourcePort: 40000, destinationAddress: "127.0.0.1", destinationPort: 8080 };

describe("what the echo target reads from its first bytes", () => {
  it("decodes a PROXY v2 header and keeps what follows as the client's data", () => {
    const split = splitProxyHeader(Buffer.concat([encodeProxyV2(v4, "STREAM"), Buffer.from("hello\n")]), false)!;
    expect(split.proxyHeader).toEqual({ version: 2, command: "PROXY", transport: "STREAM", source: { address: "127.0.0.77", port: 40000 }, destination: { address: "127.0.0.1", port: 8080 }, tlvTypes: [] });
    expect(split.rest.toString()).toBe("hello\n");
  });

  it("decodes v1, v2 LOCAL and v2 DGRAM", () => {
    expect(splitProxyHeader(Buffer.from(`${encodeProxyV1(v4).toString()}GET`), false)!.proxyHeader).toMatchObject({ version: 1, command: "PROXY", source: { address: "127.0.0.77" } });
    expect(splitProxyHeader(encodeProxyV2(null, "STREAM"), true)!.proxyHeader).toMatchObject({ version: 2, command: "LOCAL", source: null });
    expect(splitProxyHeader(encodeProxyV2(v4, "DGRAM"), true)!.proxyHeader).toMatchObject({ transport: "DGRAM", source: { address: "127.0.0.77", port: 40000 } });
  });

  it("no header: all bytes are the client's; a broken or cut header is named", () => {
    expect(splitProxyHeader(Buffer.from("GET / HTTP/1.1\r\n"), false)).toEqual({ proxyHeader: null, proxyHeaderProblem: null, rest: Buffer.from("GET / HTTP/1.1\r\n") });
    const cut = encodeProxyV2(v4, "STREAM").subarray(0, 20);
    expect(splitProxyHeader(cut, false)).toBeNull();
    expect(splitProxyHeader(cut, true)!.proxyHeaderProblem).toBe("the bytes end in the middle of a PROXY header");
    expect(splitProxyHeader(Buffer.from("PROXY TCP4 nonsense\r\n"), true)!.proxyHeaderProblem).toMatch(/\S/);
  });

  it("parses a request head as sent, marking the client-IP headers", () => {
    const head = parseRequestHead(Buffer.from("GET /x HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 127.0.0.77\r\nx-real-ip: 127.0.0.77\r\nX-Forwarded-Proto: http\r\n\r\nbody"))!;
    expect(head.requestLine).toBe("GET /x HTTP/1.1");
    expect(head.headers).toEqual([
      { name: "Host", value: "a", clientIp: false },
      { name: "X-Forwarded-For", value: "127.0.0.77", clientIp: true },
      { name: "x-real-ip", value: "127.0.0.77", clientIp: true },
      { name: "X-Forwarded-Proto", value: "http", clientIp: true },
    ]);
    expect(parseRequestHead(Buffer.from("GET /x HTTP/1.1\r\nHost: a\r\n"))).toBeNull();
  });

  it("shows a payload as bounded text", () => {
    expect(payloadText(Buffer.from("line\r\n"))).toBe("line");
    expect(payloadText(Buffer.from("a\u0000b\nc\n"))).toBe("a.b.c");
    expect(payloadText(Buffer.alloc(500, 0x61))).toHaveLength(200);
  });
});
