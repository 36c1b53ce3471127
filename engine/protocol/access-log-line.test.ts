import { describe, expect, it } from "vitest";
import { escapeLogValue, formatSeconds, parseAccessLogLine, unescapeLogValue } from "./access-log-line";

// A line as the engine writes it (table 7-1 order), for a retried HTTPS request.
const LINE =
  '1764631571.123 stream-9 [2026-12-01T23:26:11+00:00] 1 10.0.0.7:51234 200 "GET https://shop.example.com/a/b?x=1&y=%20 HTTP/1.1" 312 1045 1000 0.015 ' +
  '"502, 200" "-, 0.001" "-, 0.010" "0.002, 0.013" "127.0.0.1:9001, 127.0.0.1:9002" "curl/8.0 \\x22q\\x22" "-" "1.2.3.4" ' +
  'loadbalancer_lb-1 listener_l-1 l-1 pool_p-1 "member_m-2" tenant-1 203.0.113.9:443 "127.0.0.1:9002" cert-1 TLSv1.3 TLS_AES_256_GCM_SHA384 shop.example.com 57\n';

describe("parseAccessLogLine", () => {
  it("reads every field of table 7-1 in order", () => {
    const e = parseAccessLogLine(LINE)!;
    expect(e).toEqual({
      msec: 1764631571.123,
      accessLogTopicId: "stream-9",
      timeIso8601: "2026-12-01T23:26:11+00:00",
      logVer: "1",
      remoteAddr: "10.0.0.7",
      remotePort: 51234,
      status: 200,
      requestMethod: "GET",
      scheme: "https",
      host: "shop.example.com",
      routerRequestUri: "/a/b?x=1&y=%20",
      serverProtocol: "HTTP/1.1",
      requestLength: 312,
      bytesSent: 1045,
      bodyBytesSent: 1000,
      requestTime: 0.015,
      upstreamStatus: "502, 200",
      upstreamConnectTime: "-, 0.001",
      upstreamHeaderTime: "-, 0.010",
      upstreamResponseTime: "0.002, 0.013",
      upstreamAddr: "127.0.0.1:9001, 127.0.0.1:9002",
      httpUserAgent: 'curl/8.0 "q"',
      httpReferer: null,
      httpXForwardedFor: "1.2.3.4",
      lbName: "loadbalancer_lb-1",
      listenerName: "listener_l-1",
      listenerId: "l-1",
      poolName: "pool_p-1",
      memberName: "member_m-2",
      tenantId: "tenant-1",
      eipAddress: "203.0.113.9",
      eipPort: 443,
      upstreamAddrPriv: "127.0.0.1:9002",
      certificateId: "cert-1",
      sslProtocol: "TLSv1.3",
      sslCipher: "TLS_AES_256_GCM_SHA384",
      sniDomainName: "shop.example.com",
      tcpinfoRtt: 57,
    });
  });

  it("reads IPv6 clients, a missing EIP and '-' fields as null", () => {
    const line = LINE.replace("10.0.0.7:51234", "::1:40000").replace("203.0.113.9:443", "-:443").replace(" 57\n", " -\n");
    const e = parseAccessLogLine(line)!;
    expect([e.remoteAddr, e.remotePort, e.eipAddress, e.eipPort, e.tcpinfoRtt]).toEqual(["::1", 40000, null, 443, null]);
  });

  it("refuses lines that are not records of this layout", () => {
    expect(parseAccessLogLine("")).toBeNull();
    expect(parseAccessLogLine(LINE.replace(" 57\n", "\n"))).toBeNull(); // a field short
    expect(parseAccessLogLine(LINE.replace(" 200 ", " OK "))).toBeNull(); // status not a number
    expect(parseAccessLogLine(LINE.replace('"curl', "curl"))).toBeNull(); // broken quoting
  });
});

describe("escapeLogValue (nginx escape=default)", () => {
  it('writes ", \\, control and non-ASCII bytes as \\xHH and reads them back', () => {
    const raw = 'a"b\\c\x01\x7f\xe9 d';
    expect(escapeLogValue(raw)).toBe("a\\x22b\\x5Cc\\x01\\x7F\\xE9 d");
    expect(unescapeLogValue(escapeLogValue(raw))).toBe(raw);
    const plain = "Mozilla/5.0 (X11)";
    expect(escapeLogValue(plain)).toBe(plain);
    // Each of them alone is found by the quick check too (a value whose only special byte is DEL, a tab, …).
    for (const [alone, escaped] of [["a\x7fb", "a\\x7Fb"], ["a\x1fb", "a\\x1Fb"], ["a\x80b", "a\\x80b"], ['a"b', "a\\x22b"], ["a\\b", "a\\x5Cb"]] as const)
      expect(escapeLogValue(alone)).toBe(escaped);
    expect(escapeLogValue("~ !")).toBe("~ !"); // 0x7e and 0x20 are written as they are
  });
});

describe("formatSeconds", () => {
  it("writes seconds with millisecond resolution", () => {
    expect([formatSeconds(3), formatSeconds(0), formatSeconds(1234.4), formatSeconds(45), formatSeconds(-2)]).toEqual(["0.003", "0.000", "1.234", "0.045", "0.000"]);
    // The edges of the zero padding: 10 ms, 100 ms, a whole second.
    expect([formatSeconds(9), formatSeconds(10), formatSeconds(99), formatSeconds(100), formatSeconds(1000), formatSeconds(60_010)]).toEqual(["0.009", "0.010", "0.099", "0.100", "1.000", "60.010"]);
  });
});
