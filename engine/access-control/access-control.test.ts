import dgram from "node:dgram";
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startBackend } from "../l7/test-support/http-fixture";
import type { SnapshotAccessControl, SnapshotListener } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { echoLine, freePort, startTcpBackend, startUdpBackend, tcpHello, udpAsk } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { holdConnection } from "../test-support/proxy";
import { RecordingObserver } from "../test-support/recording-observer";

/**
 * Access control end to end: a real engine runtime, real clients bound to different 127.x source
 * addresses (all local on Linux loopback), real TCP, HTTP and UDP backends.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function engine(observer = new RecordingObserver()): { rt: EngineRuntime; observer: RecordingObserver } {
  const rt = new EngineRuntime({ drainGraceMs: 200, observer });
  cleanups.push(() => rt.stop(100));
  return { rt, observer };
}

const WHITELIST = ["127.0.0.2", "127.0.1.0/24"];

/** One HTTP GET from `localAddress`, a fresh connection; resolves with status and body, rejects when the connection is refused. */
function httpGet(port: number, localAddress: string, path = "/", agent: http.Agent | false = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, localAddress, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(3000, () => req.destroy(new Error("timed out")));
    req.end();
  });
}

/** A UDP client bound to `address`. */
async function udpClient(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket("udp4");
  cleanups.push(() => socket.close());
  await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
  return socket;
}

async function tcpSetup(accessControl: SnapshotAccessControl | null) {
  const backend = await startTcpBackend("a");
  cleanups.push(() => backend.close());
  const port = await freePort();
  const { rt, observer } = engine();
  const apply = (version: number, ac: SnapshotAccessControl | null) =>
    rt.apply(snapshot(version, [listener("l1", port, "p", { accessControl: ac })], [pool("p", [member("a", backend.port)])]));
  await apply(1, accessControl);
  return { port, rt, observer, apply, backend };
}

