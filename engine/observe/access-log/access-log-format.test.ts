import { describe, expect, it } from "vitest";
import { parseAccessLogLine } from "../../protocol/access-log-line";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import { newDetail } from "../../l7/request-detail";
import { createConnectionContext } from "../connection-context";
import { NOOP_OBSERVER } from "../noop-observer";
import type { RequestRecord } from "../observer.types";
import type { MemberRuntime } from "../../pools/pool-runtime.types";
import { compileLogListener, IsoSecondClock, isoLocal, type CompiledLogListener } from "./access-log-format";
import { formatAccessLogLine } from "./test-support/format-line";

/** The formatter's edge cases read back by the console's parser (the engine test covers the common ones). */
const LISTENER = {
  id: "l1",
  name: "l1",
  loadBalancerId: "lb1",
  protocol: "HTTPS",
  port: 443,
  bindAddresses: [],
  defaultPoolId: null,
  idleTimeoutSeconds: 60,
  accessLog: { streamId: "s1", groupId: "g1", tenantId: "t1", eipAddress: "2001:db8::9", retentionDays: 7, maxBytes: 1, syslog: null },
} as SnapshotListener;

function record(): RequestRecord {
  const detail = newDetail({ protocol: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", sni: "[odd name]", certificateId: "c1" });
  Object.assign(detail, { host: 'h"ost', uri: "/p?q=\x01", protocol: "HTTP/1.1", userAgent: "ua\\x", requestLength: 10, bytesSent: 30, headBytes: 20, rttMicros: 57 });
  return { method: "GET", status: 200, member: null, error: null, startedAt: 100, responseStartedAt: 101, doneAt: 103.4, detail };
}

describe("writeAccessLogLine", () => {
  it("escapes client-controlled values so the line reads back as sent (IPv6 client and EIP, SNI with a space and a '[')", () => {
    const context = createConnectionContext({ listenerId: "l1", localAddress: "::1", localPort: 443, bandwidth: null, observer: NOOP_OBSERVER }, "2001:db8::1", 40000);
    const line = formatAccessLogLine(compileLogListener(LISTENER), new IsoSecondClock(), context, record(), 1_764_631_571_123);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.split("\n")).toHaveLength(2);
    const e = parseAccessLogLine(line)!;
    expect(e).not.toBeNull();
    expect([e.remoteAddr, e.remotePort, e.eipAddress, e.eipPort]).toEqual(["2001:db8::1", 40000, "2001:db8::9", 443]);
    expect([e.host, e.routerRequestUri, e.httpUserAgent, e.sniDomainName]).toEqual(['h"ost', "/p?q=\x01", "ua\\x", "[odd name]"]);
    expect([e.msec, e.requestTime, e.bodyBytesSent, e.tcpinfoRtt]).toEqual([1764631571.123, 0.003, 10, 57]);
    expect([e.upstreamStatus, e.poolName, e.memberName, e.certificateId, e.sslProtocol]).toEqual([null, null, null, "c1", "TLSv1.3"]);
  });

  it("a retried request lists each attempt; an attempt left without a status (the client went away) and steps not reached are '-'", () => {
    const context = createConnectionContext({ listenerId: "l1", localAddress: "10.0.0.1", localPort: 443, bandwidth: null, observer: NOOP_OBSERVER }, "10.0.0.2", 40000);
    const r = record();
    r.detail!.attempts = [
      { member: null, address: "10.0.1.1:80", startedAt: 100, connectedAt: 100.5, headerAt: -1, endedAt: 101, status: 502 },
      { member: null, address: "10.0.1.2:80", startedAt: 101, connectedAt: 102, headerAt: -1, endedAt: 103, status: 0 },
    ];
    r.detail!.attemptCount = 2;
    const e = parseAccessLogLine(formatAccessLogLine(compileLogListener(LISTENER), new IsoSecondClock(), context, r, 1_764_631_571_123))!;
    expect(e).not.toBeNull();
    expect([e.upstreamStatus, e.upstreamConnectTime, e.upstreamHeaderTime, e.upstreamResponseTime, e.upstreamAddr]).toEqual([
      "502, -",
      "0.001, 0.001",
      "-, -",
      "0.001, 0.002",
      "10.0.1.1:80, 10.0.1.2:80",
    ]);
  });

  it("writes exactly the bytes of table 7-1, with the parts it keeps (pool, member, TLS, the second) right for each line", () => {
    const http = compileLogListener({ ...LISTENER, protocol: "HTTP", port: 80, accessLog: { ...LISTENER.accessLog!, eipAddress: null } });
    const https = compileLogListener(LISTENER);
    const clock = new IsoSecondClock();
    const context = createConnectionContext({ listenerId: "l1", localAddress: "10.0.0.1", localPort: 80, bandwidth: null, observer: NOOP_OBSERVER }, "10.0.0.2", 40000);
    const member = (id: string, address: string) => ({ config: { id, address, port: 80 } }) as unknown as MemberRuntime;
    const [m1, m2, m1again] = [member("m1", "10.0.1.1"), member("m2", "10.0.1.2"), member("m1x", "10.0.1.1")];
    const line = (l: CompiledLogListener, r: RequestRecord, ms: number) => formatAccessLogLine(l, clock, context, r, ms);
    const r = record();
    const d = r.detail!;
    Object.assign(d, { host: "shop.example.com", uri: "/a b", userAgent: null, referer: "https://r/", forwardedFor: "1.2.3.4, 5.6.7.8", poolId: "p1" });
    d.attempts = [{ member: m1, address: "10.0.1.1:80", startedAt: 100, connectedAt: 100.2, headerAt: 101.6, endedAt: 103.4, status: 200 }];
    d.attemptCount = 1;
    r.member = m1;
    const iso = (ms: number) => isoLocal(ms - (ms % 1000));
    const t = 1_764_631_571_999;
    expect(line(http, r, t)).toBe(
      `1764631571.999 s1 [${iso(t)}] 1 10.0.0.2:40000 200 "GET http://shop.example.com/a b HTTP/1.1" 10 30 10 0.003 "200" "0.000" "0.002" "0.003" "10.0.1.1:80" "-" "https://r/" "1.2.3.4, 5.6.7.8" ` +
        `loadbalancer_lb1 listener_l1 l1 pool_p1 "member_m1" t1 -:80 "10.0.1.1:80" - - - - 57\n`,
    );
    // The next second, another pool and member, HTTPS with the connection's TLS; then another connection's TLS.
    Object.assign(d, { poolId: "p2", protocol: "HTTP/2.0", rttMicros: -1 });
    r.member = m2;
    Object.assign(d.attempts[0]!, { member: m2, address: "10.0.1.2:80" }); // the member that answered, as the engine records it
    const t2 = t + 1;
    const tail = `loadbalancer_lb1 listener_l1 l1 pool_p2 "member_m2" t1 2001:db8::9:443 "10.0.1.2:80"`;
    const head = `1764631572.000 s1 [${iso(t2)}] 1 10.0.0.2:40000 200 "GET https://shop.example.com/a b HTTP/2.0" 10 30 10 0.003 "200" "0.000" "0.002" "0.003" "10.0.1.2:80" "-" "https://r/" "1.2.3.4, 5.6.7.8" `;
    expect(line(https, r, t2)).toBe(`${head}${tail} c1 TLSv1.3 TLS_AES_128_GCM_SHA256 \\x5Bodd\\x20name] -\n`);
    d.tls = { protocol: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", sni: null, certificateId: null };
    expect(line(https, r, t2)).toBe(`${head}${tail} - TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 - -\n`);
    // A member of the same address under another id, and the first pool again.
    Object.assign(d, { poolId: "p1", protocol: "HTTP/1.0", tls: null, forwardedFor: null });
    r.member = m1again;
    d.attempts[0]!.member = m1again;
    expect(line(https, r, t2)).toContain(` pool_p1 "member_m1x" t1 2001:db8::9:443 "10.0.1.2:80" - - - - -\n`);
    expect(line(https, r, t2)).toContain(` HTTP/1.0" `);
    expect(line(https, r, t2)).toContain(` "-" "https://r/" "-" loadbalancer_lb1 `);
    // The same member under another pool id (kept parts are per member and pool); no member: pool and '-'.
    d.poolId = "p3";
    expect(line(https, r, t2)).toContain(` pool_p3 "member_m1x" t1 2001:db8::9:443 "10.0.1.2:80" `);
    // Kept parts are per listener: the same member and pool on the HTTP listener.
    expect(line(http, r, t2)).toContain(`" loadbalancer_lb1 listener_l1 l1 pool_p3 "member_m1x" t1 -:80 "10.0.1.2:80" - - - - -\n`);
    // A last attempt on another member than the one recorded (not the engine's usual case): each part as it is.
    Object.assign(d.attempts[0]!, { member: m2, address: "10.0.1.9:80" });
    expect(line(https, r, t2)).toContain(` pool_p3 "member_m1x" t1 2001:db8::9:443 "10.0.1.9:80" - - - - -\n`);
    Object.assign(d.attempts[0]!, { member: m1again, address: "10.0.1.2:80" });
    r.member = null;
    expect(line(https, r, t2)).toContain(` pool_p3 "-" t1 2001:db8::9:443 "10.0.1.2:80" `);
    // Only a User-Agent: the other two still '-'.
    d.userAgent = "ua";
    expect(line(https, r, t2)).toContain(` "ua" "https://r/" "-" loadbalancer_lb1 `);
    Object.assign(d, { userAgent: null, referer: null });
    expect(line(https, r, t2)).toContain(` "-" "-" "-" loadbalancer_lb1 `);
    d.forwardedFor = "9.9.9.9";
    expect(line(https, r, t2)).toContain(` "-" "-" "9.9.9.9" loadbalancer_lb1 `);
    d.forwardedFor = null;
    d.referer = "https://r/";
    // One attempt that got no response (the client left): status and the steps not reached are '-'.
    Object.assign(d.attempts[0]!, { connectedAt: 100.2, headerAt: -1, endedAt: -1, status: 0 });
    expect(line(https, r, t2)).toContain(` 0.003 "-" "0.000" "-" "-" "10.0.1.2:80" "-" "https://r/" `);
  });

  it("never writes past lineBound: values escaped at their worst (chars above 0xff), retries, TLS, long ids, odd numbers", () => {
    const https = compileLogListener(LISTENER);
    const clock = new IsoSecondClock();
    const worst = "\u20ac\u0100\x00\ud83d\"";
    let seed = 7;
    const pick = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const text = () => Array.from({ length: pick(60) }, () => worst[pick(worst.length)] ?? "a").join("");
    for (let n = 0; n < 300; n++) {
      const context = createConnectionContext({ listenerId: "l1", localAddress: "::1", localPort: 443, bandwidth: null, observer: NOOP_OBSERVER }, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
      const r = record();
      const d = r.detail!;
      d.tls = { protocol: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", sni: text(), certificateId: "cert-" + "c".repeat(pick(40)) };
      Object.assign(d, { host: text(), uri: text(), userAgent: text(), referer: text(), forwardedFor: text(), poolId: "pool-" + "p".repeat(pick(50)), protocol: pick(2) ? "HTTP/1.1" : "HTTP/9.99" });
      Object.assign(d, { requestLength: Number.MAX_VALUE, bytesSent: -1.2345678901234567e-300, rttMicros: 4_294_967_295 });
      const attempt = () => ({ member: null, address: "[2001:db8::1]:65535", startedAt: -1e300, connectedAt: 1e300, headerAt: 1.5, endedAt: -1, status: 4_294_967_296 });
      d.attempts = Array.from({ length: pick(5) }, attempt);
      d.attemptCount = d.attempts.length;
      r.method = "M".repeat(pick(30));
      r.doneAt = 1e300;
      r.member = pick(2) ? ({ config: { id: "m".repeat(pick(80)) } } as unknown as MemberRuntime) : null;
      if (n % 3 === 0) Object.assign(d, { host: "", uri: "", userAgent: null, referer: null, forwardedFor: null, tls: null }); // numbers and constants only
      // formatAccessLogLine throws when the line went past its bound.
      expect(formatAccessLogLine(https, clock, context, r, 8.64e15).endsWith("\n")).toBe(true);
    }
  });

  it("time_iso8601 is the local time with its offset, made once per second", () => {
    const clock = new IsoSecondClock();
    const a = clock.at(1_764_631_571_001);
    expect(clock.at(1_764_631_571_999)).toBe(a); // the same string for the same second
    expect(a).toBe(isoLocal(1_764_631_571_000));
    expect(Date.parse(a)).toBe(1_764_631_571_000);
    expect(a).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });
});
