import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { compileLogListener, IsoSecondClock } from "../observe/access-log/access-log-format";
import { formatAccessLogLine } from "../observe/access-log/test-support/format-line";
import type { ConnectionContext, ConnectionObserver, RequestRecord } from "../observe/observer.types";
import { parseAccessLogLine } from "../protocol/access-log-line";
import type { AccessLogEntry } from "../protocol/access-log-entry.types";
import { startBlackHole } from "../test-support/black-hole";
import { httpListener, httpPool, startProxy, type ProxyFixture } from "./test-support/http-fixture";

/**
 * The upstream fields of requests the engine-level tests cannot provoke quickly, through the real HTTP
 * proxy on loopback with an observer that formats each record as the access log does: a backend that
 * never answers (504 after the response timeout), one whose connects time out (504), and an observer
 * that does not log.
 */
class LineObserver implements ConnectionObserver {
  readonly observesRequests = true;
  logsRequests = true;
  readonly entries: AccessLogEntry[] = [];
  private readonly compiled = compileLogListener({ ...httpListener(80), accessLog: { streamId: "s", groupId: "g", tenantId: "t", eipAddress: null, retentionDays: 1, maxBytes: 1, syslog: null } });
  private readonly clock = new IsoSecondClock();
  connectionOpened(): void {}
  bytesIn(): void {}
  bytesOut(): void {}
  requestStarted(): void {}
  requestDone(context: ConnectionContext, record: RequestRecord): void {
    this.entries.push(parseAccessLogLine(formatAccessLogLine(this.compiled, this.clock, context, record, Date.now()))!);
  }
  error(): void {}
  connectionClosed(): void {}
}

let proxy: ProxyFixture | null = null;
let silent: net.Server | null = null;
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  silent?.close();
  silent = null;
});

/** A backend that accepts and reads but never answers. */
async function silentBackend(): Promise<number> {
  silent = net.createServer((s) => {
    s.resume();
    s.on("error", () => {});
  });
  await new Promise<void>((resolve) => silent!.listen(0, "127.0.0.1", resolve));
  return (silent.address() as net.AddressInfo).port;
}

function send(port: number, request: string, closeAfterMs = -1): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(text));
    if (closeAfterMs >= 0) setTimeout(() => socket.destroy(), closeAfterMs);
  });
}

