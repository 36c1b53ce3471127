import { describe, expect, it } from "vitest";
import { parseAccessLogLine } from "../../protocol/access-log-line";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import { newDetail } from "../../l7/request-detail";
import { createConnectionContext } from "../connection-context";
import { NOOP_OBSERVER } from "../noop-observer";
import type { RequestRecord } from "../observer.types";
import { compileLogListener, IsoSecondClock, isoLocal } from "./access-log-format";
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

  it("time_iso8601 is the local time with its offset, made once per second", () => {
    const clock = new IsoSecondClock();
    const a = clock.at(1_764_631_571_001);
    expect(clock.at(1_764_631_571_999)).toBe(a); // the same string for the same second
    expect(a).toBe(isoLocal(1_764_631_571_000));
    expect(Date.parse(a)).toBe(1_764_631_571_000);
    expect(a).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });
});