describe("access control (guide 3.6, table 3-6)", () => {
  it("TCP: clients from whitelisted addresses and blocks get through, others are closed at accept (reported once as access_denied)", async () => {
    const { port, observer, backend } = await tcpSetup({ whitelist: WHITELIST });
    expect(await tcpHello(port, "127.0.0.1", "127.0.0.2")).toBe("a");
    expect(await tcpHello(port, "127.0.0.1", "127.0.1.77")).toBe("a");
    const accepted = backend.accepted;
    observer.events.length = 0;
    await expect(tcpHello(port, "127.0.0.1", "127.0.0.3")).rejects.toThrow();
    await expect(tcpHello(port, "127.0.0.1", "127.0.2.1")).rejects.toThrow();
    expect(backend.accepted).toBe(accepted); // nothing reached the backend
    const denied = observer.of("error");
    expect(denied.map((e) => e.kind)).toEqual(["access_denied", "access_denied"]);
    expect(observer.of("open")).toEqual([]); // no handler saw them
  });

  it("HTTP: allowed source addresses are proxied, a refused one never gets a response and nothing reaches the backend", async () => {
    const backend = await startBackend("web");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const { rt } = engine();
    const listeners: SnapshotListener[] = [listener("h1", port, "p", { protocol: "HTTP", idleTimeoutSeconds: 60, accessControl: { whitelist: WHITELIST } })];
    await rt.apply(snapshot(1, listeners, [pool("p", [member("a", backend.port)], { protocol: "HTTP" })]));
    expect(await httpGet(port, "127.0.0.2", "/x")).toEqual({ status: 200, body: "web" });
    expect(await httpGet(port, "127.0.1.1", "/y")).toEqual({ status: 200, body: "web" });
    await expect(httpGet(port, "127.0.0.3", "/refused")).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(backend.seen.map((r) => r.url)).toEqual(["/x", "/y"]);
  });

  it("UDP: datagrams from refused sources are dropped before any session; allowed ones are answered", async () => {
    const backend = await startUdpBackend("u");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const { rt } = engine();
    await rt.apply(snapshot(1, [listener("u1", port, "p", { protocol: "UDP", accessControl: { whitelist: WHITELIST } })], [pool("p", [member("a", backend.port)], { protocol: "UDP" })]));
    expect((await udpAsk(port, "hi", await udpClient("127.0.0.2"))).text).toBe("u:hi");
    expect((await udpAsk(port, "hi", await udpClient("127.0.1.9"))).text).toBe("u:hi");
    const received = backend.received;
    await expect(udpAsk(port, "no", await udpClient("127.0.0.3"), "127.0.0.1", 400)).rejects.toThrow(/timed out/);
    expect(backend.received).toBe(received);
  });

  it("enabled with an empty whitelist refuses everyone on TCP, HTTP and UDP; disabled admits everyone", async () => {
    const tcp = await startTcpBackend("t");
    cleanups.push(() => tcp.close());
    const web = await startBackend("w");
    cleanups.push(() => web.close());
    const udp = await startUdpBackend("u");
    cleanups.push(() => udp.close());
    const [tp, hp, up] = [await freePort(), await freePort(), await freePort()];
    const { rt } = engine();
    const apply = (version: number, accessControl: SnapshotAccessControl | null) =>
      rt.apply(
        snapshot(
          version,
          [
            listener("t", tp, "pt", { accessControl }),
            listener("h", hp, "ph", { protocol: "HTTP", idleTimeoutSeconds: 60, accessControl }),
            listener("u", up, "pu", { protocol: "UDP", accessControl }),
          ],
          [pool("pt", [member("t", tcp.port)]), pool("ph", [member("w", web.port)], { protocol: "HTTP" }), pool("pu", [member("u", udp.port)], { protocol: "UDP" })],
        ),
      );
    await apply(1, { whitelist: [] });
    await expect(tcpHello(tp)).rejects.toThrow();
    await expect(httpGet(hp, "127.0.0.1")).rejects.toThrow();
    await expect(udpAsk(up, "x", undefined, "127.0.0.1", 400)).rejects.toThrow(/timed out/);
    expect([tcp.accepted, web.seen.length, udp.received]).toEqual([0, 0, 0]);

    await apply(2, null);
    expect(await tcpHello(tp)).toBe("t");
    expect((await httpGet(hp, "127.0.0.1")).body).toBe("w");
    expect((await udpAsk(up, "x")).text).toBe("u:x");
  });

  it("a whitelist change applies to new connections; open connections are not dropped (also of an address refused now)", async () => {
    const { port, apply } = await tcpSetup({ whitelist: ["127.0.0.2"] });
    const held = await holdConnection(port, "127.0.0.2");
    cleanups.push(() => held.socket.destroy());
    await expect(tcpHello(port, "127.0.0.1", "127.0.0.3")).rejects.toThrow();

    await apply(2, { whitelist: ["127.0.0.2", "127.0.0.3"] });
    expect(await tcpHello(port, "127.0.0.1", "127.0.0.3")).toBe("a"); // newly allowed
    expect(await echoLine(held.socket, "still 1")).toBe("still 1");

    await apply(3, { whitelist: ["127.0.0.3"] });
    await expect(tcpHello(port, "127.0.0.1", "127.0.0.2")).rejects.toThrow(); // a new connection of the address refused now
    expect(await echoLine(held.socket, "still 2")).toBe("still 2"); // its open connection keeps going
  });

  it("HTTP keep-alive: an allowed open connection keeps serving requests across a whitelist change", async () => {
    const backend = await startBackend("web");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const { rt } = engine();
    const apply = (version: number, whitelist: string[]) =>
      rt.apply(snapshot(version, [listener("h1", port, "p", { protocol: "HTTP", idleTimeoutSeconds: 60, accessControl: { whitelist } })], [pool("p", [member("a", backend.port)], { protocol: "HTTP" })]));
    await apply(1, ["127.0.0.2"]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    expect((await httpGet(port, "127.0.0.2", "/1", agent)).status).toBe(200);
    await apply(2, ["127.0.0.2", "127.0.0.4"]);
    expect((await httpGet(port, "127.0.0.2", "/2", agent)).status).toBe(200);
    expect((await httpGet(port, "127.0.0.4", "/3")).status).toBe(200);
    expect(new Set(backend.seen.slice(0, 2).map((r) => r.connection)).size).toBe(1); // /1 and /2: one client connection, kept
  });

  it("still applies on a redirected HTTP listener (everything else is inactive there)", async () => {
    const port = await freePort();
    const { rt } = engine();
    await rt.apply(snapshot(1, [listener("h1", port, null, { protocol: "HTTP", idleTimeoutSeconds: 60, redirect: { port: 8443 }, accessControl: { whitelist: ["127.0.0.2"] } })], []));
    const allowed = await rawFrom("127.0.0.2", port, "GET /a?b=1 HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n");
    expect(allowed).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n[^]*Location: https:\/\/shop\.test:8443\/a\?b=1\r\n/);
    expect(await rawFrom("127.0.0.3", port, "GET /a HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")).toBe("");
  });
});

/** Sends raw bytes from `localAddress` and returns everything received until the connection closes (bounded). */
function rawFrom(localAddress: string, port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    let text = "";
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.write(payload);
  });
}