describe("access-log upstream fields from the HTTP path", () => {
  it("a backend that answers no head within the response timeout: 504 in upstream_status, its connect time, no header time", async () => {
    const port = await silentBackend();
    const observer = new LineObserver();
    proxy = await startProxy(httpPool([{ id: "m1", port }]), { responseTimeoutMs: 300 }, {}, observer);
    const response = await send(proxy.port, "GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(response.startsWith("HTTP/1.1 504")).toBe(true);
    expect(observer.entries).toHaveLength(1);
    const e = observer.entries[0]!;
    expect([e.status, e.upstreamStatus, e.upstreamHeaderTime, e.upstreamAddr]).toEqual([504, "504", null, `127.0.0.1:${port}`]);
    expect(e.upstreamConnectTime).toMatch(/^0\.\d{3}$/);
    expect(Number(e.upstreamResponseTime)).toBeGreaterThanOrEqual(0.25);
  });

  it("a member whose connect times out (SYNs dropped): 504 in status and upstream_status, no connect or header time", async () => {
    const hole = await startBlackHole();
    try {
      const observer = new LineObserver();
      proxy = await startProxy(httpPool([{ id: "m1", port: hole.port }]), { connectTimeoutMs: 300, maxTries: 1 }, {}, observer);
      const response = await send(proxy.port, "GET /hole HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      expect(response.startsWith("HTTP/1.1 504")).toBe(true);
      expect(observer.entries).toHaveLength(1);
      const e = observer.entries[0]!;
      expect([e.status, e.upstreamStatus, e.upstreamConnectTime, e.upstreamHeaderTime, e.upstreamAddr]).toEqual([504, "504", null, null, `127.0.0.1:${hole.port}`]);
      expect(Number(e.upstreamResponseTime)).toBeGreaterThanOrEqual(0.25);
    } finally {
      await proxy?.close();
      proxy = null;
      await hole.close();
    }
  });

  it("a keep-alive connection's next attempt starts without the last one's status: a later timeout logs 504, not the 200 before it", async () => {
    const http = await import("node:http");
    const backend = http.createServer((req, res) => {
      req.resume();
      if (req.url === "/fast") res.writeHead(200, { "content-length": 2 }).end("ok"); // /slow: never answered
    });
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    try {
      const observer = new LineObserver();
      proxy = await startProxy(httpPool([{ id: "m1", port: (backend.address() as net.AddressInfo).port }]), { responseTimeoutMs: 300 }, {}, observer);
      const socket = net.connect(proxy.port, "127.0.0.1");
      socket.on("error", () => {});
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
      socket.write("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
      const deadline = Date.now() + 3000;
      while (!text.endsWith("ok") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      socket.write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
      const until = Date.now() + 3000;
      while (observer.entries.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(observer.entries.map((e) => [e.status, e.upstreamStatus, e.upstreamHeaderTime === null])).toEqual([
        [200, "200", false],
        [504, "504", true],
      ]);
      socket.destroy();
    } finally {
      backend.closeAllConnections();
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    }
  });

  it("request_time starts at the head's first byte (table 7-1: the first request packet), not when the head is complete nor when the connection went idle", async () => {
    const http = await import("node:http");
    const backend = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-length": 2 }).end("ok");
    });
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    try {
      const observer = new LineObserver();
      proxy = await startProxy(httpPool([{ id: "m1", port: (backend.address() as net.AddressInfo).port }]), {}, {}, observer);
      const socket = net.connect(proxy.port, "127.0.0.1");
      socket.on("error", () => {});
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const answered = async (n: number) => {
        const until = Date.now() + 3000;
        while (text.split("HTTP/1.1 200").length - 1 < n && Date.now() < until) await sleep(10);
      };
      socket.write("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
      await answered(1);
      await sleep(400); // kept alive, idle: not part of the next request
      socket.write("GET /second HTTP/1.1\r\nHo"); // the head's first packet
      await sleep(300);
      socket.write("st: a\r\n\r\n");
      await answered(2);
      const until = Date.now() + 3000;
      while (observer.entries.length < 2 && Date.now() < until) await sleep(10);
      socket.destroy();
      const [first, second] = observer.entries;
      expect(first!.requestTime).toBeLessThan(0.2);
      expect(second!.routerRequestUri).toBe("/second");
      expect(second!.requestTime).toBeGreaterThanOrEqual(0.29); // the 300 ms the head took to arrive (−10 ms timer slack)
      expect(second!.requestTime).toBeLessThan(0.6); // without the 400 ms of idle before it
    } finally {
      backend.closeAllConnections();
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    }
  });

  it("a client that leaves before any response head is logged as status 499 (nginx's), as the metrics count it, not 0", async () => {
    const port = await silentBackend();
    const observer = new LineObserver();
    proxy = await startProxy(httpPool([{ id: "m1", port }]), { responseTimeoutMs: 5000 }, {}, observer);
    const socket = net.connect(proxy.port, "127.0.0.1", () => socket.write("GET /gone HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    let response = "";
    socket.on("data", (d: Buffer) => (response += d.toString("latin1")));
    socket.on("error", () => {});
    await new Promise((r) => setTimeout(r, 150));
    socket.resetAndDestroy(); // a reset: a FIN alone is a half-close, after which the engine still waits for the answer
    expect(response).toBe(""); // nothing went out: the client left first
    const until = Date.now() + 3000;
    while (observer.entries.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(observer.entries).toHaveLength(1);
    const e = observer.entries[0]!;
    expect([e.status, e.upstreamStatus, e.upstreamAddr, e.bytesSent]).toEqual([499, null, `127.0.0.1:${port}`, 0]); // upstream: no status ("-")
  });

  it("a head the engine refuses (400) is still one record the console reads back", async () => {
    const observer = new LineObserver();
    proxy = await startProxy(httpPool([{ id: "m1", port: 9 }]), {}, {}, observer);
    const response = await send(proxy.port, "GET /a b c\r\n\r\n");
    expect(response.startsWith("HTTP/1.1 400")).toBe(true);
    expect(observer.entries).toHaveLength(1);
    const e = observer.entries[0]!;
    expect(e).not.toBeNull();
    expect([e.status, e.host, e.routerRequestUri, e.upstreamStatus, e.poolName]).toEqual([400, "", "", null, null]);
    expect(e.bytesSent).toBe(response.length);
    expect(e.bodyBytesSent).toBe(response.length - (response.indexOf("\r\n\r\n") + 4));
  });

  it("an observer that does not log gets no detail (nothing collected per request)", async () => {
    const seen: RequestRecord[] = [];
    const observer = new LineObserver();
    observer.logsRequests = false;
    observer.requestDone = (_c, r) => void seen.push({ ...r });
    const port = await silentBackend();
    proxy = await startProxy(httpPool([{ id: "m1", port }]), { responseTimeoutMs: 100 }, {}, observer);
    await send(proxy.port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.detail).toBeNull();
  });
});
