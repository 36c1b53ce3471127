import dgram from "node:dgram";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startTcpBackend, type TcpBackend } from "../../test-support/backends";
import { monitor } from "../../test-support/fixtures";
import { encodeCheckPath, httpCheck } from "./http";
import { probe } from "./probe";
import { tcpCheck } from "./tcp";
import { udpCheck } from "./udp";

const signal = new AbortController().signal;
const local = (port: number) => ({ address: "127.0.0.1", port });

describe("TCP check", () => {
  let backend: TcpBackend;
  beforeAll(async () => void (backend = await startTcpBackend("t")));
  afterAll(() => backend.close());

  it("is healthy when the port accepts and unhealthy when it refuses", async () => {
    expect(await tcpCheck(local(backend.port), monitor(), signal)).toBe(true);
    expect(await tcpCheck(local(await freePort()), monitor(), signal)).toBe(false);
  });

  it("ends early with false when aborted", async () => {
    const controller = new AbortController();
    // 192.0.2.1 (TEST-NET-1) is unroutable here: the connect either hangs or fails, never succeeds.
    const pending = tcpCheck({ address: "192.0.2.1", port: 80 }, monitor({ timeoutSeconds: 10 }), controller.signal);
    controller.abort();
    expect(await pending).toBe(false);
  });
});

describe("HTTP check", () => {
  const seen: { path?: string; host?: string } = {};
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.path = req.url;
      seen.host = req.headers.host;
      res.statusCode = req.url === "/ok" || req.url === "/%E5%81%A5%E5%BA%B7" ? 200 : req.url === "/auth" ? 401 : 500;
      res.end("x");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("GETs the path with the domain name as Host and accepts the expected codes", async () => {
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP", path: "/ok", domainName: "www.elb.com" }), signal)).toBe(true);
    expect(seen).toEqual({ path: "/ok", host: "www.elb.com" });
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP", path: "/auth" }), signal)).toBe(true);
    expect(seen.host).toBe("127.0.0.1");
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP", path: "/boom" }), signal)).toBe(false);
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP", path: "/auth", expectedCodes: [200] }), signal)).toBe(false);
  });

  it("percent-encodes a path Node would refuse (non-ASCII, space, control characters) instead of dying on it", async () => {
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP", path: "/健康", timeoutSeconds: 5 }), signal)).toBe(true);
    expect(seen.path).toBe("/%E5%81%A5%E5%BA%B7");
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP", path: "/a b\u0001%20?q=é#x", timeoutSeconds: 5 }), signal)).toBe(false);
    expect(seen.path).toBe("/a%20b%01%20?q=%C3%A9#x");
    expect(encodeCheckPath("/plain/path?x=1&y=%41")).toBe("/plain/path?x=1&y=%41");
    expect(encodeCheckPath("/\ud800")).toBe("/%EF%BF%BD");
  });

  it("is unhealthy at once, without a pending timer, when Node refuses to start the request", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const started = Date.now();
    // A control character in the Host header: http.request throws synchronously.
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP", domainName: "bad\u0001host", timeoutSeconds: 10 }), signal)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(timers()).toBeLessThanOrEqual(before); // ≤: a timer of an earlier test may have ended meanwhile
  });

  it("is unhealthy when nothing listens", async () => {
    expect(await httpCheck(local(await freePort()), monitor({ protocol: "HTTP" }), signal)).toBe(false);
  });
});

describe("probe", () => {
  it("settles false and clears its timer when start throws; never rejects", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const result = probe(10_000, signal, () => {
      throw new TypeError("refused up front");
    });
    expect(timers()).toBe(before);
    await expect(result).resolves.toBe(false);
  });

  it("an invalid check port is unhealthy for every protocol, not a rejection", async () => {
    const bad = { address: "127.0.0.1", port: 70_000 };
    expect(await tcpCheck(bad, monitor({ timeoutSeconds: 10 }), signal)).toBe(false);
    expect(await httpCheck(bad, monitor({ protocol: "HTTP", timeoutSeconds: 10 }), signal)).toBe(false);
    expect(await udpCheck(bad, monitor({ protocol: "UDP", timeoutSeconds: 10 }), signal)).toBe(false);
  });
});

describe("UDP check", () => {
  it("detects a closed port through ICMP port unreachable", async () => {
    const closed = await freePort();
    const started = Date.now();
    expect(await udpCheck(local(closed), monitor({ protocol: "UDP" }), signal)).toBe(false);
    expect(Date.now() - started).toBeLessThan(900); // the ICMP answer, not the timeout
  });

  it("is healthy when the port listens, whether it answers or not", async () => {
    const silent = dgram.createSocket("udp4");
    const echo = dgram.createSocket("udp4");
    echo.on("message", (msg, rinfo) => echo.send(msg, rinfo.port, rinfo.address));
    await new Promise<void>((r) => silent.bind(0, "127.0.0.1", r));
    await new Promise<void>((r) => echo.bind(0, "127.0.0.1", r));
    try {
      expect(await udpCheck(local(echo.address().port), monitor({ protocol: "UDP" }), signal)).toBe(true);
      expect(await udpCheck(local(silent.address().port), monitor({ protocol: "UDP" }), signal)).toBe(true);
    } finally {
      silent.close();
      echo.close();
    }
  });
});
