import dgram from "node:dgram";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, startTcpBackend, type TcpBackend } from "../../test-support/backends";
import { startBlackHole } from "../../test-support/black-hole";
import { monitor } from "../../test-support/fixtures";
import { encodeCheckPath, httpCheck } from "./http";
import { failed, probe } from "./probe";
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

  it("ends early with false when aborted, while its connect still hangs", async () => {
    const hole = await startBlackHole(); // a loopback port whose SYNs are dropped: the connect hangs
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = tcpCheck({ address: "127.0.0.1", port: hole.port }, monitor({ timeoutSeconds: 10 }), controller.signal);
      setTimeout(() => controller.abort(), 100);
      expect(await pending).toBe(false);
      expect(Date.now() - started).toBeLessThan(1000); // the abort, not the 10 s timeout
    } finally {
      await hole.close();
    }
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

describe("a check the engine cannot run for lack of descriptors", () => {
  afterEach(() => void vi.restoreAllMocks());
  const emfile = () => Object.assign(new Error("connect EMFILE"), { code: "EMFILE", syscall: "connect" });
  /** A socket that fails as net.connect does when no descriptor is left. */
  const failingSocket = () => {
    const socket = new net.Socket();
    process.nextTick(() => socket.destroy(emfile()));
    return socket;
  };

  it("is inconclusive (null), not unhealthy, for TCP and HTTP checks; other errors stay unhealthy", async () => {
    const port = await freePort();
    vi.spyOn(net, "connect").mockImplementation(failingSocket as unknown as typeof net.connect);
    expect(await tcpCheck(local(port), monitor(), signal)).toBeNull();
    vi.spyOn(http.Agent.prototype, "createConnection").mockImplementation(failingSocket as unknown as http.Agent["createConnection"]);
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP" }), signal)).toBeNull();
    vi.restoreAllMocks();
    expect(await tcpCheck(local(port), monitor(), signal)).toBe(false); // refused: the member's answer
    expect(await httpCheck(local(port), monitor({ protocol: "HTTP" }), signal)).toBe(false);
  });

  it("maps EMFILE and ENFILE to null and anything else to false", () => {
    expect(failed(emfile())).toBeNull();
    expect(failed(Object.assign(new Error(), { code: "ENFILE" }))).toBeNull();
    expect(failed(Object.assign(new Error(), { code: "ECONNREFUSED" }))).toBe(false);
    expect(failed(new TypeError("refused up front"))).toBe(false);
  });
});
